/**
 * 退款异常: refunds the provider refused (or that its query found failed). `refundFailed` put
 * the money back where it was counted (the order's `refundable`, or the admission's balance by a
 * `refund_reversal` entry) and the refund on the worklist (orders-store `failedRefunds`), in one
 * write. A cashier checks why (the payer's account closed, the merchant balance short…) and
 * sends it again here:
 *
 *   - under a new number `<original>-R<n>` (n = 1, 2… across repeated failures), so the provider
 *     sees a new refund and a retried request is still the same one;
 *   - ONCE per failed refund: the new refund, the order's `refundable` taken again (condition
 *     `refundable >= amount`, the one guard against refunding more than was paid) and the failed
 *     refund's `reissuedAs` (condition: failed and not re-issued yet, which also takes it off
 *     the worklist) are one transaction;
 *   - a deposit refund (admissionId) goes through the ledger like discharge settlement: a refund
 *     entry takes the balance back down (never below zero) in the same transaction, so
 *     balance == sum(ledger) holds, against the same deposit order as the failed refund.
 */
import { LEDGER_ENTRY_LABEL, RefundNo, type FailedRefundView, type ReissuedRefundView } from '@hospital/shared';
import { conflict, HttpError, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { setAppointmentRefund } from '../booking/payment';
import * as admissions from './admissions-store';
import { orderContext, staffMayHandle, type OrderContext } from './order-context';
import * as orders from './orders-store';
import type { OrderItem, RefundItem } from './orders-store';
import { newRefund, submitRefund } from './refunds';
import { sleep, stamp } from './util';

/** `<original>-R<n>`: the next number after a failed one (an original ends in a tag without `-`). */
export function reissueNoOf(failedNo: string): string {
  const m = /^(.*)-R(\d+)$/.exec(failedNo);
  return m ? `${m[1]}-R${Number(m[2]) + 1}` : `${failedNo}-R1`;
}

const notFailed = () => conflict('NOT_FAILED', '该退款不是失败状态，或已重新发起过退款，请刷新列表');
const notRefundable = () => conflict('NOT_REFUNDABLE', '订单剩余可退金额不足，无法按原金额重新退款，请核实该订单的退款记录');

/** A refused write: if the failed refund moved on meanwhile (a concurrent re-issue), that is the answer. */
async function refusal(failed: RefundItem, otherwise: () => HttpError): Promise<HttpError> {
  const now = await orders.getRefund(failed.orderNo, failed.refundNo);
  return !now || now.status !== 'failed' || now.reissuedAs ? notFailed() : otherwise();
}

/** One read per appointment, bill or admission however many refunds name it. */
function contextOf(o: OrderItem, cache: Map<string, Promise<OrderContext>>): Promise<OrderContext> {
  const key = `${o.purpose}:${o.refIds[0]}`;
  if (!cache.has(key)) cache.set(key, orderContext(o).catch(() => ({})));
  return cache.get(key)!;
}

/** The worklist of the caller's hospital, oldest first. */
export async function failedList(p: Principal): Promise<{ items: FailedRefundView[] }> {
  // The index is eventually consistent: drop what has moved on since.
  const refunds = (await orders.failedRefunds()).filter((r) => r.status === 'failed' && !r.reissuedAs);
  const contexts = new Map<string, Promise<OrderContext>>();
  const items = await Promise.all(refunds.map(async (r): Promise<FailedRefundView | undefined> => {
    const o = await orders.getOrder(r.orderNo);
    if (!o) return undefined;
    const c = await contextOf(o, contexts);
    if (!staffMayHandle(p, c)) return undefined;
    return {
      refundNo: r.refundNo, orderNo: r.orderNo, purpose: o.purpose, channel: r.channel, amount: r.amount, reason: r.reason, kind: r.kind,
      createdAt: r.createdAt, failedAt: r.failedAt ?? r.createdAt,
      ...(c.patientName ? { patientName: c.patientName } : {}), ...(r.admissionId ? { admissionId: r.admissionId } : {}),
    };
  }));
  return { items: items.filter((i): i is FailedRefundView => !!i) };
}

const reissuedView = (r: RefundItem, failedNo: string): ReissuedRefundView => ({
  refundNo: r.refundNo, reissueOf: failedNo, orderNo: r.orderNo, channel: r.channel, amount: r.amount, status: r.status,
  ...(r.admissionId ? { admissionId: r.admissionId } : {}),
});

/** Sends a failed refund again, once. */
export async function reissue(p: Principal, refundNo: string, reason?: string): Promise<ReissuedRefundView> {
  if (!RefundNo.safeParse(refundNo).success) throw notFound('退款单不存在');
  const failed = await orders.getRefund(orders.orderNoOfRefund(refundNo), refundNo);
  if (!failed) throw notFound('退款单不存在');
  // Another hospital's refund is not found, whatever its state.
  const o = await orders.getOrder(failed.orderNo);
  if (!o || !staffMayHandle(p, await orderContext(o))) throw notFound('退款单不存在');
  if (failed.status !== 'failed' || failed.reissuedAs) throw notFailed();

  const newNo = reissueNoOf(failed.refundNo);
  const refund: RefundItem = {
    ...newRefund({ order: o, amount: failed.amount, tag: newNo.slice(o.orderNo.length + 1), kind: failed.kind, reason: reason ?? failed.reason, by: p.userId }, failed.admissionId),
    reissueOf: failed.refundNo,
  };
  const closeFailed = orders.reissuedItem(failed, refund.refundNo);

  if (failed.admissionId) await writeDepositRefund(failed, refund, closeFailed);
  else await writeOrderRefund(failed, refund, closeFailed);

  logger.info('refund reissued', { refund: failed.refundNo, as: refund.refundNo, order: o.orderNo, amount: refund.amount, by: p.userId });
  // The appointment shows 退款中 again until the provider pays it out (refundSucceeded: refunded).
  if (o.purpose === 'appointment') await setAppointmentRefund(o.refIds[0], 'requested').catch(() => false);
  await submitRefund(refund);
  return reissuedView((await orders.getRefund(refund.orderNo, refund.refundNo)) ?? refund, failed.refundNo);
}

/** Order refund: the order's `refundable`, the new refund and the failed one's `reissuedAs`, one write. */
async function writeOrderRefund(failed: RefundItem, refund: RefundItem, closeFailed: ReturnType<typeof orders.reissuedItem>): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const out = await orders.createRefund({ refund, also: [closeFailed] });
    if (out === 'created') return;
    if (out === 'conflict') {
      await sleep(20 + Math.random() * 40 * (i + 1));
      continue;
    }
    // 'exists' (the new number is written) or 'refused' (no longer failed / re-issued): someone else did it.
    if (out === 'not_refundable') throw await refusal(failed, notRefundable);
    throw notFailed();
  }
  throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', '系统繁忙，请稍后重试');
}

/**
 * Deposit refund: like discharge settlement, a refund entry on the ledger (balance never below
 * zero) with the refund written and the deposit order's `refundable` taken, plus the failed
 * refund closed — one transaction under the admission's seq lock.
 */
async function writeDepositRefund(failed: RefundItem, refund: RefundItem, closeFailed: ReturnType<typeof orders.reissuedItem>): Promise<void> {
  const admissionId = failed.admissionId as string;
  const out = await admissions.append(admissionId, {
    entries: [{
      entryId: `RFD#${refund.refundNo}`, type: 'refund', amount: -refund.amount, at: stamp(), description: LEDGER_ENTRY_LABEL.refund,
      orderNo: refund.orderNo, refundNo: refund.refundNo, channel: refund.channel,
    }],
    allowed: ['settling', 'awaiting_payment', 'settled'],
    noOverdraw: true,
    also: () => orders.refundItems({ refund, also: [closeFailed] }),
  });
  switch (out.outcome) {
    case 'ok':
      return;
    case 'duplicate':
      throw notFailed();
    case 'also_failed':
      throw await refusal(failed, notRefundable);
    case 'insufficient':
      // A concurrent re-issue took the balance to zero first, or charges came in after the failure.
      throw await refusal(failed, () => conflict('REISSUE_VIA_SETTLEMENT', '住院账户余额已不足该笔退款（退款失败后又有费用入账），请核对账户后通过出院结算处理'));
    case 'refused':
      throw await refusal(failed, () => conflict('REISSUE_VIA_SETTLEMENT', '住院账户当前状态不能直接重新退款，请通过出院结算处理'));
    case 'missing':
      throw notFound('住院记录不存在');
    default:
      throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', '系统繁忙，请稍后重试');
  }
}
