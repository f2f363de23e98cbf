/**
 * Visits and what is written during them. The only code that knows these keys.
 *
 *   VISIT#<id> / VISIT              the visit: patient, participants (with Agora uids), window, status, room
 *       GSI1 ACCOUNT#<userId>#VISITS / <scheduledAt UTC>#<id>          the patient's account's visits
 *   VISIT#<id> / PART#<userId>      one per doctor taking part
 *       GSI1 STAFFV#<userId> / <local date>#<scheduledAt UTC>#<id>     a doctor's visits by day
 *   VISIT#<id> / NOTE#<at>#<noteId> a visit note / consultation opinion
 *   VISIT#<id> / RX#<rxId>          an e-prescription
 *       GSI2 RXQ#<orgId>#pending_review / <createdAt>#<rxId>   the prescribing organisation's review queue (only while pending)
 *   VISIT#<id> / ORDER#<orderId>    doctor's orders (tests)
 *   VTICKET#<sha256> / TICKET       a one-time room ticket (TTL)
 *
 * One Query on VISIT#<id> reads a whole visit with its notes, prescriptions and orders.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { localDate, VISIT_TRANSITIONS, type DrugFrequency, type DrugRoute, type ParticipantRole, type PrescriptionStatus, type VisitEvent, type VisitKind, type VisitStatus } from '@hospital/shared';
import { conditionally, db, isConditionFailed, table, ttlIn } from '#lib/table';
import { transactWrite } from '#lib/transact';

export interface Participant {
  userId: string;
  name: string;
  role: ParticipantRole;
  /** Catalog doctor id (doctors only). */
  doctorId?: string;
  title?: string;
  orgId?: string;
  orgName?: string;
  uid: number;
}

export interface Room {
  channel: string;
  createdAt: string;
  expiresAt: string;
}

export interface VisitItem {
  id: string;
  kind: VisitKind;
  status: VisitStatus;
  patientId: string;
  patientName: string;
  /** The account the patient is on: who may see the visit on the patient side. */
  accountUserId: string;
  reason: string;
  orgId: string;
  orgName: string;
  deptName: string;
  scheduledAt: string;
  endsAt: string;
  participants: Participant[];
  /** The next Agora uid to hand out (uids are never reused within a visit). */
  nextUid: number;
  room?: Room;
  /** userId → last join time (rejoin after a dropped call shows here). */
  lastJoined: Record<string, string>;
  appointmentId?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
  cancelReason?: string;
}

export interface NoteItem {
  noteId: string;
  visitId: string;
  authorId: string;
  authorName: string;
  authorRole: ParticipantRole;
  complaint?: string;
  findings?: string;
  diagnosis?: string;
  advice?: string;
  createdAt: string;
}

export interface RxLine {
  drug: string;
  name: string;
  strength: string;
  pack: string;
  unit: string;
  dose: string;
  route: DrugRoute;
  frequency: DrugFrequency;
  days: number;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface RxItem {
  rxId: string;
  visitId: string;
  patientId: string;
  patientName: string;
  diagnosis: string;
  items: RxLine[];
  note?: string;
  total: number;
  status: PrescriptionStatus;
  authorId: string;
  authorName: string;
  /** The prescribing organisation: its pharmacists review the prescription (and only they). */
  orgId: string;
  reviewerId?: string;
  reviewerName?: string;
  reviewNote?: string;
  reviewedAt?: string;
  billId?: string;
  createdAt: string;
}

export interface OrderItem {
  orderId: string;
  visitId: string;
  items: { code: string; name: string; category: string; price: number }[];
  note?: string;
  total: number;
  authorId: string;
  authorName: string;
  billId?: string;
  createdAt: string;
}

const visitKey = (id: string) => ({ PK: `VISIT#${id}`, SK: 'VISIT' });
const partKey = (id: string, userId: string) => ({ PK: `VISIT#${id}`, SK: `PART#${userId}` });
const rxKey = (visitId: string, rxId: string) => ({ PK: `VISIT#${visitId}`, SK: `RX#${rxId}` });
const orderKey = (visitId: string, orderId: string) => ({ PK: `VISIT#${visitId}`, SK: `ORDER#${orderId}` });
const ticketKey = (ticket: string) => ({ PK: `VTICKET#${createHash('sha256').update(ticket).digest('hex')}`, SK: 'TICKET' });
const utc = (iso: string) => new Date(iso).toISOString();

const partItem = (v: Pick<VisitItem, 'id' | 'scheduledAt'>, userId: string) => ({
  ...partKey(v.id, userId),
  visitId: v.id,
  userId,
  GSI1PK: `STAFFV#${userId}`,
  GSI1SK: `${localDate(v.scheduledAt)}#${utc(v.scheduledAt)}#${v.id}`,
});

const strip = <T>(i: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};

/** Writes the visit and its participants' index rows at once; false when it already exists. */
export async function createVisit(v: VisitItem): Promise<boolean> {
  return conditionally(transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: table(),
          Item: { ...visitKey(v.id), ...v, GSI1PK: `ACCOUNT#${v.accountUserId}#VISITS`, GSI1SK: `${utc(v.scheduledAt)}#${v.id}` },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...v.participants.filter((p) => p.role !== 'patient').map((p) => ({ Put: { TableName: table(), Item: partItem(v, p.userId) } })),
    ],
  }));
}

export async function getVisit(id: string): Promise<VisitItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: visitKey(id), ConsistentRead: true }));
  return out.Item ? strip<VisitItem>(out.Item) : undefined;
}

export interface VisitRecord {
  visit: VisitItem;
  notes: NoteItem[];
  prescriptions: RxItem[];
  orders: OrderItem[];
}

/** The visit with everything written during it, in one query. */
export async function getVisitRecord(id: string): Promise<VisitRecord | undefined> {
  const rows: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `VISIT#${id}` }, ConsistentRead: true, ExclusiveStartKey }),
    );
    rows.push(...((out.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const visit = rows.find((r) => r.SK === 'VISIT');
  if (!visit) return undefined;
  const of = <T>(prefix: string) => rows.filter((r) => (r.SK as string).startsWith(prefix)).map((r) => strip<T>(r));
  return {
    visit: strip<VisitItem>(visit),
    notes: of<NoteItem>('NOTE#'),
    prescriptions: of<RxItem>('RX#').sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    orders: of<OrderItem>('ORDER#').sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

export async function getVisits(ids: string[]): Promise<VisitItem[]> {
  const found = new Map<string, VisitItem>();
  for (let i = 0; i < ids.length; i += 100) {
    const keys = ids.slice(i, i + 100).map(visitKey);
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [table()]: { Keys: keys } };
    while (request && Object.keys(request).length) {
      const out = await db.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[table()] ?? []) found.set(item.id as string, strip<VisitItem>(item));
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/** The account's visits, latest first. */
export async function listByAccount(userId: string, limit = 100): Promise<VisitItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': `ACCOUNT#${userId}#VISITS` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => strip<VisitItem>(i));
}

/** A doctor's visits on a local date, by start time. */
export async function listByStaffDay(userId: string, date: string): Promise<VisitItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :p AND begins_with(GSI1SK, :d)',
      ExpressionAttributeValues: { ':p': `STAFFV#${userId}`, ':d': `${date}#` },
    }),
  );
  return getVisits((out.Items ?? []).map((i) => i.visitId as string));
}

/**
 * Applies a state-machine event as one conditional write. False when the visit was no longer
 * in a `from` state (someone else's transition won).
 */
export async function transition(id: string, event: VisitEvent, set: Record<string, unknown>, at: string): Promise<boolean> {
  const t = VISIT_TRANSITIONS[event];
  const sets = { ...set, status: t.to, updatedAt: at };
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {};
  const exprs = Object.entries(sets).map(([k, v]) => {
    names[`#s_${k}`] = k;
    values[`:s_${k}`] = v;
    return `#s_${k} = :s_${k}`;
  });
  t.from.forEach((f, i) => (values[`:from${i}`] = f));
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: visitKey(id),
      UpdateExpression: `SET ${exprs.join(', ')}`,
      ConditionExpression: `#status IN (${t.from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  ));
}

/**
 * Puts a room on the visit when it has none or `replacing` is the one it has (a fresh room after
 * expiry). Two racing joins: one room wins and both use it. Returns the visit as written.
 */
export async function setRoom(id: string, room: Room, replacing?: string): Promise<VisitItem> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: visitKey(id),
        UpdateExpression: 'SET room = :r',
        ConditionExpression: replacing ? 'room.channel = :old' : 'attribute_not_exists(room)',
        ExpressionAttributeValues: { ':r': room, ...(replacing ? { ':old': replacing } : {}) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<VisitItem>(out.Attributes!);
  } catch (e) {
    if (!isConditionFailed(e)) throw e;
    return (await getVisit(id))!;
  }
}

export async function markJoined(id: string, userId: string, at: string) {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: visitKey(id),
      UpdateExpression: 'SET lastJoined.#u = :at',
      ExpressionAttributeNames: { '#u': userId },
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** Adds a doctor with the next uid; conditional on nobody else having added one meanwhile. */
export async function addParticipant(v: VisitItem, p: Participant, at: string): Promise<boolean> {
  return conditionally(transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: table(),
          Key: visitKey(v.id),
          UpdateExpression: 'SET participants = list_append(participants, :p), nextUid = :next, updatedAt = :at',
          ConditionExpression: 'nextUid = :uid',
          ExpressionAttributeValues: { ':p': [p], ':next': p.uid + 1, ':uid': p.uid, ':at': at },
        },
      },
      { Put: { TableName: table(), Item: partItem(v, p.userId) } },
    ],
  }));
}

export async function putNote(n: NoteItem) {
  await db.send(new PutCommand({ TableName: table(), Item: { PK: `VISIT#${n.visitId}`, SK: `NOTE#${n.createdAt}#${n.noteId}`, ...n } }));
}

export async function putPrescription(rx: RxItem) {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...rxKey(rx.visitId, rx.rxId), ...rx, GSI2PK: `RXQ#${rx.orgId}#pending_review`, GSI2SK: `${rx.createdAt}#${rx.rxId}` },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function getPrescription(visitId: string, rxId: string): Promise<RxItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: rxKey(visitId, rxId), ConsistentRead: true }));
  return out.Item ? strip<RxItem>(out.Item) : undefined;
}

/** Records a review once: only a pending prescription can be reviewed; it leaves the queue. */
export async function reviewPrescription(visitId: string, rxId: string, r: Pick<RxItem, 'status' | 'reviewerId' | 'reviewerName' | 'reviewNote' | 'reviewedAt'>): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: rxKey(visitId, rxId),
      UpdateExpression: `SET #status = :s, reviewerId = :rid, reviewerName = :rn, reviewedAt = :at${r.reviewNote ? ', reviewNote = :note' : ''} REMOVE GSI2PK, GSI2SK`,
      ConditionExpression: '#status = :pending AND authorId <> :rid',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':s': r.status,
        ':rid': r.reviewerId,
        ':rn': r.reviewerName,
        ':at': r.reviewedAt,
        ':pending': 'pending_review',
        ...(r.reviewNote ? { ':note': r.reviewNote } : {}),
      },
    }),
  ));
}

export async function setPrescriptionBill(visitId: string, rxId: string, billId: string) {
  await db.send(new UpdateCommand({ TableName: table(), Key: rxKey(visitId, rxId), UpdateExpression: 'SET billId = :b', ExpressionAttributeValues: { ':b': billId } }));
}

/** One organisation's prescriptions waiting for review, oldest first. */
export async function reviewQueue(orgId: string, limit = 50): Promise<RxItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `RXQ#${orgId}#pending_review` }, Limit: limit }),
  );
  return (out.Items ?? []).map((i) => strip<RxItem>(i));
}

export async function putOrder(o: OrderItem) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...orderKey(o.visitId, o.orderId), ...o }, ConditionExpression: 'attribute_not_exists(PK)' }));
}

export async function setOrderBill(visitId: string, orderId: string, billId: string) {
  await db.send(new UpdateCommand({ TableName: table(), Key: orderKey(visitId, orderId), UpdateExpression: 'SET billId = :b', ExpressionAttributeValues: { ':b': billId } }));
}

export interface TicketItem {
  visitId: string;
  userId: string;
  /** The caller's place in the visit and the session the ticket was asked from (the room token carries both). */
  role?: ParticipantRole;
  sessionId?: string;
  expiresAt: string;
}

export async function putTicket(ticket: string, t: TicketItem, seconds: number) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...ticketKey(ticket), ...t, ttl: ttlIn(seconds) } }));
}

/** Deletes the ticket and returns what it was for; a second use finds nothing. */
export async function consumeTicket(ticket: string): Promise<TicketItem | undefined> {
  try {
    const out = await db.send(new DeleteCommand({ TableName: table(), Key: ticketKey(ticket), ConditionExpression: 'attribute_exists(PK)', ReturnValues: 'ALL_OLD' }));
    return out.Attributes ? strip<TicketItem>(out.Attributes) : undefined;
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}
