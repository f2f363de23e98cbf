/**
 * A verified payment (notification or active query) → the order is credited once, then its
 * effect is applied once; an effect that can no longer happen (the hold expired, the bill was
 * paid by another order, the admission was settled) is refunded in full, never forced.
 */
import { HttpError } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailed, table } from '#lib/table';
import * as orders from './orders-store';
import type { OrderItem, PaidFacts } from './orders-store';
import { purposes } from './purposes';
import { requestRefund } from './refunds';
import { withConflictRetry } from './util';

/** A credit whose effect is still pending after this long was interrupted: finish it. */
const STALE_EFFECT_MS = 30_000;

export async function creditPayment(order: OrderItem, facts: PaidFacts, via: 'notification' | 'query'): Promise<OrderItem> {
  const { outcome, order: o } = await orders.recordPaid(order, facts);
  if (outcome === 'recorded') {
    logger.info('payment credited', { order: o.orderNo, purpose: o.purpose, amount: o.amount, channel: o.channel, via });
    await publish([userTopic(o.userId)], { type: 'payment.paid', data: { orderNo: o.orderNo } });
  }
  const stale = o.creditedAt !== undefined && Date.now() - o.creditedAt > STALE_EFFECT_MS;
  if (o.status === 'paid' && (outcome === 'recorded' || stale)) await finishEffect(o);
  return (await orders.getOrder(o.orderNo)) ?? o;
}

/** Applies (or refunds) the effect of a paid order; safe to repeat, safe to race. */
export async function finishEffect(o: OrderItem): Promise<void> {
  if (o.effect === 'pending') {
    let r: Awaited<ReturnType<(typeof purposes)['bill']['apply']>> | 'conflict';
    try {
      r = await withConflictRetry(async () => {
        const out = await purposes[o.purpose].apply(o);
        return out.outcome === 'conflict' ? 'conflict' : out;
      });
    } catch (e) {
      // Booking answers 409 when the appointment changes under it: try again on the next sweep.
      if (e instanceof HttpError && e.status === 409) r = 'conflict';
      else throw e;
    }
    if (r === 'conflict') {
      logger.warn('effect deferred to the sweep', { order: o.orderNo });
      return;
    }
    if (r.outcome === 'rejected') {
      logger.warn('payment cannot be applied, refunding', { order: o.orderNo, purpose: o.purpose });
      await orders.markRefundDue(o.orderNo, r.note);
    } else {
      if (r.outcome === 'duplicate') await markApplied(o.orderNo);
      if (r.outcome === 'applied') logger.info('payment applied', { order: o.orderNo, purpose: o.purpose });
      await publish([userTopic(o.userId)], { type: 'payment.applied', data: { orderNo: o.orderNo } });
      await purposes[o.purpose].applied?.(o);
      return;
    }
  }
  const now = await orders.getOrder(o.orderNo);
  if (now?.effect === 'refund_due') await refundEffect(now);
}

/** Effect pending → applied after a purpose applied it outside our transaction (appointments). */
async function markApplied(orderNo: string) {
  try {
    await db.send(new UpdateCommand({
      TableName: table(), Key: orders.orderKey(orderNo),
      UpdateExpression: 'SET effect = :applied REMOVE GSI1PK, GSI1SK',
      ConditionExpression: 'effect = :pending',
      ExpressionAttributeValues: { ':applied': 'applied', ':pending': 'pending' },
    }));
  } catch (e) {
    if (!isConditionFailed(e)) throw e;
  }
}

/** The full refund of a payment that could not be applied (refund number <orderNo>-E). */
export async function refundEffect(o: OrderItem): Promise<void> {
  await requestRefund({
    order: o, amount: o.refundable ?? o.amount, tag: 'E', kind: 'effect', reason: o.effectNote ?? '业务已失效，原路退款',
    orderSet: 'effect = :refunded', orderRemove: 'GSI1PK, GSI1SK', orderCondition: 'effect = :due', orderValues: { ':refunded': 'refunded', ':due': 'refund_due' },
  });
}
