/**
 * Appointments. The only code that knows their keys.
 *
 *   APPT#<id> / APPT                      the appointment (names denormalised at booking)
 *       GSI1 ACCOUNT#<userId>#APPTS / <date>#<order>#<id>   my appointments
 *       GSI2 APPTS#<scheduleId>#<shard> / <createdAt>#<id>  a session's appointments, per shard
 *   ACTIVE#<scheduleId>#<patientId> / ACTIVE   "this person holds an active appointment here"
 *       while pending_payment also GSI1 HOLDS#<shard> / <holdExpiresAt UTC>#<id>  (the expiry sweep)
 *
 *   NOSHOW#<personKey> / NOSHOW          { dates }: the person's 爽约 dates (across accounts), appended
 *                                         by the same write that marks an appointment no_show
 *
 * The ACTIVE mark is what makes "one active appointment per person per session" a conditional
 * write: it is created with the appointment and deleted by the same write that ends it.
 */
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESSION_INFO, TRANSITIONS, type AppointmentEvent, type AppointmentStatus, type RefundState, type Relation, type Session } from '@hospital/shared';
import { cancellationReasons, conditionally, db, isConditionFailed, isTransactionCancelled, queryAll, table } from '#lib/table';
import { transactWrite } from '#lib/transact';
import type { Admission } from '#lib/rate-limit';
import { PLACE_SHARDS, returnPlace, takePlace } from '../catalog/schedule-store';

export interface AppointmentItem {
  id: string;
  userId: string;
  patientId: string;
  patientName: string;
  patientRelation: Relation;
  scheduleId: string;
  shard: number;
  date: string;
  session: Session;
  startsAt: string;
  endsAt: string;
  cancelCutoffAt: string;
  orgId: string;
  orgName: string;
  deptId: string;
  deptName: string;
  doctorId: string;
  doctorName: string;
  doctorTitle: string;
  fee: number;
  status: AppointmentStatus;
  checkInCode: string;
  holdExpiresAt?: string;
  paidAt?: string;
  orderNo?: string;
  refund?: RefundState;
  queueNumber?: number;
  stoppedReason?: string;
  remindedAt?: string;
  cancelledAt?: string;
  createdAt: string;
  updatedAt: string;
}

const apptKey = (id: string) => ({ PK: `APPT#${id}`, SK: 'APPT' });
const activeKey = (scheduleId: string, patientId: string) => ({ PK: `ACTIVE#${scheduleId}#${patientId}`, SK: 'ACTIVE' });
const holdIndex = (a: Pick<AppointmentItem, 'id' | 'shard' | 'holdExpiresAt'>) => ({
  // The reserved shard (n = PLACE_SHARDS) shares partition 0 of the sweep.
  GSI1PK: `HOLDS#${a.shard % PLACE_SHARDS}`,
  GSI1SK: `${new Date(a.holdExpiresAt!).toISOString()}#${a.id}`,
});
const indexes = (a: AppointmentItem) => ({
  GSI1PK: `ACCOUNT#${a.userId}#APPTS`,
  GSI1SK: `${a.date}#${SESSION_INFO[a.session].order}#${a.id}`,
  GSI2PK: `APPTS#${a.scheduleId}#${a.shard}`,
  GSI2SK: `${a.createdAt}#${a.id}`,
});
const strip = (i: Record<string, unknown>) => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as unknown as AppointmentItem;
};

export type BookOutcome = 'booked' | 'duplicate' | 'place_taken' | 'already_booked' | 'busy' | 'not_entitled';

/** A condition on another item that must hold for the booking (the contract behind a reserved place). */
export interface Entitlement {
  ConditionCheck: { TableName: string; Key: Record<string, string>; ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };
}

/**
 * Takes a place in shard `a.shard` and writes the appointment and the person's ACTIVE mark,
 * all or nothing. `duplicate`: an appointment with this id exists (a retried request);
 * `place_taken`: that shard is empty or closed (try another); `busy`: another transaction held
 * the shard at that instant (retry elsewhere); `not_entitled`: the entitlement no longer holds.
 */
export async function book(a: AppointmentItem, entitlement?: Entitlement, admission?: Admission): Promise<BookOutcome> {
  // The account's booking limit is counted in this same transaction (after the booking's own items).
  const limitsAt = entitlement ? 4 : 3;
  try {
    await transactWrite({
      TransactItems: [
        takePlace(a.scheduleId, a.shard),
        { Put: { TableName: table(), Item: { ...apptKey(a.id), ...a, ...indexes(a) }, ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            TableName: table(),
            Item: { ...activeKey(a.scheduleId, a.patientId), appointmentId: a.id, ...(a.holdExpiresAt ? holdIndex(a) : {}) },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...(entitlement ? [entitlement] : []),
        ...(admission?.items() ?? []),
      ],
      // One attempt: on a conflict the caller tries another shard rather than this busy one.
    }, 1);
    admission?.took();
    return 'booked';
  } catch (e) {
    if (!isTransactionCancelled(e)) throw e;
    const reasons = cancellationReasons(e);
    const [place, appointment, active] = reasons;
    const entitled = entitlement ? reasons[3] : undefined;
    // The id is derived from the Idempotency-Key: an existing one means this request was made before.
    if (appointment === 'ConditionalCheckFailed') return 'duplicate';
    const limited = admission?.refusal(reasons, limitsAt);
    if (limited) throw limited;
    if (active === 'ConditionalCheckFailed') return 'already_booked';
    if (entitled === 'ConditionalCheckFailed') return 'not_entitled';
    if (place === 'ConditionalCheckFailed') return 'place_taken';
    if (reasons.includes('TransactionConflict')) return 'busy';
    throw e;
  }
}

export async function getAppointment(id: string): Promise<AppointmentItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: apptKey(id), ConsistentRead: true }));
  return out.Item ? strip(out.Item) : undefined;
}

/** Who holds the ACTIVE mark of a person in a session, if anyone. */
export async function activeAppointmentId(scheduleId: string, patientId: string): Promise<string | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: activeKey(scheduleId, patientId), ConsistentRead: true }));
  return out.Item?.appointmentId as string | undefined;
}

export interface TransitionInput {
  event: AppointmentEvent;
  /** Extra attributes to set (paidAt, orderNo, refund, queueNumber, stoppedReason…). */
  set?: Partial<AppointmentItem>;
  /** Extra condition on the appointment, e.g. `holdExpiresAt <= :now`. */
  condition?: { expression: string; values: Record<string, unknown> };
  /** More items in the same transaction (a queue entry). */
  also?: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
}

/**
 * Applies one state-machine transition as one transaction: the status change (conditional on
 * the `from` states), the place back to its shard, the ACTIVE mark removed. False when the
 * appointment was no longer in a `from` state (someone else's transition won).
 */
export async function transition(a: AppointmentItem, input: TransitionInput, at: string): Promise<boolean> {
  const t = TRANSITIONS[input.event];
  const sets: Record<string, unknown> = { ...input.set, status: t.to, updatedAt: at };
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ...input.condition?.values };
  const exprs: string[] = [];
  for (const [k, v] of Object.entries(sets)) {
    names[`#s_${k}`] = k;
    values[`:s_${k}`] = v;
    exprs.push(`#s_${k} = :s_${k}`);
  }
  t.from.forEach((f, i) => (values[`:from${i}`] = f));
  const fromList = t.from.map((_, i) => `:from${i}`).join(', ');
  const condition = `#status IN (${fromList})${input.condition ? ` AND (${input.condition.expression})` : ''}`;
  const items: NonNullable<TransitionInput['also']> = [
    { Update: { TableName: table(), Key: apptKey(a.id), UpdateExpression: `SET ${exprs.join(', ')}`, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values } },
  ];
  if (t.returnsPlace) items.push(returnPlace(a.scheduleId, a.shard));
  if (t.endsActive) {
    items.push({ Delete: { TableName: table(), Key: activeKey(a.scheduleId, a.patientId), ConditionExpression: 'appointmentId = :id', ExpressionAttributeValues: { ':id': a.id } } });
  } else if (a.status === 'pending_payment') {
    // Paid: the hold no longer expires, so it leaves the sweep's index.
    items.push({ Update: { TableName: table(), Key: activeKey(a.scheduleId, a.patientId), UpdateExpression: 'REMOVE GSI1PK, GSI1SK', ConditionExpression: 'appointmentId = :id', ExpressionAttributeValues: { ':id': a.id } } });
  }
  items.push(...(input.also ?? []));
  try {
    await transactWrite({ TransactItems: items });
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
    throw e;
  }
}

/** Sets attributes that are not part of the state machine (refund progress, reminder sent). */
export async function annotate(id: string, set: Partial<AppointmentItem>, condition?: string): Promise<boolean> {
  const entries = Object.entries(set);
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: apptKey(id),
        UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: condition ? `attribute_exists(PK) AND ${condition}` : 'attribute_exists(PK)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}


/** The account's appointments, latest session first (at most `limit`). */
export async function listByAccount(userId: string, limit = 100): Promise<AppointmentItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': `ACCOUNT#${userId}#APPTS` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(strip);
}

/** Every appointment of a session (all shards). The index is eventually consistent. */
export async function listBySchedule(scheduleId: string, shards = PLACE_SHARDS): Promise<AppointmentItem[]> {
  const parts = await Promise.all(
    Array.from({ length: shards }, (_, n) =>
      queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `APPTS#${scheduleId}#${n}` } }),
    ),
  );
  return parts.flat().map(strip);
}

/** Holds whose expiry has passed: appointment ids from the sweep index. */
export async function expiredHolds(now: Date, limit = 200): Promise<string[]> {
  const parts = await Promise.all(
    Array.from({ length: PLACE_SHARDS }, (_, n) =>
      db.send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :p AND GSI1SK <= :now',
          ExpressionAttributeValues: { ':p': `HOLDS#${n}`, ':now': `${now.toISOString()}#~` },
          Limit: limit,
        }),
      ),
    ),
  );
  return parts.flatMap((p) => (p.Items ?? []).map((i) => i.appointmentId as string));
}

// 爽约 record of a person (by the patients feature's person key): one date per no-show.
const noShowKey = (personKey: string) => ({ PK: `NOSHOW#${personKey}`, SK: 'NOSHOW' });

/** For the `miss` transition's transaction: the no-show's date goes on the person's record, once with it. */
export const noShowEntry = (personKey: string, date: string) => ({
  Update: {
    TableName: table(),
    Key: noShowKey(personKey),
    UpdateExpression: 'SET dates = list_append(if_not_exists(dates, :none), :d)',
    ExpressionAttributeValues: { ':none': [], ':d': [date] },
  },
});

export async function noShowDates(personKey: string): Promise<string[]> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: noShowKey(personKey), ConsistentRead: true }));
  return (out.Item?.dates as string[] | undefined) ?? [];
}

// Refunds due: appointments that ended unvisited after being paid, waiting for payments to act.
const refundDueKey = (at: string, id: string) => ({ PK: 'REFUNDS_DUE', SK: `${at}#${id}` });

/** Marks the appointment for refund once (false when already marked) and queues it. */
export async function markRefundRequired(a: AppointmentItem, reason: string, at: string): Promise<boolean> {
  return conditionally(transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: table(),
          Key: apptKey(a.id),
          UpdateExpression: 'SET refund = :r, updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(refund)',
          ExpressionAttributeValues: { ':r': 'required', ':at': at },
        },
      },
      { Put: { TableName: table(), Item: { ...refundDueKey(at, a.id), appointmentId: a.id, orderNo: a.orderNo, amount: a.fee, reason } } },
    ],
  }));
}

export interface RefundDue {
  appointmentId: string;
  orderNo?: string;
  amount: number;
  reason: string;
  /** Pass back to `clearRefundDue`. */
  key: string;
}

/** The oldest refunds waiting (for the payments feature's job). */
export async function refundsDue(limit = 100): Promise<RefundDue[]> {
  const out = await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': 'REFUNDS_DUE' }, Limit: limit }));
  return (out.Items ?? []).map((i) => ({ appointmentId: i.appointmentId, orderNo: i.orderNo, amount: i.amount, reason: i.reason, key: i.SK as string }));
}

export async function clearRefundDue(key: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: { PK: 'REFUNDS_DUE', SK: key } }));
}
