/** Words and tones for appointments, shared by the 预约 tab (main package) and the booking pages. */
import { APPOINTMENT_STATUS_LABEL, formatYuan, isOngoing, type AppointmentStatus, type AppointmentView } from '@hospital/shared';

/** `免费` for a free session (e.g. 义诊 at a remote station), else `¥50.00`. */
export const feeText = (fen: number) => (fen === 0 ? '免费' : formatYuan(fen));

/** Colour family of a status badge: green done/booked, blue in progress, orange needs action, grey over. */
export type Tone = 'ok' | 'live' | 'action' | 'over';

export const STATUS_TONE: Record<AppointmentStatus, Tone> = {
  pending_payment: 'action',
  confirmed: 'ok',
  checked_in: 'live',
  completed: 'over',
  cancelled: 'over',
  expired: 'over',
  stopped: 'action',
  no_show: 'over',
};

export const statusLabel = (s: AppointmentStatus) => APPOINTMENT_STATUS_LABEL[s];

/** Ongoing first (soonest session first), then the rest (most recent session first). */
export function sortAppointments(items: readonly AppointmentView[], now: number = Date.now()): { active: AppointmentView[]; past: AppointmentView[] } {
  const key = (a: AppointmentView) => a.schedule.startsAt;
  const ongoing = (a: AppointmentView) => isOngoing(a.status, a.schedule.endsAt, now);
  const active = items.filter(ongoing).sort((a, b) => key(a).localeCompare(key(b)));
  const past = items.filter((a) => !ongoing(a)).sort((a, b) => key(b).localeCompare(key(a)));
  return { active, past };
}
