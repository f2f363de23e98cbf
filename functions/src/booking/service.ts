/**
 * Booking (挂号): take a place, cancel, check in. Every state change is one conditional
 * transaction (booking/store.ts); nothing here reads a count and then writes it.
 */
import { createHash, randomInt } from 'node:crypto';
import {
  APPOINTMENT_STATUS_LABEL,
  BookingRefusal,
  calendarRefusal,
  canApply,
  checkInRefusal,
  initialStatus,
  isOngoing,
  localDate,
  toLocalIso,
  type AppointmentView,
  type QrTarget,
} from '@hospital/shared';
import { conflict, HttpError, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Admission } from '#lib/rate-limit';
import { publish } from '#lib/realtime';
import { placesLeft, type ScheduleItem } from '../catalog/schedule-store';
import { reservedPlaceCheck } from '../care/priority';
import { requireOwnPatient, type PatientItem } from '../patients/service';
import { getQr } from '../qr/store';
import * as queue from '../queue/store';
import * as inventory from './inventory';
import { tell } from './messages';
import { refundAppointmentPayment } from './refund';
import { holdMinutes } from './settings';
import * as store from './store';
import { appointmentView, ownAppointment } from './view';

/**
 * The appointment id is derived from the caller and their Idempotency-Key, so the booking
 * transaction is its own idempotency record: a retried request finds its appointment instead
 * of taking a second place, and a release-morning request costs no extra write for it.
 */
export const appointmentIdFor = (userId: string, idempotencyKey: string) =>
  `ap-${createHash('sha256').update(`${userId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;

function idempotencyKey(headers: Record<string, string>): string {
  const key = headers['idempotency-key'];
  if (!key) throw new HttpError(400, 'IDEMPOTENCY_KEY_REQUIRED', '缺少 Idempotency-Key 请求头', [{ path: 'headers.idempotency-key', message: 'required' }]);
  if (!/^[\w.:-]{8,128}$/.test(key)) throw invalidField('headers.idempotency-key', 'Idempotency-Key 格式无效');
  return key;
}

/** A retried request: its own appointment (same session and person), or 422 for another body. */
async function replay(userId: string, id: string, req: { scheduleId: string; patientId: string }) {
  const a = await store.getAppointment(id);
  if (!a || a.userId !== userId) throw new Error('appointment of a duplicate id not found');
  if (a.scheduleId !== req.scheduleId || a.patientId !== req.patientId) {
    throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', '同一 Idempotency-Key 不能用于不同的请求内容');
  }
  return appointmentView(a);
}

/**
 * `admission`: the account's booking limit, counted in the transaction that takes the place
 * (lib/rate-limit.ts); a refusal that writes nothing is counted by the shared stack afterwards.
 */
export async function book(userId: string, req: { scheduleId: string; patientId: string }, headers: Record<string, string>, admission?: Admission): Promise<AppointmentView> {
  const id = appointmentIdFor(userId, idempotencyKey(headers));
  let found = await inventory.sessionView(req.scheduleId);
  if (!found) throw notFound('出诊时段不存在');
  const refuse = (s: ScheduleItem) => {
    const refusal = calendarRefusal(s, Date.now());
    if (refusal) throw conflict(refusal, BookingRefusal[refusal]);
  };
  refuse(found.schedule);

  let patient: PatientItem | undefined;
  const person = async () => {
    if (!patient) {
      patient = await requireOwnPatient(userId, req.patientId);
      // 爽约 rule: paused people are refused before any place is taken.
      if (patient.bookingPausedUntil && patient.bookingPausedUntil >= localDate()) {
        // The no-show record is filed by ID number: its reason and date only for a verified person.
        throw conflict('BOOKING_PAUSED', patient.verification.state === 'verified'
          ? `${patient.name}因多次爽约，${patient.bookingPausedUntil}前暂停网上预约，如需就诊请到医院窗口挂号`
          : `${patient.name}暂不能网上预约，请到医院窗口挂号（完成实名认证后可查看原因）`);
      }
    }
    return patient;
  };
  /** Tries the pool's shards until a place is taken or none is left; undefined when none was taken. */
  const takeFrom = async (pool: 'public' | 'reserved', entitlement?: store.Entitlement) => {
    let attempts = 0;
    for (let n = await inventory.reserve(req.scheduleId, pool); n !== undefined; n = await inventory.reserve(req.scheduleId, pool)) {
      let outcome: store.BookOutcome = 'busy';
      let a: store.AppointmentItem | undefined;
      try {
        a = appointmentItem(id, userId, await person(), found!.schedule, n);
        attempts++;
        outcome = await store.book(a, entitlement, admission);
      } finally {
        inventory.settle(req.scheduleId, n, outcome === 'booked' ? 'taken' : outcome === 'place_taken' ? 'empty' : 'other');
      }
      if (outcome === 'booked') return booked(a);
      if (outcome === 'duplicate') return replay(userId, id, req);
      if (outcome === 'already_booked') throw conflict('ALREADY_BOOKED', BookingRefusal.ALREADY_BOOKED);
      if (outcome === 'not_entitled') return undefined;
      if (outcome === 'busy') await pause(randomInt(2, 15));
    }
    return attempts;
  };

  // 签约居民优先号 first, for a person contracted with the doctor's team; everyone else (and
  // a contracted person once those are gone) takes the public places.
  let reservedLeft = placesLeft(found, 'reserved');
  if (reservedLeft > 0) {
    const entitlement = await reservedPlaceCheck((await person()).idNumber, found.schedule.doctorId);
    if (entitlement) {
      const done = await takeFrom('reserved', entitlement);
      if (typeof done === 'object') return done;
    }
  }
  for (let round = 0; round < 2; round++) {
    const done = await takeFrom('public');
    if (typeof done === 'object') return done;
    // Every place we saw was gone: look again once (and at the session: it may have been stopped).
    if (!done) break;
    inventory.forget(req.scheduleId);
    found = await inventory.sessionView(req.scheduleId);
    if (!found) throw notFound('出诊时段不存在');
    refuse(found.schedule);
    reservedLeft = placesLeft(found, 'reserved');
  }
  // Full. A retry of a booking that got the last place, or a person already holding one, is told so.
  const holder = await store.activeAppointmentId(req.scheduleId, req.patientId);
  if (holder === id) return replay(userId, id, req);
  if (holder) {
    await requireOwnPatient(userId, req.patientId);
    throw conflict('ALREADY_BOOKED', BookingRefusal.ALREADY_BOOKED);
  }
  if (reservedLeft > 0) throw conflict('RESERVED_ONLY', BookingRefusal.RESERVED_ONLY);
  throw conflict('SLOT_FULL', BookingRefusal.SLOT_FULL);
}

function appointmentItem(id: string, userId: string, patient: PatientItem, s: ScheduleItem, shard: number): store.AppointmentItem {
  const now = Date.now();
  const status = initialStatus(s.fee);
  const at = toLocalIso(now);
  return {
    id,
    userId,
    patientId: patient.patientId,
    patientName: patient.name,
    patientRelation: patient.relation,
    scheduleId: s.id,
    shard,
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
}

async function booked(a: store.AppointmentItem) {
  logger.info('appointment booked', { appointment: a.id, schedule: a.scheduleId, shard: a.shard, status: a.status });
  if (a.status === 'confirmed') await tell(a, 'booking_confirmed');
  return appointmentView(a);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function mine(userId: string, filter: 'active' | 'past' | 'all') {
  const now = Date.now();
  const items = (await store.listByAccount(userId)).filter((a) => filter === 'all' || (filter === 'active') === isOngoing(a.status, a.endsAt, now));
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
  inventory.forget(a.scheduleId);
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
