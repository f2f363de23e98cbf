/**
 * What payments needs from booking (the appointment fee, purpose 'appointment'):
 *
 *   appointmentForPayment(userId, id)       → amount to charge, or 404 / 409 (not payable, hold expired)
 *   confirmAppointmentPayment(id, payment)  → 'confirmed' | 'duplicate' | 'refund_required'
 *   setAppointmentRefund(id, state)         → refund progress shown to the resident
 *   refundsDue() / clearRefundDue(key)      → paid appointments that ended unvisited (refund.ts)
 *
 * `confirmAppointmentPayment` is the only way a hold becomes confirmed. It races the hold-expiry
 * job on one conditional write: whichever lands first wins, so the place is given back exactly
 * once and a payment that lost the race is reported for refund, never squeezed in by overbooking.
 */
import { APPOINTMENT_STATUS_LABEL, paymentOutcome, toLocalIso, type RefundState } from '@hospital/shared';
import { conflict } from '#lib/errors';
import { logger } from '#lib/logger';
import { tell } from './messages';
import * as store from './store';
import { ownAppointment } from './view';

export { refundsDue, clearRefundDue, type RefundDue } from './store';

export interface AppointmentCharge {
  appointmentId: string;
  patientId: string;
  /** Fen, computed from the session, never from the client. */
  amount: number;
  /** What the payer's WeChat/Alipay bill shows: the hospital only, never a department or a doctor (it hints at a diagnosis). */
  description: string;
  holdExpiresAt: string;
}

export async function appointmentForPayment(userId: string, appointmentId: string, now = Date.now()): Promise<AppointmentCharge> {
  const a = await ownAppointment(userId, appointmentId);
  if (a.status !== 'pending_payment') throw conflict('APPOINTMENT_NOT_PAYABLE', `预约${APPOINTMENT_STATUS_LABEL[a.status]}，无需支付`);
  if (!a.holdExpiresAt || now >= Date.parse(a.holdExpiresAt)) throw conflict('HOLD_EXPIRED', '支付时间已过，号源已释放，请重新预约');
  return {
    appointmentId: a.id,
    patientId: a.patientId,
    amount: a.fee,
    description: `挂号费-${a.orgName}`.slice(0, 120),
    holdExpiresAt: a.holdExpiresAt,
  };
}

export type PaymentConfirmation = { outcome: 'confirmed' | 'duplicate' | 'refund_required'; status: string };

/** Call once a payment is verified (notification or active query). Idempotent per order. */
export async function confirmAppointmentPayment(appointmentId: string, payment: { orderNo: string; paidAt?: string }): Promise<PaymentConfirmation> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const a = await store.getAppointment(appointmentId);
    if (!a) return { outcome: 'refund_required', status: 'missing' };
    const outcome = paymentOutcome(a.status, a.orderNo === payment.orderNo && !!a.paidAt);
    if (outcome === 'duplicate') return { outcome, status: a.status };
    if (outcome === 'refund') {
      logger.info('late payment', { appointment: a.id, status: a.status });
      return { outcome: 'refund_required', status: a.status };
    }
    const paidAt = payment.paidAt ? toLocalIso(payment.paidAt) : toLocalIso(Date.now());
    if (await store.transition(a, { event: 'pay', set: { paidAt, orderNo: payment.orderNo } }, toLocalIso(Date.now()))) {
      logger.info('appointment paid', { appointment: a.id });
      await tell({ ...a, status: 'confirmed', paidAt, orderNo: payment.orderNo }, 'booking_confirmed');
      return { outcome: 'confirmed', status: 'confirmed' };
    }
    // Someone else's transition won (expiry, cancel, a concurrent copy of this notification): look again.
  }
  throw conflict('APPOINTMENT_STATE_CHANGED', '预约状态变化过快，请稍后重试');
}

/** Refund progress (payments calls this when it requests and when the provider confirms). */
export async function setAppointmentRefund(appointmentId: string, state: RefundState): Promise<boolean> {
  return store.annotate(appointmentId, { refund: state, updatedAt: toLocalIso(Date.now()) });
}
