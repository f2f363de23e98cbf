/**
 * EXTENSION POINT for payments: the refund of an appointment that was paid and then ended
 * without a visit (the resident cancelled before the cut-off, or the hospital stopped the
 * session). Booking calls `refundAppointmentPayment` right after the appointment's state
 * change is durable; it must never throw for a provider failure (retry from `refundsDue()`).
 *
 * Until the payments feature replaces the body below with a call into its refund service
 * (idempotent on out_refund_no = appointment id), it only marks the appointment
 * `refund: 'required'` and queues it; `refundsDue()` / `clearRefundDue()` let payments pick
 * up what was marked before it existed. Payments then records progress with
 * `setAppointmentRefund(id, 'requested' | 'refunded')` (booking/payment.ts).
 *
 * A late payment for a hold that already expired is NOT routed here: payments learns it from
 * `confirmAppointmentPayment` (outcome 'refund_required') and refunds that order itself.
 */
import type { RefundState } from '@hospital/shared';
import { toLocalIso } from '@hospital/shared';
import { logger } from '#lib/logger';
import { markRefundRequired, type AppointmentItem } from './store';

export type RefundReason = 'cancelled' | 'stopped';

/** undefined when nothing was paid. */
export async function refundAppointmentPayment(a: AppointmentItem, reason: RefundReason): Promise<RefundState | undefined> {
  if (!a.paidAt) return undefined;
  await markRefundRequired(a, reason, toLocalIso(Date.now()));
  logger.info('refund required', { appointment: a.id, reason, amount: a.fee });
  return 'required';
}
