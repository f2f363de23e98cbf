/**
 * The appointment (挂号) state machine, shared by booking and payments. The server applies a
 * transition as ONE conditional write ("status is one of `from`"), so two racing events (the
 * hold-expiry job and a late payment notification, two cancel taps) can never both win: the
 * loser sees the new state and acts on it (a late payment is refunded, a second cancel is a no-op).
 *
 *   pending_payment ──pay──▶ confirmed ──check_in──▶ checked_in ──complete──▶ completed
 *        │  └─expire─▶ expired (place back)   │
 *        └──────cancel──────▶ cancelled (place back; refund if paid)
 *   pending_payment | confirmed | checked_in ──stop (停诊)──▶ stopped (refund if paid)
 *   after the session: confirmed ──miss──▶ no_show (爽约: the place is not offered again, no refund);
 *                      checked_in ──complete──▶ completed (the last patient seen, nobody called next)
 */
import * as z from 'zod';
import { addDays, daysBetween } from './time';

export const AppointmentStatus = z.enum(['pending_payment', 'confirmed', 'checked_in', 'completed', 'cancelled', 'expired', 'stopped', 'no_show']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const APPOINTMENT_STATUS_LABEL: Record<AppointmentStatus, string> = {
  pending_payment: '待支付',
  confirmed: '预约成功',
  checked_in: '已签到候诊',
  completed: '已就诊',
  cancelled: '已取消',
  expired: '支付超时已失效',
  stopped: '医生停诊',
  no_show: '未就诊（爽约）',
};

/** Statuses that count as the person's one active appointment in a session. */
export const ACTIVE_STATUSES = ['pending_payment', 'confirmed', 'checked_in'] as const satisfies readonly AppointmentStatus[];

/**
 * Statuses whose place is still counted as taken in the session's inventory (a stopped session's
 * places are not given back: the session is closed). Used to check the inventory adds up.
 */
export const HOLDS_PLACE_STATUSES = ['pending_payment', 'confirmed', 'checked_in', 'completed', 'stopped', 'no_show'] as const satisfies readonly AppointmentStatus[];

export type AppointmentEvent = 'pay' | 'expire' | 'cancel' | 'check_in' | 'complete' | 'stop' | 'miss';

export interface Transition {
  from: readonly AppointmentStatus[];
  to: AppointmentStatus;
  /** The place goes back to the session's inventory (exactly once: it rides on the same write). */
  returnsPlace: boolean;
  /** The person's one-active-appointment-per-session mark is cleared. */
  endsActive: boolean;
  /** A payment already made must be refunded. */
  refundsPayment: boolean;
}

export const TRANSITIONS: Record<AppointmentEvent, Transition> = {
  pay: { from: ['pending_payment'], to: 'confirmed', returnsPlace: false, endsActive: false, refundsPayment: false },
  expire: { from: ['pending_payment'], to: 'expired', returnsPlace: true, endsActive: true, refundsPayment: false },
  cancel: { from: ['pending_payment', 'confirmed'], to: 'cancelled', returnsPlace: true, endsActive: true, refundsPayment: true },
  check_in: { from: ['confirmed'], to: 'checked_in', returnsPlace: false, endsActive: false, refundsPayment: false },
  complete: { from: ['checked_in'], to: 'completed', returnsPlace: false, endsActive: true, refundsPayment: false },
  // A stopped session is closed: its places are not offered again, so none "comes back".
  stop: { from: ['pending_payment', 'confirmed', 'checked_in'], to: 'stopped', returnsPlace: false, endsActive: true, refundsPayment: true },
  // The session is over: the place was used up by not coming; the fee is the hospital's rule (kept).
  miss: { from: ['confirmed'], to: 'no_show', returnsPlace: false, endsActive: true, refundsPayment: false },
};

export const canApply = (status: AppointmentStatus, event: AppointmentEvent) => TRANSITIONS[event].from.includes(status);

export const isActive = (status: AppointmentStatus) => (ACTIVE_STATUSES as readonly string[]).includes(status);

/** Still to come or under way: active and its session not over (the nightly job closes the rest). */
export const isOngoing = (status: AppointmentStatus, endsAt: string, now: number = Date.now()) => isActive(status) && now < Date.parse(endsAt);

/**
 * 爽约 (no-show) rule: `limit` no-shows within `windowDays` pause the person's online booking for
 * `pauseDays` from the last one (on every account that holds them); the hospital's window still
 * registers them. The same rule is shown to residents before they book.
 */
export const NO_SHOW_POLICY = { limit: 3, windowDays: 90, pauseDays: 90 } as const;
export const NO_SHOW_RULE_TEXT = `预约后未按时就诊将记为爽约；${NO_SHOW_POLICY.windowDays}天内爽约${NO_SHOW_POLICY.limit}次，将暂停网上预约${NO_SHOW_POLICY.pauseDays}天。`;

/** The last day online booking is paused after these no-show dates (YYYY-MM-DD), or undefined. */
export function bookingPausedUntil(noShowDates: readonly string[], today: string, p: { limit: number; windowDays: number; pauseDays: number } = NO_SHOW_POLICY): string | undefined {
  const last = [...noShowDates].filter((d) => d <= today).sort().slice(-p.limit);
  if (last.length < p.limit || daysBetween(last[0], last[last.length - 1]) >= p.windowDays) return undefined;
  const until = addDays(last[last.length - 1], p.pauseDays);
  return until >= today ? until : undefined;
}

/** What a fee means at booking time: free sessions confirm at once, paid ones are held. */
export const initialStatus = (fee: number): AppointmentStatus => (fee > 0 ? 'pending_payment' : 'confirmed');

/**
 * What to do with a payment that arrives for an appointment in `status`: credit it (the hold
 * becomes a confirmed appointment), accept a duplicate (already confirmed by this same payment),
 * or refund it (the hold expired, the person cancelled or the session was stopped first).
 */
export function paymentOutcome(status: AppointmentStatus, alreadyPaidBySameOrder: boolean): 'confirm' | 'duplicate' | 'refund' {
  if (status === 'pending_payment') return 'confirm';
  if (alreadyPaidBySameOrder) return 'duplicate';
  return 'refund';
}

/** Refund progress of a paid appointment that ended without a visit. */
export const RefundState = z.enum(['required', 'requested', 'refunded']);
export type RefundState = z.infer<typeof RefundState>;
