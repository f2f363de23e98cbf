/**
 * Lost notifications and expiry. A scheduled function asks the provider about every order still
 * pending a while after creation: paid → credited (as a notification would); unpaid past expiry →
 * closed at the provider first (so it can no longer be paid), then here. Orders whose effect was
 * interrupted, refunds not yet final, and appointment refunds booking queued are finished too.
 */
import { logger } from '#lib/logger';
import { clearRefundDue, refundsDue, setAppointmentRefund } from '../booking/payment';
import { channel, isProviderError, type ProviderTrade } from './channels';
import { paymentsConfig } from './config';
import { creditPayment, finishEffect } from './credit';
import * as orders from './orders-store';
import type { OrderItem } from './orders-store';
import { purposes } from './purposes';
import { checkRefund, requestRefund } from './refunds';
import { stamp } from './util';

/** After expiry the provider may still be finishing a payment that started in time. */
const EXPIRY_GRACE_MS = 60_000;

export type Settled = 'paid' | 'pending' | 'closed' | 'unavailable';

async function credit(o: OrderItem, t: ProviderTrade): Promise<Settled> {
  if (t.total !== undefined && t.total !== o.amount) {
    // Never credit a different amount: the reconciliation report and staff decide.
    logger.error('provider amount differs from the order', { order: o.orderNo, channel: o.channel });
    return 'pending';
  }
  await creditPayment(o, { paidAt: t.paidAt ?? stamp(), transactionId: t.transactionId }, 'query');
  return 'paid';
}

async function closeHere(o: OrderItem): Promise<Settled> {
  if (await orders.closeOrder(o.orderNo, stamp(), purposes[o.purpose].release(o))) {
    logger.info('order closed unpaid', { order: o.orderNo });
  }
  return 'closed';
}

/**
 * Brings one order to what the provider knows. `force`: close it even before expiry (a
 * discharge settlement cannot wait for a deposit the family may never pay).
 */
export async function settleOrder(orderNo: string, opts: { force?: boolean; now?: number } = {}): Promise<Settled> {
  const now = opts.now ?? Date.now();
  const o = await orders.getOrder(orderNo);
  if (!o) return 'closed';
  if (o.status === 'paid') {
    if (o.effect === 'pending' || o.effect === 'refund_due') await finishEffect(o);
    return 'paid';
  }
  if (o.status === 'closed') return 'closed';
  const ch = channel(o.channel);
  try {
    const t = await ch.query(orderNo);
    if (t.state === 'paid') return credit(o, t);
    const expired = now > Date.parse(o.expiresAt) + EXPIRY_GRACE_MS;
    if (t.state === 'closed') return closeHere(o);
    if (t.state === 'missing') {
      // Never created at the provider (the prepay failed): closed once nobody can still be creating it.
      if (expired || opts.force || now - Date.parse(o.createdAt) > EXPIRY_GRACE_MS) return closeHere(o);
      return 'pending';
    }
    if (!expired && !opts.force) {
      await orders.rescheduleSweep(orderNo, Math.min(Date.parse(o.expiresAt) + EXPIRY_GRACE_MS, now + 60_000));
      return 'pending';
    }
    if ((await ch.close(orderNo)) === 'closed') return closeHere(o);
    // The provider would not close it: it was paid in the meantime.
    const again = await ch.query(orderNo);
    if (again.state === 'paid') return credit(o, again);
    if (again.state === 'closed') return closeHere(o);
    return 'pending';
  } catch (e) {
    if (isProviderError(e)) {
      logger.warn('provider unavailable for order check', { order: orderNo, code: e.code });
      await orders.rescheduleSweep(orderNo, now + 60_000);
      return 'unavailable';
    }
    throw e;
  }
}

/**
 * Queued appointment refunds from booking (cancelled / stopped after payment). The minute sweep
 * runs it; booking may call it right after queueing for an immediate refund.
 */
export async function refundQueuedAppointments(): Promise<number> {
  let n = 0;
  for (const due of await refundsDue()) {
    const o = due.orderNo ? await orders.getOrder(due.orderNo) : undefined;
    if (!o || o.status !== 'paid') {
      logger.error('appointment refund without a paid order', { appointment: due.appointmentId });
      continue;
    }
    const r = await requestRefund({ order: o, amount: Math.min(due.amount, o.amount), tag: 'C', kind: 'appointment', reason: due.reason === 'stopped' ? '医生停诊退款' : '取消预约退款' });
    if (r === 'not_refundable') logger.error('appointment refund: nothing left on the order', { appointment: due.appointmentId, order: o.orderNo });
    else await setAppointmentRefund(due.appointmentId, r.status === 'succeeded' ? 'refunded' : 'requested');
    await clearRefundDue(due.key);
    n++;
  }
  return n;
}

export async function sweep(now = Date.now()) {
  const counts = { orders: 0, paid: 0, closed: 0, refunds: 0, appointmentRefunds: 0 };
  const threshold = now - paymentsConfig.sweepAfterSeconds * 1000;
  for (const orderNo of await orders.ordersToSweep(now)) {
    const o = await orders.getOrder(orderNo);
    // A fresh order is left to its notification; a paid one with its effect pending is not.
    if (o && o.status === 'pending' && Date.parse(o.createdAt) > threshold) continue;
    counts.orders++;
    const s = await settleOrder(orderNo, { now }).catch((e: Error) => (logger.error('order sweep failed', { order: orderNo, error: e.name }), 'unavailable' as const));
    if (s === 'paid') counts.paid++;
    if (s === 'closed') counts.closed++;
  }
  for (const r of await orders.refundsToSweep(now)) {
    counts.refunds++;
    await checkRefund(r.orderNo, r.refundNo).catch((e: Error) => logger.warn('refund check failed', { refund: r.refundNo, error: e.name }));
  }
  counts.appointmentRefunds = await refundQueuedAppointments().catch((e: Error) => (logger.error('appointment refunds failed', { error: e.name }), 0));
  if (counts.orders || counts.refunds || counts.appointmentRefunds) logger.info('payments sweep', counts);
  return counts;
}
