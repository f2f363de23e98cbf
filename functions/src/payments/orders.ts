/**
 * Payment orders: create (the server prices it, the provider is asked for a trade), read (the
 * result page polls; a pending order is checked with the provider, throttled), and a staff refund.
 * A client's "paid" callback changes nothing: only a verified notification or a query does.
 */
import type * as z from 'zod';
import {
  isFinalResult, PAYMENT_RESULT_LABEL, type CreatePaymentRequest, type PaymentOrderView, type PaymentResult,
} from '@hospital/shared';
import { config } from '#lib/config';
import { conflict, HttpError, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { channel, isProviderError } from './channels';
import { paymentsConfig } from './config';
import * as store from './orders-store';
import type { OrderItem, RefundItem } from './orders-store';
import { payerId } from './payer';
import { purposes } from './purposes';
import { requestRefund } from './refunds';
import { settleOrder } from './sweep';
import { newOrderNo, stamp } from './util';
import { orderContext, staffMayHandle } from './order-context';

/** A polling client makes the server ask the provider at most this often per order. */
const QUERY_EVERY_MS = 5_000;

function result(o: OrderItem, refunds: RefundItem[]): PaymentResult {
  if (o.status === 'pending') return 'pending';
  if (o.status === 'closed') return 'closed';
  if (o.effect === 'pending') return 'processing';
  if (o.effect === 'refund_due' || o.effect === 'refunded') {
    return refunds.some((r) => r.kind === 'effect' && r.status === 'succeeded') ? 'refunded' : 'refunding';
  }
  return 'succeeded';
}

function returnUrl(o: Pick<OrderItem, 'orderNo'>, returnPath?: string) {
  const path = (returnPath ?? paymentsConfig.h5ResultPath).replace('{orderNo}', encodeURIComponent(o.orderNo));
  return `${config.h5Origin}${path}`;
}

export async function view(o: OrderItem): Promise<PaymentOrderView> {
  const refunds = await store.listRefunds(o.orderNo);
  const r = result(o, refunds);
  return {
    orderNo: o.orderNo,
    purpose: o.purpose,
    refIds: o.refIds,
    ...(o.patientId ? { patientId: o.patientId } : {}),
    channel: o.channel,
    amount: o.amount,
    description: o.description,
    status: o.status,
    result: r,
    resultMessage: o.effectNote && (r === 'refunding' || r === 'refunded') ? o.effectNote : PAYMENT_RESULT_LABEL[r],
    final: isFinalResult(r),
    createdAt: o.createdAt,
    expiresAt: o.expiresAt,
    ...(o.paidAt ? { paidAt: o.paidAt } : {}),
    refunded: refunds.filter((x) => x.status !== 'failed').reduce((s, x) => s + x.amount, 0),
    refunds: refunds.map((x) => ({ refundNo: x.refundNo, amount: x.amount, status: x.status, reason: x.reason, createdAt: x.createdAt, ...(x.succeededAt ? { succeededAt: x.succeededAt } : {}) })),
    ...(o.status === 'pending' && o.providerRef && Date.now() < Date.parse(o.expiresAt)
      ? { pay: channel(o.channel).payView(o.providerRef, o.returnUrl) }
      : {}),
  };
}

export async function create(p: Principal, body: z.output<typeof CreatePaymentRequest>): Promise<PaymentOrderView> {
  const now = Date.now();
  const orderNo = newOrderNo(now);
  const refIds = body.refIds ?? [body.refId as string];
  const q = await purposes[body.purpose].quote({ userId: p.userId, orderNo, refIds, amount: body.amount, now }, paymentsConfig.orderTtlSeconds);
  if (q.expiresAt - now < 30_000) throw conflict('HOLD_EXPIRED', '支付时间已不足，请重新预约');
  if (q.amount <= 0) throw invalidField('body.refId', '无需支付');
  const order: OrderItem = {
    orderNo, userId: p.userId, ...(q.patientId ? { patientId: q.patientId } : {}), purpose: body.purpose, refIds: [...new Set(refIds)], channel: body.channel,
    amount: q.amount, description: q.description, status: 'pending', payerId: await payerId(p.userId, body.channel),
    returnUrl: returnUrl({ orderNo }, body.returnPath), createdAt: stamp(now), expiresAt: stamp(q.expiresAt),
  };
  if ((await store.putOrder(order, now + paymentsConfig.sweepAfterSeconds * 1000, q.reserve)) === 'refused') throw q.refused();
  try {
    const { providerRef } = await channel(body.channel).prepay({ orderNo, amount: q.amount, description: q.description, payerId: order.payerId, expiresAt: new Date(q.expiresAt) });
    await store.setProviderRef(orderNo, providerRef);
    order.providerRef = providerRef;
  } catch (e) {
    if (!isProviderError(e)) throw e;
    logger.error('prepay failed', { order: orderNo, channel: body.channel, code: e.code, providerCode: e.providerCode });
    // A definite refusal closes the order now (releasing a deposit reservation); otherwise the sweep does.
    if (e.code === 'REJECTED') await store.closeOrder(orderNo, stamp(), purposes[body.purpose].release(order));
    throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', '支付服务暂时不可用，请稍后重试');
  }
  logger.info('order created', { order: orderNo, purpose: body.purpose, channel: body.channel, amount: q.amount, user: p.userId });
  return view(order);
}

const isStaff = (p: Principal) => p.roles.includes('cashier') || p.roles.includes('admin');

/** The payer's own order, or for a cashier/admin an order of their hospital; 404 otherwise. */
async function readable(p: Principal, orderNo: string): Promise<OrderItem> {
  const o = /^[A-Z0-9]{16,32}$/.test(orderNo) ? await store.getOrder(orderNo) : undefined;
  if (!o || (o.userId !== p.userId && !(isStaff(p) && staffMayHandle(p, await orderContext(o))))) throw notFound('订单不存在');
  return o;
}

export async function get(p: Principal, orderNo: string): Promise<PaymentOrderView> {
  let o = await readable(p, orderNo);
  const now = Date.now();
  if (o.status === 'pending' && now - Date.parse(o.createdAt) > 3_000 && (await store.claimQuery(orderNo, now, QUERY_EVERY_MS))) {
    // The result page is waiting: ask the provider instead of waiting for a lost notification.
    await settleOrder(orderNo, { now }).catch((e: Error) => logger.warn('order check failed', { order: orderNo, error: e.name }));
    o = (await store.getOrder(orderNo)) ?? o;
  } else if (o.status === 'paid' && (o.effect === 'pending' || o.effect === 'refund_due') && o.creditedAt && now - o.creditedAt > 30_000) {
    await settleOrder(orderNo, { now }).catch(() => undefined);
    o = (await store.getOrder(orderNo)) ?? o;
  }
  return view(o);
}

/** A cashier refunds part or all of a bill or appointment payment; never more than is left. */
export async function staffRefund(p: Principal, orderNo: string, amount: number, reason: string, key: string): Promise<PaymentOrderView> {
  // Only for the order's hospital: a cashier's own payment elsewhere is not theirs to refund.
  const o = /^[A-Z0-9]{16,32}$/.test(orderNo) ? await store.getOrder(orderNo) : undefined;
  if (!o || !staffMayHandle(p, await orderContext(o))) throw notFound('订单不存在');
  if (o.purpose === 'deposit') throw conflict('USE_SETTLEMENT', '住院押金请通过出院结算退还');
  if (o.status !== 'paid') throw conflict('NOT_PAID', '订单未支付，无需退款');
  if (amount > (o.refundable ?? 0)) throw invalidField('body.amount', `最多可退 ¥${((o.refundable ?? 0) / 100).toFixed(2)}`);
  // The Idempotency-Key makes a retried request the same refund (same tag, same number).
  const tag = `M${key.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`;
  const r = await requestRefund({ order: o, amount, tag, kind: 'staff', reason, by: p.userId });
  if (r === 'not_refundable') throw invalidField('body.amount', '超出可退金额');
  logger.info('staff refund', { order: orderNo, refund: r.refundNo, by: p.userId });
  return view((await store.getOrder(orderNo)) ?? o);
}
