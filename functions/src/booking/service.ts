/**
 * Booking (挂号): take a place, cancel, check in. Every state change is one conditional
 * transaction (booking/store.ts); nothing here reads a count and then writes it.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  APPOINTMENT_STATUS_LABEL,
  BookingRefusal,
  calendarRefusal,
  canApply,
  checkInRefusal,
  initialStatus,
  isActive,
  toLocalIso,
  type AppointmentView,
  type QrTarget,
} from '@hospital/shared';
import { conflict, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish } from '#lib/realtime';
import { getSchedule, type PlaceShard } from '../catalog/schedule-store';
import { requireOwnPatient } from '../patients/service';
import { getQr } from '../qr/store';
import * as queue from '../queue/store';
import { tell } from './messages';
import { refundAppointmentPayment } from './refund';
import { holdMinutes } from './settings';
import * as store from './store';
import { appointmentView, ownAppointment } from './view';

const freeShards = (shards: PlaceShard[]) => shards.filter((s) => s.open && s.left > 0).map((s) => s.shard);
const shuffle = <T>(xs: T[]) => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function book(userId: string, req: { scheduleId: string; patientId: string }): Promise<AppointmentView> {
  const [patient, found] = await Promise.all([requireOwnPatient(userId, req.patientId), getSchedule(req.scheduleId)]);
  if (!found) throw notFound('出诊时段不存在');
  const s = found.schedule;
  const now = Date.now();
  const refusal = calendarRefusal(s, now);
  if (refusal) throw conflict(refusal, BookingRefusal[refusal]);

  const status = initialStatus(s.fee);
  const at = toLocalIso(now);
  const base: Omit<store.AppointmentItem, 'shard'> = {
    id: `ap-${randomUUID()}`,
    userId,
    patientId: patient.patientId,
    patientName: patient.name,
    patientRelation: patient.relation,
    scheduleId: s.id,
    date: s.date,
    session: s.session,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    cancelCutoffAt: s.cancelCutoffAt,
    orgId: s.orgId,
    orgName: s.orgName,
    deptId: s.deptId,
    deptName: s.deptName,
    doctorId: s.doctorId,
    doctorName: s.doctorName,
    doctorTitle: s.doctorTitle,
    fee: s.fee,
    status,
    checkInCode: String(randomInt(1_000_000)).padStart(6, '0'),
    ...(status === 'pending_payment' ? { holdExpiresAt: toLocalIso(now + holdMinutes() * 60_000) } : {}),
    createdAt: at,
    updatedAt: at,
  };

  // Try the shards that looked free, in random order so concurrent bookings spread out. A stale
  // read only costs a failed conditional write; a fresh read is taken once if all of them failed.
  let candidates = shuffle(freeShards(found.shards));
  for (let round = 0; round < 2 && candidates.length; round++) {
    const busyOnce = new Set<number>();
    for (let i = 0; i < candidates.length; i++) {
      const a: store.AppointmentItem = { ...base, shard: candidates[i] };
      const outcome = await store.book(a);
      if (outcome === 'booked') {
        logger.info('appointment booked', { appointment: a.id, schedule: s.id, shard: a.shard, status });
        if (status === 'confirmed') await tell(a, 'booking_confirmed');
        return appointmentView(a, now);
      }
      if (outcome === 'already_booked') throw conflict('ALREADY_BOOKED', BookingRefusal.ALREADY_BOOKED);
      if (outcome === 'busy' && !busyOnce.has(a.shard)) {
        busyOnce.add(a.shard);
        candidates.push(a.shard);
        await pause(randomInt(2, 15));
      }
    }
    candidates = shuffle(freeShards((await getSchedule(s.id, true))?.shards ?? []));
  }
  // Full. If it is full because this person already holds a place, say so.
  if (await store.activeAppointmentId(s.id, patient.patientId)) throw conflict('ALREADY_BOOKED', BookingRefusal.ALREADY_BOOKED);
  throw conflict('SLOT_FULL', BookingRefusal.SLOT_FULL);
}

export async function mine(userId: string, filter: 'active' | 'past' | 'all') {
  const now = Date.now();
  const items = (await store.listByAccount(userId)).filter((a) => filter === 'all' || (filter === 'active') === isActive(a.status));
  return { items: items.map((a) => appointmentView(a, now)) };
}

export async function get(userId: string, appointmentId: string) {
  return appointmentView(await ownAppointment(userId, appointmentId));
}

/** 退号: before the cut-off; the place comes back exactly once; a paid one is refunded. */
export async function cancel(userId: string, appointmentId: string) {
  const a = await ownAppointment(userId, appointmentId);
  if (a.status === 'cancelled') return appointmentView(a);
  if (!canApply(a.status, 'cancel')) throw conflict('NOT_CANCELLABLE', `预约${APPOINTMENT_STATUS_LABEL[a.status]}，不能取消`);
  if (Date.now() >= Date.parse(a.cancelCutoffAt)) throw conflict('CANCEL_CUTOFF_PASSED', '已过退号截止时间，不能取消');
  const ok = await store.transition(a, { event: 'cancel', set: { cancelledAt: toLocalIso(Date.now()) } }, toLocalIso(Date.now()));
  const after = (await store.getAppointment(a.id))!;
  if (!ok) {
    if (after.status === 'cancelled') return appointmentView(after);
    throw conflict('APPOINTMENT_STATE_CHANGED', `预约${APPOINTMENT_STATUS_LABEL[after.status]}，请刷新后再试`);
  }
  logger.info('appointment cancelled', { appointment: a.id, schedule: a.scheduleId });
  if (after.paidAt) await refundAppointmentPayment(after, 'cancelled');
  return appointmentView((await store.getAppointment(a.id))!);
}

/** A scanned code is the right place to check in: the appointment's organisation, department or doctor. */
function isCheckInPlace(t: QrTarget, a: store.AppointmentItem) {
  if (t.orgId !== a.orgId) return false;
  if (t.kind === 'department') return t.deptId === a.deptId;
  if (t.kind === 'doctor') return t.doctorId === a.doctorId;
  return t.kind === 'org' || t.kind === 'station' || t.kind === 'kiosk';
}

const CHECK_IN_REFUSAL = { NOT_TODAY: '请在就诊当天签到', SESSION_OVER: '本时段已结束，无法签到' } as const;

/** 签到: on the day, a queue number; pressing twice gives the same number. */
export async function checkIn(userId: string, appointmentId: string, qr?: string) {
  const a = await ownAppointment(userId, appointmentId);
  if (a.status === 'checked_in') return appointmentView(a);
  if (a.status === 'pending_payment') throw conflict('PAYMENT_REQUIRED', '请先完成支付再签到');
  if (a.status !== 'confirmed') throw conflict('NOT_CHECKABLE', `预约${APPOINTMENT_STATUS_LABEL[a.status]}，不能签到`);
  const refusal = checkInRefusal(a.date, a.endsAt);
  if (refusal) throw conflict(refusal, CHECK_IN_REFUSAL[refusal]);
  if (qr) {
    const code = await getQr(qr);
    if (!code) throw invalidField('body.qr', '二维码不存在');
    if (!isCheckInPlace(code.target, a)) throw conflict('WRONG_PLACE', '这不是您就诊科室的签到码，请到对应科室签到');
  }
  const at = toLocalIso(Date.now());
  const number = await queue.allocateNumber(a.scheduleId);
  const entry = { number, appointmentId: a.id, userId, patientName: a.patientName, checkedInAt: at };
  const ok = await store.transition(a, { event: 'check_in', set: { queueNumber: number }, also: [queue.putEntry(a.scheduleId, entry)] }, at);
  const after = (await store.getAppointment(a.id))!;
  if (!ok) {
    // Two taps: the first one's number stands; this number stays a gap that calling skips.
    if (after.status === 'checked_in') return appointmentView(after);
    throw conflict('APPOINTMENT_STATE_CHANGED', `预约${APPOINTMENT_STATUS_LABEL[after.status]}，请刷新后再试`);
  }
  logger.info('checked in', { appointment: a.id, schedule: a.scheduleId, number });
  await publish([`queue:${a.scheduleId}`], { type: 'queue', data: { scheduleId: a.scheduleId } });
  return appointmentView(after);
}
