/**
 * Admissions (住院) and their deposit ledger. The only code that knows these keys.
 *
 *   ADM#<id> / ADM               the account: balance, totals, seq, status, pending deposit orders
 *       GSI1 ADMPERSON#<personHash> / <admittedAt>#<id>        a person's admissions
 *       GSI2 ADMORG#<orgId> / <status>#<admittedAt>#<id>         a hospital's admissions by status
 *   ADM#<id> / LEDGER#<seq>      one entry: signed amount and the balance after it; a charge also
 *                                keeps `reversed` (fen of it corrected so far by charge_reversal)
 *   ADM#<id> / ENTRY#<entryId>   "this deposit / charge / refund is on the ledger" (dedupe)
 *   ADM#<id> / FOLLOW#<userId>   a family account that sees this admission (reminders go there)
 *
 * Every change of money is ONE transaction: the admission (balance, totals, seq + 1, under the
 * condition that seq is what we read) and the entries at the next seq numbers. So entries form
 * one gap-free sequence, each `balanceAfter` is the previous plus its amount, and
 * balance == sum(ledger) always. Concurrent writers retry on the new seq (optimistic lock).
 */
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AdmissionStatus, LedgerEntryType, PaymentChannel } from '@hospital/shared';
import { cancellationReasons, db, isConditionFailed, isTransactionCancelled, table } from '#lib/table';

export interface AdmissionItem {
  admissionId: string;
  source: string;
  hisAdmissionNo: string;
  orgId: string;
  personHash: string;
  patientName: string;
  idMasked: string;
  ward: string;
  bed: string;
  admittedAt: string;
  dischargedAt?: string;
  status: AdmissionStatus;
  seq: number;
  balance: number;
  totalDeposited: number;
  totalCharged: number;
  totalRefunded: number;
  minDeposit: number;
  maxDeposit: number;
  lowBalanceThreshold: number;
  lowNotified?: boolean;
  /** Deposit orders created and not yet paid or closed: settlement waits for them. */
  pendingOrders?: Set<string>;
  settledAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerEntry {
  seq: number;
  entryId: string;
  type: LedgerEntryType;
  amount: number;
  balanceAfter: number;
  at: string;
  description: string;
  orderNo?: string;
  refundNo?: string;
  channel?: PaymentChannel;
  /** Staff user id or HIS source that posted a charge. */
  by?: string;
  chargeDate?: string;
  /** A charge or correction: its charge id (older charges: only in `entryId`). */
  chargeId?: string;
  /** A charge: how much of it charge_reversal entries gave back so far (≤ −amount). */
  reversed?: number;
  /** A charge_reversal: the charge id and entry id of the charge it corrects. */
  reverses?: string;
  reversesEntry?: string;
}

export type NewEntry = Omit<LedgerEntry, 'seq' | 'balanceAfter'>;

type TxItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const admissionKey = (id: string) => ({ PK: `ADM#${id}`, SK: 'ADM' });
const ledgerKey = (id: string, seq: number) => ({ PK: `ADM#${id}`, SK: `LEDGER#${String(seq).padStart(8, '0')}` });
const markerKey = (id: string, entryId: string) => ({ PK: `ADM#${id}`, SK: `ENTRY#${entryId}` });
const followKey = (id: string, userId: string) => ({ PK: `ADM#${id}`, SK: `FOLLOW#${userId}` });
const orgSk = (a: Pick<AdmissionItem, 'status' | 'admittedAt' | 'admissionId'>) => `${a.status}#${a.admittedAt}#${a.admissionId}`;

const strip = <T>(i: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};

/** A new admission; 'exists' when the hospital system sent it before. */
export async function putAdmission(a: AdmissionItem): Promise<'created' | 'exists'> {
  try {
    await db.send(new PutCommand({
      TableName: table(),
      Item: {
        ...admissionKey(a.admissionId), ...a,
        GSI1PK: `ADMPERSON#${a.personHash}`, GSI1SK: `${a.admittedAt}#${a.admissionId}`,
        GSI2PK: `ADMORG#${a.orgId}`, GSI2SK: orgSk(a),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }));
    return 'created';
  } catch (e) {
    if (isConditionFailed(e)) return 'exists';
    throw e;
  }
}

/** Ward and bed move with the patient; money fields are never touched here. */
export async function moveBed(id: string, ward: string, bed: string, at: string): Promise<boolean> {
  try {
    await db.send(new UpdateCommand({
      TableName: table(), Key: admissionKey(id),
      UpdateExpression: 'SET ward = :w, bed = :b, updatedAt = :at',
      ConditionExpression: 'attribute_exists(PK) AND (ward <> :w OR bed <> :b)',
      ExpressionAttributeValues: { ':w': ward, ':b': bed, ':at': at },
    }));
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

export async function getAdmission(id: string): Promise<AdmissionItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: admissionKey(id), ConsistentRead: true }));
  return out.Item ? strip<AdmissionItem>(out.Item) : undefined;
}

export async function listForPerson(personHash: string): Promise<AdmissionItem[]> {
  const out = await db.send(new QueryCommand({
    TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p',
    ExpressionAttributeValues: { ':p': `ADMPERSON#${personHash}` }, ScanIndexForward: false, Limit: 20,
  }));
  return (out.Items ?? []).map((i) => strip<AdmissionItem>(i));
}

export async function listForOrg(orgId: string, status?: AdmissionStatus, limit = 100): Promise<AdmissionItem[]> {
  const out = await db.send(new QueryCommand({
    TableName: table(), IndexName: 'GSI2',
    KeyConditionExpression: status ? 'GSI2PK = :p AND begins_with(GSI2SK, :s)' : 'GSI2PK = :p',
    ExpressionAttributeValues: { ':p': `ADMORG#${orgId}`, ...(status ? { ':s': `${status}#` } : {}) },
    ScanIndexForward: false, Limit: limit,
  }));
  return (out.Items ?? []).map((i) => strip<AdmissionItem>(i));
}

/** The whole ledger in order (an admission has hundreds of entries at most). */
export async function ledger(id: string): Promise<LedgerEntry[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({
      TableName: table(), KeyConditionExpression: 'PK = :p AND begins_with(SK, :l)', ConsistentRead: true,
      ExpressionAttributeValues: { ':p': `ADM#${id}`, ':l': 'LEDGER#' }, ExclusiveStartKey,
    }));
    items.push(...((out.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.map((i) => strip<LedgerEntry>(i));
}

/** The ledger entry a marker points at (`CHG#<by>#<chargeId>` → its seq → the entry). */
export async function entryById(id: string, entryId: string): Promise<LedgerEntry | undefined> {
  const marker = await db.send(new GetCommand({ TableName: table(), Key: markerKey(id, entryId), ConsistentRead: true }));
  if (typeof marker.Item?.seq !== 'number') return undefined;
  const out = await db.send(new GetCommand({ TableName: table(), Key: ledgerKey(id, marker.Item.seq), ConsistentRead: true }));
  return out.Item ? strip<LedgerEntry>(out.Item) : undefined;
}

/**
 * For the correction's transaction: takes `amount` from what is left of the charge. Its condition
 * is the rule itself, checked by DynamoDB in the same write as the correction's entry: the entry
 * is that charge (a `charge`, not a correction) and `reversed + amount <= charged`. Concurrent
 * corrections of one charge therefore never add up to more than it.
 */
export function reverseChargeItem(id: string, charge: Pick<LedgerEntry, 'seq' | 'entryId' | 'amount'>, amount: number): TxItem {
  const charged = -charge.amount;
  return {
    Update: {
      TableName: table(), Key: ledgerKey(id, charge.seq),
      UpdateExpression: 'SET reversed = if_not_exists(reversed, :zero) + :amt',
      ConditionExpression: 'entryId = :entry AND #type = :charge AND amount = :amount AND amount <= :negAmt AND (attribute_not_exists(reversed) OR reversed <= :room)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':zero': 0, ':amt': amount, ':entry': charge.entryId, ':charge': 'charge', ':amount': charge.amount, ':negAmt': -amount, ':room': charged - amount,
      },
    },
  };
}

/** Which of these entries are already on the ledger. */
export async function existingEntries(id: string, entryIds: string[]): Promise<Set<string>> {
  if (entryIds.length === 0) return new Set();
  const out = await db.send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: entryIds.map((e) => markerKey(id, e)), ConsistentRead: true } } }));
  return new Set((out.Responses?.[table()] ?? []).map((i) => (i.SK as string).slice('ENTRY#'.length)));
}

export async function follow(id: string, userId: string, patientId: string) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...followKey(id, userId), userId, patientId } }));
}

export async function followers(id: string): Promise<{ userId: string; patientId: string }[]> {
  const out = await db.send(new QueryCommand({
    TableName: table(), KeyConditionExpression: 'PK = :p AND begins_with(SK, :f)',
    ExpressionAttributeValues: { ':p': `ADM#${id}`, ':f': 'FOLLOW#' },
  }));
  return (out.Items ?? []).map((i) => ({ userId: i.userId as string, patientId: i.patientId as string }));
}

// ---- the one way money moves -----------------------------------------------------------------

export interface Append {
  entries: NewEntry[];
  /** The admission must be in one of these. */
  allowed: readonly AdmissionStatus[];
  /** Refunds may not take the balance below zero. */
  noOverdraw?: boolean;
  /** Move to this status in the same write. */
  statusTo?: AdmissionStatus;
  /** Removes a deposit order from pendingOrders. */
  settleOrder?: string;
  /** More items in the same transaction (the order's effect, refunds). */
  also?: (a: AdmissionItem) => TxItem[];
}

export type AppendOutcome =
  | { outcome: 'ok'; before: AdmissionItem; after: AdmissionItem; remind: boolean }
  | { outcome: 'duplicate' | 'refused' | 'insufficient' | 'also_failed' | 'conflict' | 'missing'; before?: AdmissionItem };

function totalsAfter(a: AdmissionItem, entries: NewEntry[]) {
  let { balance, totalDeposited, totalCharged, totalRefunded } = a;
  for (const e of entries) {
    balance += e.amount;
    if (e.type === 'deposit') totalDeposited += e.amount;
    else if (e.type === 'charge' || e.type === 'charge_reversal') totalCharged -= e.amount; // net of corrections
    else totalRefunded -= e.amount; // refund (−) and its reversal (+)
  }
  return { balance, totalDeposited, totalCharged, totalRefunded };
}

/** One attempt; the caller retries 'conflict'. */
async function appendOnce(id: string, input: Append): Promise<AppendOutcome> {
  const a = await getAdmission(id);
  if (!a) return { outcome: 'missing' };
  if (!input.allowed.includes(a.status)) return { outcome: 'refused', before: a };
  const t = totalsAfter(a, input.entries);
  if (input.noOverdraw && t.balance < 0) return { outcome: 'insufficient', before: a };
  const status = input.statusTo ?? a.status;
  // The low-balance reminder is decided under the same lock: exactly one write crosses the line.
  const below = t.balance < a.lowBalanceThreshold;
  const remind = below && !a.lowNotified && input.entries.some((e) => e.type === 'charge');
  const lowNotified = below ? (a.lowNotified ?? false) || remind : false;
  const now = input.entries[0]?.at ?? new Date().toISOString();
  const seq = a.seq + input.entries.length;

  const names: Record<string, string> = { '#status': 'status', '#seq': 'seq', '#balance': 'balance' };
  const values: Record<string, unknown> = {
    ':seq': seq, ':seqBefore': a.seq, ':balance': t.balance, ':dep': t.totalDeposited, ':chg': t.totalCharged, ':rfd': t.totalRefunded,
    ':status': status, ':orgSk': orgSk({ ...a, status }), ':low': lowNotified, ':now': now,
  };
  input.allowed.forEach((s, i) => (values[`:allowed${i}`] = s));
  let update = 'SET #seq = :seq, #balance = :balance, totalDeposited = :dep, totalCharged = :chg, totalRefunded = :rfd, #status = :status, GSI2SK = :orgSk, lowNotified = :low, updatedAt = :now';
  if (status === 'settled' && a.status !== 'settled') update += ', settledAt = :now, dischargedAt = if_not_exists(dischargedAt, :now)';
  if (input.settleOrder) {
    update += ' DELETE pendingOrders :order';
    values[':order'] = new Set([input.settleOrder]);
  }
  const items: TxItem[] = [
    {
      Update: {
        TableName: table(), Key: admissionKey(id), UpdateExpression: update,
        ConditionExpression: `#seq = :seqBefore AND #status IN (${input.allowed.map((_, i) => `:allowed${i}`).join(', ')})`,
        ExpressionAttributeNames: names, ExpressionAttributeValues: values,
      },
    },
  ];
  let running = a.balance;
  input.entries.forEach((e, i) => {
    running += e.amount;
    items.push({ Put: { TableName: table(), Item: { ...markerKey(id, e.entryId), seq: a.seq + i + 1 }, ConditionExpression: 'attribute_not_exists(PK)' } });
    items.push({ Put: { TableName: table(), Item: { ...ledgerKey(id, a.seq + i + 1), ...e, seq: a.seq + i + 1, balanceAfter: running }, ConditionExpression: 'attribute_not_exists(PK)' } });
  });
  const also = input.also?.(a) ?? [];
  items.push(...also);
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (e) {
    if (!isTransactionCancelled(e)) throw e;
    const reasons = cancellationReasons(e);
    const entryReasons = reasons.slice(1, 1 + input.entries.length * 2);
    const alsoReasons = reasons.slice(1 + input.entries.length * 2);
    if (entryReasons.some((r, i) => i % 2 === 0 && r === 'ConditionalCheckFailed')) return { outcome: 'duplicate', before: a };
    if (alsoReasons.includes('ConditionalCheckFailed')) return { outcome: 'also_failed', before: a };
    // The admission moved on (another writer took the seq) or a transaction held it: read again.
    return { outcome: 'conflict', before: a };
  }
  const after: AdmissionItem = {
    ...a, ...t, seq, status, lowNotified, updatedAt: now,
    ...(status === 'settled' && a.status !== 'settled' ? { settledAt: now, dischargedAt: a.dischargedAt ?? now } : {}),
  };
  if (input.settleOrder && a.pendingOrders) {
    after.pendingOrders = new Set([...a.pendingOrders].filter((o) => o !== input.settleOrder));
  }
  return { outcome: 'ok', before: a, after, remind };
}

/**
 * Appends entries (and moves status) atomically, retrying while other writers hold the
 * admission. 'duplicate': an entry with this id is already on the ledger (nothing changed).
 */
export async function append(id: string, input: Append, attempts = 25): Promise<AppendOutcome> {
  let last: AppendOutcome = { outcome: 'conflict' };
  for (let i = 0; i < attempts; i++) {
    last = await appendOnce(id, input);
    if (last.outcome !== 'conflict') return last;
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 15 * Math.min(i + 1, 6)));
  }
  return last;
}

/** Status change without money (settling / awaiting_payment), under the same seq lock. */
export const setStatus = (id: string, from: readonly AdmissionStatus[], to: AdmissionStatus): Promise<AppendOutcome> =>
  append(id, { entries: [], allowed: from, statusTo: to });

/** Adds a pending deposit order (only while the account takes deposits), for the order's transaction. */
export const reserveDepositItem = (id: string, orderNo: string, statuses: readonly AdmissionStatus[]): TxItem => {
  const values: Record<string, unknown> = { ':o': new Set([orderNo]) };
  statuses.forEach((s, i) => (values[`:s${i}`] = s));
  return {
    Update: {
      TableName: table(), Key: admissionKey(id),
      UpdateExpression: 'ADD pendingOrders :o',
      ConditionExpression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    },
  };
};

/** Removes a deposit order that was closed unpaid (in the close's transaction). */
export const releaseDepositItem = (id: string, orderNo: string): TxItem => ({
  Update: { TableName: table(), Key: admissionKey(id), UpdateExpression: 'DELETE pendingOrders :o', ExpressionAttributeValues: { ':o': new Set([orderNo]) } },
});
