/**
 * Daily reconciliation (对账): each provider's trade bill for a Beijing day against our ledger of
 * that day (orders by the provider's payment time, refunds by their success time). Every
 * difference is reported: a payment or refund the provider has and we do not, one we have and
 * it does not, or one whose amount differs. The report is stored per day and channel.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PaymentChannel, type Mismatch, type ReconciliationView } from '@hospital/shared';
import { logger } from '#lib/logger';
import { db, table } from '#lib/table';
import { channel, type BillRow } from './channels';
import { paidOn, refundedOn } from './orders-store';
import { stamp } from './util';

type ChannelReport = ReconciliationView['channels'][number];
type MismatchItem = Mismatch;

const reportKey = (date: string, ch: string) => ({ PK: `RECON#${date}`, SK: `CHANNEL#${ch}` });

/** Pure comparison, so the rules are tested on their own. */
export function compare(provider: BillRow[], ours: BillRow[]): MismatchItem[] {
  const key = (r: BillRow) => `${r.type}|${r.ref}`;
  const sum = (rows: BillRow[]) => {
    const m = new Map<string, BillRow>();
    for (const r of rows) {
      const k = key(r);
      const prev = m.get(k);
      m.set(k, prev ? { ...prev, amount: prev.amount + r.amount } : { ...r });
    }
    return m;
  };
  const p = sum(provider);
  const o = sum(ours);
  const out: MismatchItem[] = [];
  for (const [k, r] of p) {
    const mine = o.get(k);
    if (!mine) out.push({ kind: 'missing_in_ledger', type: r.type, ref: r.ref, provider: r.amount });
    else if (mine.amount !== r.amount) out.push({ kind: 'amount_differs', type: r.type, ref: r.ref, ours: mine.amount, provider: r.amount });
  }
  for (const [k, r] of o) if (!p.has(k)) out.push({ kind: 'missing_at_provider', type: r.type, ref: r.ref, ours: r.amount });
  return out.sort((a, b) => a.ref.localeCompare(b.ref));
}

async function reconcileChannel(date: string, ch: PaymentChannel): Promise<ChannelReport> {
  const ours: BillRow[] = [
    ...(await paidOn(ch, date)).map((o) => ({ type: 'payment' as const, ref: o.orderNo, amount: o.amount })),
    ...(await refundedOn(ch, date)).map((r) => ({ type: 'refund' as const, ref: r.refundNo, amount: r.amount })),
  ];
  const base = { channel: ch, ledgerRows: ours.length, checkedAt: stamp() };
  let rows: BillRow[] | null;
  try {
    rows = await channel(ch).bill(date);
  } catch (e) {
    logger.error('bill download failed', { channel: ch, date, error: (e as Error).name });
    return { ...base, status: 'failed', providerRows: 0, mismatches: [] };
  }
  // No bill from the provider: fine on a day without trades, a mismatch for every row otherwise.
  const mismatches = compare(rows ?? [], ours);
  const status = rows === null && ours.length === 0 ? 'no_bill' : mismatches.length ? 'mismatched' : 'matched';
  return { ...base, status, providerRows: rows?.length ?? 0, mismatches };
}

export async function reconcile(date: string): Promise<ReconciliationView> {
  const channels: ChannelReport[] = [];
  for (const ch of PaymentChannel.options) {
    const r = await reconcileChannel(date, ch);
    await db.send(new PutCommand({ TableName: table(), Item: { ...reportKey(date, ch), date, ...r } }));
    if (r.mismatches.length) logger.warn('reconciliation mismatches', { date, channel: ch, count: r.mismatches.length });
    else logger.info('reconciliation', { date, channel: ch, status: r.status, rows: r.providerRows });
    channels.push(r);
  }
  return { date, channels };
}

export async function report(date: string): Promise<ReconciliationView | undefined> {
  const out = await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `RECON#${date}` } }));
  if (!out.Items?.length) return undefined;
  const channels = out.Items.map((i) => {
    const { PK: _p, SK: _s, date: _d, ...rest } = i;
    return rest as ChannelReport;
  });
  channels.sort((a, b) => PaymentChannel.options.indexOf(a.channel) - PaymentChannel.options.indexOf(b.channel));
  return { date, channels };
}
