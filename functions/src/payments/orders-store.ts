/**
 * Payment orders and their refunds. The only code that knows these keys.
 *
 *   PAY#<orderNo> / ORDER                  the order
 *       GSI1 PAYSWEEP#<shard> / <sweepAt>#<orderNo>     while pending, or paid with its effect not done
 *       GSI2 PAYDAY#<channel>#<paid date> / <orderNo>    once paid (reconciliation)
 *   PAY#<orderNo> / REFUND#<refundNo>      a refund of that order (refundNo = <orderNo>-<tag>)
 *       GSI1 REFUNDSWEEP#<shard> / <sweepAt>#<refundNo> while not final
 *       GSI2 REFUNDDAY#<channel>#<date> / <refundNo>     once succeeded
 *       GSI1 REFUNDS#FAILED / <createdAt>#<refundNo>      once failed, until re-issued (退款异常 worklist)
 *
 * "Credited once" rests on one conditional write: status pending → paid. The effect (bill paid,
 * deposit on the ledger, appointment confirmed) then rides on `effect: pending → applied`, a
 * condition inside the effect's own transaction, so it too happens once. `refundable` is what is
 * left to refund; a refund takes from it under the condition `refundable >= amount`.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localDate, type PaymentChannel, type PaymentPurpose, type RefundStatus } from '@hospital/shared';
import { cancellationReasons, conditionally, db, isConditionFailed, isTransactionCancelled, queryAll, table } from '#lib/table';
import { shardOf, stamp, SWEEP_SHARDS } from './util';

export type Effect = 'pending' | 'applied' | 'refund_due' | 'refunded';

export interface OrderItem {
  orderNo: string;
  userId: string;
  patientId?: string;
  purpose: PaymentPurpose;
  refIds: string[];
  channel: PaymentChannel;
  amount: number;
  description: string;
  status: 'pending' | 'paid' | 'closed';
  effect?: Effect;
  /** Why the effect could not be applied (shown to the payer). */
  effectNote?: string;
  payerId: string;
  providerRef?: string;
  returnUrl?: string;
  createdAt: string;
  expiresAt: string;
  paidAt?: string;
  transactionId?: string;
  refundable?: number;
  refundCount?: number;
  closedAt?: string;
  lastQueriedAt?: number;
  /** Epoch ms of the credit (a stale `effect: pending` means a crashed credit). */
  creditedAt?: number;
}

export interface RefundItem {
  refundNo: string;
  orderNo: string;
  channel: PaymentChannel;
  amount: number;
  reason: string;
  /** effect (could not apply), appointment (cancelled/stopped), settlement, staff. */
  kind: 'effect' | 'appointment' | 'settlement' | 'staff';
  status: RefundStatus;
  createdAt: string;
  succeededAt?: string;
  admissionId?: string;
  by?: string;
  /** When the provider refused it (or its query found it failed). */
  failedAt?: string;
  /** A failed refund sent again: the new refund's number (set once, with the new refund's write). */
  reissuedAs?: string;
  reissuedAt?: string;
  /** On a re-issued refund: the failed one it replaces. */
  reissueOf?: string;
}

type TxItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const orderKey = (orderNo: string) => ({ PK: `PAY#${orderNo}`, SK: 'ORDER' });
const refundKey = (orderNo: string, refundNo: string) => ({ PK: `PAY#${orderNo}`, SK: `REFUND#${refundNo}` });
const orderSweep = (orderNo: string, at: number) => ({ GSI1PK: `PAYSWEEP#${shardOf(orderNo)}`, GSI1SK: `${new Date(at).toISOString()}#${orderNo}` });
const refundSweep = (refundNo: string, at: number) => ({ GSI1PK: `REFUNDSWEEP#${shardOf(refundNo)}`, GSI1SK: `${new Date(at).toISOString()}#${refundNo}` });
/** The 退款异常 worklist: failed refunds not yet re-issued, oldest first (a sparse index: rare). */
const FAILED_REFUNDS = 'REFUNDS#FAILED';
const failedRefund = (r: Pick<RefundItem, 'createdAt' | 'refundNo'>) => ({ GSI1PK: FAILED_REFUNDS, GSI1SK: `${r.createdAt}#${r.refundNo}` });

/** The order a refund number belongs to. */
export const orderNoOfRefund = (refundNo: string) => refundNo.split('-')[0];

const strip = <T>(i: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};

/** The order's Put (condition: new), to go in the same transaction as its purpose's reservation. */
export const putOrderItem = (o: OrderItem, sweepAt: number): TxItem => ({
  Put: { TableName: table(), Item: { ...orderKey(o.orderNo), ...o, ...orderSweep(o.orderNo, sweepAt) }, ConditionExpression: 'attribute_not_exists(PK)' },
});

export async function putOrder(o: OrderItem, sweepAt: number, also: TxItem[] = []): Promise<'created' | 'refused'> {
  try {
    if (also.length === 0) {
      await db.send(new PutCommand(putOrderItem(o, sweepAt).Put as ConstructorParameters<typeof PutCommand>[0]));
    } else {
      await db.send(new TransactWriteCommand({ TransactItems: [putOrderItem(o, sweepAt), ...also] }));
    }
    return 'created';
  } catch (e) {
    if (isConditionFailed(e) || (isTransactionCancelled(e) && cancellationReasons(e).includes('ConditionalCheckFailed'))) return 'refused';
    throw e;
  }
}

export async function getOrder(orderNo: string): Promise<OrderItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: orderKey(orderNo), ConsistentRead: true }));
  return out.Item ? strip<OrderItem>(out.Item) : undefined;
}

export async function setProviderRef(orderNo: string, providerRef: string) {
  await db.send(new UpdateCommand({ TableName: table(), Key: orderKey(orderNo), UpdateExpression: 'SET providerRef = :r', ExpressionAttributeValues: { ':r': providerRef } }));
}

/** Moves the order's next sweep; false if it is no longer in the sweep. */
export async function rescheduleSweep(orderNo: string, at: number, extra: Record<string, unknown> = {}): Promise<boolean> {
  const sets = Object.entries(extra);
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: orderKey(orderNo),
      UpdateExpression: `SET GSI1SK = :sk${sets.map(([k]) => `, #${k} = :${k}`).join('')}`,
      ConditionExpression: 'attribute_exists(GSI1PK)',
      ExpressionAttributeNames: sets.length ? Object.fromEntries(sets.map(([k]) => [`#${k}`, k])) : undefined,
      ExpressionAttributeValues: { ':sk': orderSweep(orderNo, at).GSI1SK, ...Object.fromEntries(sets.map(([k, v]) => [`:${k}`, v])) },
    }),
  ));
}

/** Throttles provider queries from polling clients: true for one caller per `everyMs`. */
export async function claimQuery(orderNo: string, now: number, everyMs: number): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: orderKey(orderNo),
      UpdateExpression: 'SET lastQueriedAt = :now',
      ConditionExpression: '#status = :pending AND (attribute_not_exists(lastQueriedAt) OR lastQueriedAt < :before)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':now': now, ':before': now - everyMs, ':pending': 'pending' },
    }),
  ));
}

export interface PaidFacts {
  paidAt: string;
  transactionId?: string;
}

/**
 * THE credit: pending (or closed, should a provider ever report a closed order paid) → paid,
 * exactly once. 'recorded' for the one caller that made it, 'already' for every other.
 * The order stays in the sweep (effect pending) until its effect is applied.
 */
export async function recordPaid(o: OrderItem, facts: PaidFacts, now = Date.now()): Promise<{ outcome: 'recorded' | 'already'; order: OrderItem }> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: orderKey(o.orderNo),
        UpdateExpression:
          'SET #status = :paid, paidAt = :paidAt, creditedAt = :creditedAt, effect = :pending, refundable = amount, refundCount = :zero, GSI1PK = :g1pk, GSI1SK = :g1sk, GSI2PK = :g2pk, GSI2SK = :orderNo' +
          (facts.transactionId ? ', transactionId = :tx' : ''),
        ConditionExpression: '#status IN (:pendingStatus, :closed)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':paid': 'paid', ':paidAt': facts.paidAt, ':creditedAt': now, ':pending': 'pending', ':pendingStatus': 'pending', ':closed': 'closed', ':zero': 0,
          // A crashed credit is finished by the sweep a minute later.
          ':g1pk': orderSweep(o.orderNo, now + 60_000).GSI1PK, ':g1sk': orderSweep(o.orderNo, now + 60_000).GSI1SK,
          ':g2pk': `PAYDAY#${o.channel}#${localDate(facts.paidAt)}`, ':orderNo': o.orderNo,
          ...(facts.transactionId ? { ':tx': facts.transactionId } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { outcome: 'recorded', order: strip<OrderItem>(out.Attributes ?? {}) };
  } catch (e) {
    if (!isConditionFailed(e)) throw e;
    const now2 = await getOrder(o.orderNo);
    return { outcome: 'already', order: now2 ?? o };
  }
}

/** Effect pending → applied (leaves the sweep), for the effect's transaction. */
export const effectApplied = (orderNo: string): TxItem => ({
  Update: {
    TableName: table(),
    Key: orderKey(orderNo),
    UpdateExpression: 'SET effect = :applied REMOVE GSI1PK, GSI1SK',
    ConditionExpression: 'effect = :pending',
    ExpressionAttributeValues: { ':applied': 'applied', ':pending': 'pending' },
  },
});

/** Effect pending → refund_due (stays in the sweep until the refund is requested). */
export async function markRefundDue(orderNo: string, note: string): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: orderKey(orderNo),
      UpdateExpression: 'SET effect = :due, effectNote = :note',
      ConditionExpression: 'effect = :pending',
      ExpressionAttributeValues: { ':due': 'refund_due', ':pending': 'pending', ':note': note },
    }),
  ));
}

/** pending → closed (nothing was or can be paid), with the purpose's release in the same write. */
export async function closeOrder(orderNo: string, at: string, also: TxItem[] = []): Promise<boolean> {
  const close: TxItem = {
    Update: {
      TableName: table(),
      Key: orderKey(orderNo),
      UpdateExpression: 'SET #status = :closed, closedAt = :at REMOVE GSI1PK, GSI1SK',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':pending': 'pending', ':at': at },
    },
  };
  try {
    await db.send(new TransactWriteCommand({ TransactItems: [close, ...also] }));
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
    throw e;
  }
}

/** Orders whose sweep time has come, oldest first per shard. */
export async function ordersToSweep(now: number, limit = 100): Promise<string[]> {
  const parts = await Promise.all(
    Array.from({ length: SWEEP_SHARDS }, (_, n) =>
      db.send(new QueryCommand({
        TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p AND GSI1SK <= :now',
        ExpressionAttributeValues: { ':p': `PAYSWEEP#${n}`, ':now': `${new Date(now).toISOString()}#~` }, Limit: limit,
      })),
    ),
  );
  return parts.flatMap((p) => (p.Items ?? []).map((i) => i.orderNo as string));
}

// ---- refunds ---------------------------------------------------------------------------------

export interface NewRefund {
  refund: RefundItem;
  /** Extra `SET` clauses on the order (e.g. `effect = :refunded`), their condition and values. */
  orderSet?: string;
  orderRemove?: string;
  orderCondition?: string;
  orderValues?: Record<string, unknown>;
  /** More writes in the same transaction (a re-issue closes the failed refund); their condition failing is 'refused'. */
  also?: TxItem[];
}

export type RefundCreateOutcome = 'created' | 'exists' | 'not_refundable' | 'refused' | 'conflict';

/** The two writes of a new refund: take from the order's `refundable`, put the refund (new). */
export function refundItems(n: NewRefund, now = Date.now()): TxItem[] {
  const r = n.refund;
  return [
    {
      Update: {
        TableName: table(),
        Key: orderKey(r.orderNo),
        UpdateExpression: `SET refundable = refundable - :amt, refundCount = refundCount + :one${n.orderSet ? `, ${n.orderSet}` : ''}${n.orderRemove ? ` REMOVE ${n.orderRemove}` : ''}`,
        ConditionExpression: `#status = :paid AND refundable >= :amt${n.orderCondition ? ` AND ${n.orderCondition}` : ''}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':amt': r.amount, ':one': 1, ':paid': 'paid', ...n.orderValues },
      },
    },
    { Put: { TableName: table(), Item: { ...refundKey(r.orderNo, r.refundNo), ...r, ...refundSweep(r.refundNo, now) }, ConditionExpression: 'attribute_not_exists(PK)' } },
    ...(n.also ?? []),
  ];
}

/**
 * Takes the amount from the order's `refundable` and writes the refund in one transaction.
 * 'exists': this refund number was written before (an idempotent repeat); 'refused': a
 * condition of `also` failed (nothing written).
 */
export async function createRefund(n: NewRefund, now = Date.now()): Promise<RefundCreateOutcome> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: refundItems(n, now) }));
    return 'created';
  } catch (e) {
    if (!isTransactionCancelled(e)) throw e;
    const [order, refund, ...also] = cancellationReasons(e);
    if (also.includes('ConditionalCheckFailed')) return 'refused';
    if (refund === 'ConditionalCheckFailed') return 'exists';
    if (order === 'ConditionalCheckFailed') return 'not_refundable';
    if ([order, refund, ...also].includes('TransactionConflict')) return 'conflict';
    throw e;
  }
}

export async function getRefund(orderNo: string, refundNo: string): Promise<RefundItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: refundKey(orderNo, refundNo), ConsistentRead: true }));
  return out.Item ? strip<RefundItem>(out.Item) : undefined;
}

export async function listRefunds(orderNo: string): Promise<RefundItem[]> {
  const out = await db.send(new QueryCommand({
    TableName: table(), KeyConditionExpression: 'PK = :p AND begins_with(SK, :r)', ConsistentRead: true,
    ExpressionAttributeValues: { ':p': `PAY#${orderNo}`, ':r': 'REFUND#' },
  }));
  return (out.Items ?? []).map((i) => strip<RefundItem>(i)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * requested/processing → processing/succeeded; succeeded leaves the sweep and enters the day
 * index. False when the refund was already final (a repeated notification).
 */
export async function advanceRefund(orderNo: string, refundNo: string, to: 'processing' | 'succeeded', succeededAt?: string, retryAt?: number): Promise<boolean> {
  const succeeded = to === 'succeeded';
  const r = await getRefund(orderNo, refundNo);
  if (!r) return false;
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: refundKey(orderNo, refundNo),
        UpdateExpression: succeeded
          ? 'SET #status = :to, succeededAt = :at, GSI2PK = :g2pk, GSI2SK = :refundNo REMOVE GSI1PK, GSI1SK'
          : 'SET #status = :to, GSI1SK = :g1sk',
        ConditionExpression: '#status IN (:requested, :processing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': to, ':requested': 'requested', ':processing': 'processing',
          ...(succeeded
            ? { ':at': succeededAt ?? new Date().toISOString(), ':g2pk': `REFUNDDAY#${r.channel}#${localDate(succeededAt ?? Date.now())}`, ':refundNo': refundNo }
            : { ':g1sk': refundSweep(refundNo, retryAt ?? Date.now() + 60_000).GSI1SK }),
        },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

/**
 * A refund the provider refused: failed, out of the sweep and onto the 退款异常 worklist, its
 * amount back on the order (+ `also`: the ledger reversal), all in one write.
 */
export function failRefundItems(r: RefundItem, at = stamp()): TxItem[] {
  const list = failedRefund(r);
  return [
    {
      Update: {
        TableName: table(), Key: refundKey(r.orderNo, r.refundNo),
        UpdateExpression: 'SET #status = :failed, failedAt = :at, GSI1PK = :g1pk, GSI1SK = :g1sk',
        ConditionExpression: '#status IN (:requested, :processing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':requested': 'requested', ':processing': 'processing', ':at': at, ':g1pk': list.GSI1PK, ':g1sk': list.GSI1SK },
      },
    },
    { Update: { TableName: table(), Key: orderKey(r.orderNo), UpdateExpression: 'SET refundable = refundable + :amt', ExpressionAttributeValues: { ':amt': r.amount } } },
  ];
}

export async function failRefund(r: RefundItem): Promise<boolean> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: failRefundItems(r) }));
    return true;
  } catch (e) {
    if (isTransactionCancelled(e) && cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
    throw e;
  }
}

/** The 退款异常 worklist, oldest first. */
export async function failedRefunds(limit = 200): Promise<RefundItem[]> {
  const out = await db.send(new QueryCommand({
    TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p',
    ExpressionAttributeValues: { ':p': FAILED_REFUNDS }, ScanIndexForward: true, Limit: limit,
  }));
  return (out.Items ?? []).map((i) => strip<RefundItem>(i));
}

/**
 * For the re-issue's transaction: the failed refund records its successor and leaves the
 * worklist, only if it is still failed and not re-issued (so it is re-issued once).
 */
export const reissuedItem = (failed: Pick<RefundItem, 'orderNo' | 'refundNo'>, newRefundNo: string, at = stamp()): TxItem => ({
  Update: {
    TableName: table(), Key: refundKey(failed.orderNo, failed.refundNo),
    UpdateExpression: 'SET reissuedAs = :new, reissuedAt = :at REMOVE GSI1PK, GSI1SK',
    ConditionExpression: '#status = :failed AND attribute_not_exists(reissuedAs)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':new': newRefundNo, ':at': at, ':failed': 'failed' },
  },
});

export async function refundsToSweep(now: number, limit = 100): Promise<{ orderNo: string; refundNo: string }[]> {
  const parts = await Promise.all(
    Array.from({ length: SWEEP_SHARDS }, (_, n) =>
      db.send(new QueryCommand({
        TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p AND GSI1SK <= :now',
        ExpressionAttributeValues: { ':p': `REFUNDSWEEP#${n}`, ':now': `${new Date(now).toISOString()}#~` }, Limit: limit,
      })),
    ),
  );
  return parts.flatMap((p) => (p.Items ?? []).map((i) => ({ orderNo: i.orderNo as string, refundNo: i.refundNo as string })));
}

// ---- reconciliation --------------------------------------------------------------------------


/** Our payments of a Beijing day on a channel (by the provider's payment time). */
export async function paidOn(channel: PaymentChannel, date: string): Promise<OrderItem[]> {
  const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `PAYDAY#${channel}#${date}` } });
  return items.map((i) => strip<OrderItem>(i));
}

/** Our refunds that succeeded on a Beijing day on a channel. */
export async function refundedOn(channel: PaymentChannel, date: string): Promise<RefundItem[]> {
  const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `REFUNDDAY#${channel}#${date}` } });
  return items.map((i) => strip<RefundItem>(i));
}
