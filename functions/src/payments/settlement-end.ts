/**
 * Step 4 of the discharge settlement (see ./settlement.ts): the account's end from its balance.
 * Kept apart from steps 1–3 because a paid shortfall (a deposit credited) finishes it too, and
 * crediting must not depend on the code that asks providers about open orders.
 */
import { LEDGER_ENTRY_LABEL, planDepositRefunds } from '@hospital/shared';
import { logger } from '#lib/logger';
import * as admissions from './admissions-store';
import type { AdmissionItem } from './admissions-store';
import * as orders from './orders-store';
import { newRefund, submitRefund } from './refunds';
import { stamp } from './util';

export type SettleOutcome = 'settled' | 'refunding' | 'awaiting_payment' | 'confirming_payments';

/** Most refunds one transaction can carry (4 writes each, 100 per transaction). */
const REFUNDS_PER_WRITE = 20;

/** Step 4: decides the account's end from its balance. Repeats are harmless. */
export async function finish(admissionId: string): Promise<{ outcome: SettleOutcome; refundNos: string[] }> {
  const refundNos: string[] = [];
  const end = (outcome: SettleOutcome) => ({ outcome, refundNos });
  for (let attempt = 0; attempt < 10; attempt++) {
    const a = await admissions.getAdmission(admissionId);
    if (!a) throw new Error('admission vanished');
    if (a.status === 'settled') break;
    if (a.status === 'active') return end('confirming_payments');
    if (a.status === 'settling' && (a.pendingOrders?.size ?? 0) > 0) return end('confirming_payments');
    if (a.balance < 0) {
      if (a.status === 'awaiting_payment') return end('awaiting_payment');
      const r = await admissions.setStatus(admissionId, ['settling'], 'awaiting_payment');
      if (r.outcome === 'ok') {
        logger.info('settlement awaits payment', { admission: admissionId, shortfall: -a.balance });
        return end('awaiting_payment');
      }
      continue;
    }
    if (a.balance === 0) {
      await admissions.setStatus(admissionId, ['settling', 'awaiting_payment'], 'settled');
      continue;
    }
    const done = await refundBalance(a);
    if (done === 'stuck') return end('confirming_payments');
    if (done === 'retry') continue;
    for (const r of done) await submitRefund(r);
    refundNos.push(...done.map((r) => r.refundNo));
  }
  const refunds = await Promise.all(refundNos.map((n) => orders.getRefund(orders.orderNoOfRefund(n), n)));
  return end(refunds.some((r) => r?.status !== 'succeeded') ? 'refunding' : 'settled');
}

/**
 * One transaction: the refund entries on the ledger (balance to 0), each deposit order's
 * `refundable` reduced, the refunds written, the account settled. Nothing half-done.
 */
async function refundBalance(a: AdmissionItem): Promise<orders.RefundItem[] | 'retry' | 'stuck'> {
  const deposits = (await admissions.ledger(a.admissionId)).filter((e) => e.type === 'deposit' && e.orderNo);
  const found = await Promise.all(deposits.map((e) => orders.getOrder(e.orderNo as string)));
  const byNo = new Map(found.flatMap((o) => (o ? [[o.orderNo, o] as const] : [])));
  const plan = planDepositRefunds(
    a.balance,
    deposits.map((e) => ({ orderNo: e.orderNo as string, seq: e.seq, refundable: byNo.get(e.orderNo as string)?.refundable ?? 0 })),
  ).slice(0, REFUNDS_PER_WRITE);
  const total = plan.reduce((s, p) => s + p.amount, 0);
  if (total === 0) {
    // Cannot happen while charges are positive (the balance is at most what deposits have left).
    logger.error('balance left with no deposit to refund it to', { admission: a.admissionId });
    return 'stuck';
  }
  const at = stamp();
  const refunds = plan.map((p) => {
    const o = byNo.get(p.orderNo) as orders.OrderItem;
    return newRefund({ order: o, amount: p.amount, tag: `S${(o.refundCount ?? 0) + 1}`, kind: 'settlement', reason: '出院结算退还押金余额' }, a.admissionId);
  });
  const out = await admissions.append(a.admissionId, {
    entries: refunds.map((r) => ({
      entryId: `RFD#${r.refundNo}`, type: 'refund' as const, amount: -r.amount, at, description: LEDGER_ENTRY_LABEL.refund,
      orderNo: r.orderNo, refundNo: r.refundNo, channel: r.channel,
    })),
    allowed: ['settling', 'awaiting_payment'],
    noOverdraw: true,
    // More deposits than one write carries: settle after the last batch.
    statusTo: total === a.balance ? 'settled' : undefined,
    also: () => refunds.flatMap((r) => orders.refundItems({ refund: r })),
  });
  if (out.outcome !== 'ok') return 'retry';
  logger.info('settlement refunds written', { admission: a.admissionId, refunds: refunds.length, amount: total });
  return refunds;
}
