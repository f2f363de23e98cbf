/**
 * Refunds: written first (taking the amount from what is left of the order, so two refunds can
 * never add up to more than was paid), then sent to the provider under the same number
 * (out_refund_no / out_request_no), so any repeat is idempotent at both ends.
 */
import { LEDGER_ENTRY_LABEL } from '@hospital/shared';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import { setAppointmentRefund } from '../booking/payment';
import * as admissions from './admissions-store';
import { channel, isProviderError } from './channels';
import * as orders from './orders-store';
import type { OrderItem, RefundItem } from './orders-store';
import { stamp } from './util';

export interface RefundRequest {
  order: OrderItem;
  amount: number;
  /** Refund number = `<orderNo>-<tag>`: the same tag is the same refund, however often asked. */
  tag: string;
  kind: RefundItem['kind'];
  reason: string;
  by?: string;
  /** Extra order changes in the same write (the effect's refund closes `effect`). */
  orderSet?: string;
  orderRemove?: string;
  orderCondition?: string;
  orderValues?: Record<string, unknown>;
}

export const refundNoOf = (orderNo: string, tag: string) => `${orderNo}-${tag}`;

export function newRefund(r: Pick<RefundRequest, 'order' | 'amount' | 'tag' | 'kind' | 'reason' | 'by'>, admissionId?: string): RefundItem {
  return {
    refundNo: refundNoOf(r.order.orderNo, r.tag), orderNo: r.order.orderNo, channel: r.order.channel, amount: r.amount,
    reason: r.reason, kind: r.kind, status: 'requested', createdAt: stamp(), ...(r.by ? { by: r.by } : {}), ...(admissionId ? { admissionId } : {}),
  };
}

/**
 * Writes the refund (not for deposits: their refunds go through the ledger, see settlement.ts)
 * and submits it. 'not_refundable': nothing (or not that much) is left of the order.
 */
export async function requestRefund(req: RefundRequest): Promise<RefundItem | 'not_refundable'> {
  const refund = newRefund(req);
  for (let i = 0; i < 5; i++) {
    const out = await orders.createRefund({ refund, orderSet: req.orderSet, orderRemove: req.orderRemove, orderCondition: req.orderCondition, orderValues: req.orderValues });
    if (out === 'not_refundable' || out === 'refused') return 'not_refundable';
    if (out === 'conflict') {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
      continue;
    }
    if (out === 'created') logger.info('refund requested', { order: req.order.orderNo, refund: refund.refundNo, amount: refund.amount, kind: refund.kind });
    const stored = (await orders.getRefund(refund.orderNo, refund.refundNo)) ?? refund;
    await submitRefund(stored);
    return (await orders.getRefund(refund.orderNo, refund.refundNo)) ?? stored;
  }
  throw new Error('refund could not be written (contention)');
}

/**
 * Sends a written refund to the provider. A network failure leaves it `requested` for the sweep;
 * a refusal fails it and gives the amount back (to the order, and to the ledger for a deposit).
 */
export async function submitRefund(r: RefundItem): Promise<void> {
  if (r.status !== 'requested' && r.status !== 'processing') return;
  const order = await orders.getOrder(r.orderNo);
  if (!order) return;
  try {
    const out = await channel(r.channel).refund({ orderNo: r.orderNo, refundNo: r.refundNo, amount: r.amount, total: order.amount, reason: r.reason });
    if (out.status === 'succeeded') await refundSucceeded(r, out.succeededAt);
    else if (out.status === 'processing') await orders.advanceRefund(r.orderNo, r.refundNo, 'processing');
    else await refundFailed(r);
  } catch (e) {
    if (isProviderError(e, 'REJECTED')) {
      logger.error('refund refused by provider', { refund: r.refundNo, providerCode: e.providerCode });
      await refundFailed(r);
      return;
    }
    logger.warn('refund not submitted, will retry', { refund: r.refundNo, error: (e as Error).name });
  }
}

/** The provider paid the refund out (its answer, a notification or a query). Once. */
export async function refundSucceeded(r: RefundItem, at?: string): Promise<void> {
  if (!(await orders.advanceRefund(r.orderNo, r.refundNo, 'succeeded', at))) return;
  logger.info('refund succeeded', { refund: r.refundNo, amount: r.amount });
  const order = await orders.getOrder(r.orderNo);
  if (!order) return;
  if (order.purpose === 'appointment') await setAppointmentRefund(order.refIds[0], 'refunded').catch(() => false);
  await publish([userTopic(order.userId)], { type: 'payment.refunded', data: { orderNo: order.orderNo, refundNo: r.refundNo } });
}

/**
 * A refused refund: the money stays with the hospital, so it goes back where it was counted, and
 * the refund goes on the cashier's 退款异常 worklist (failRefundItems, same write) to be re-issued
 * (reissue.ts).
 */
export async function refundFailed(r: RefundItem): Promise<void> {
  if (r.admissionId) {
    // Deposit refund: the reversal entry and the refund's failure in one write keep balance == sum(ledger).
    const out = await admissions.append(r.admissionId, {
      entries: [{ entryId: `REV#${r.refundNo}`, type: 'refund_reversal', amount: r.amount, at: stamp(), description: LEDGER_ENTRY_LABEL.refund_reversal, orderNo: r.orderNo, refundNo: r.refundNo, channel: r.channel }],
      allowed: ['active', 'settling', 'awaiting_payment', 'settled'],
      also: () => orders.failRefundItems(r),
    });
    if (out.outcome === 'ok') logger.error('deposit refund failed, balance restored', { refund: r.refundNo, admission: r.admissionId });
    return;
  }
  if (await orders.failRefund(r)) logger.error('refund failed', { refund: r.refundNo });
}

/** Asks the provider about a refund that is not final yet (the sweep). */
export async function checkRefund(orderNo: string, refundNo: string): Promise<void> {
  const r = await orders.getRefund(orderNo, refundNo);
  if (!r || (r.status !== 'requested' && r.status !== 'processing')) return;
  const out = await channel(r.channel).queryRefund({ orderNo, refundNo });
  if (out.status === 'succeeded') await refundSucceeded(r, out.succeededAt);
  else if (out.status === 'missing') await submitRefund(r); // never reached the provider: send it (same number)
  else if (out.status === 'failed') await refundFailed(r);
  else await orders.advanceRefund(orderNo, refundNo, 'processing');
}
