/**
 * A booked video appointment (a session held by video, 视频问诊) becomes a visit once it is
 * confirmed (free, or paid). Booking knows nothing of visits: the visit is created here, with a
 * deterministic id (`vs-<appointmentId>`, conditional put), whenever the patient's account or the
 * doctor's day is listed — so retries and concurrent listings create it once. A visit whose
 * appointment was cancelled or stopped before it started is cancelled with it.
 */
import { addDays, localDate, toLocalIso, type AppointmentStatus } from '@hospital/shared';
import { logger } from '#lib/logger';
import * as appointments from '../booking/store';
import { getSchedule, listDaySchedules, shardCount, type ScheduleItem } from '../catalog/schedule-store';
import { doctorOfUser, getDoctor } from '../catalog/store';
import * as store from './store';
import { grantParticipants } from './grants';

export const visitIdOf = (appointmentId: string) => `vs-${appointmentId}`;

const CONFIRMED: readonly AppointmentStatus[] = ['confirmed', 'checked_in', 'completed'];
const WITHDRAWN: readonly AppointmentStatus[] = ['cancelled', 'stopped', 'expired'];

async function createFrom(a: appointments.AppointmentItem, s: ScheduleItem) {
  const doctor = await getDoctor(a.doctorId);
  if (!doctor?.userId) {
    logger.warn('video session doctor has no login', { schedule: s.id });
    return;
  }
  const at = toLocalIso(Date.now());
  const v: store.VisitItem = {
    id: visitIdOf(a.id),
    kind: 'video',
    status: 'scheduled',
    patientId: a.patientId,
    patientName: a.patientName,
    accountUserId: a.userId,
    reason: `${a.deptName}视频问诊`,
    orgId: a.orgId,
    orgName: a.orgName,
    deptName: a.deptName,
    scheduledAt: a.startsAt,
    endsAt: a.endsAt,
    participants: [
      { userId: a.userId, name: a.patientName, role: 'patient', uid: 1 },
      { userId: doctor.userId, doctorId: doctor.id, name: doctor.name, title: doctor.title, orgId: a.orgId, orgName: a.orgName, role: 'host', uid: 2 },
    ],
    nextUid: 3,
    lastJoined: {},
    appointmentId: a.id,
    createdBy: a.userId,
    createdAt: at,
    updatedAt: at,
  };
  if (await store.createVisit(v)) {
    // Booking the doctor is the patient's consent to them for this visit's window.
    await grantParticipants(v);
    logger.info('video visit from appointment', { visit: v.id, appointment: a.id });
  }
}

async function sync(appts: appointments.AppointmentItem[], known?: Map<string, ScheduleItem>) {
  const recent = appts.filter((a) => a.date >= addDays(localDate(), -1));
  if (recent.length === 0) return;
  const existing = new Map((await store.getVisits(recent.map((a) => visitIdOf(a.id)))).map((v) => [v.appointmentId!, v]));
  const schedules = new Map(known);
  for (const a of recent) {
    const v = existing.get(a.id);
    if (v) {
      if (WITHDRAWN.includes(a.status) && v.status === 'scheduled') {
        if (await store.transition(v.id, 'cancel', { cancelReason: a.status === 'stopped' ? '医生停诊' : '预约已取消' }, toLocalIso(Date.now()))) {
          await grantParticipants(v, Date.now());
        }
      }
      continue;
    }
    if (!CONFIRMED.includes(a.status)) continue;
    if (!schedules.has(a.scheduleId)) {
      const found = await getSchedule(a.scheduleId);
      if (found) schedules.set(a.scheduleId, found.schedule);
    }
    const s = schedules.get(a.scheduleId);
    if (s?.mode === 'video') await createFrom(a, s);
  }
}

/** The account's confirmed video appointments have their visits. */
export async function syncAccount(userId: string) {
  await sync(await appointments.listByAccount(userId));
}

/** The doctor's video sessions on `date` have their visits. */
export async function syncDoctorDay(userId: string, date: string) {
  const doctor = await doctorOfUser(userId);
  if (!doctor) return;
  const sessions = (await listDaySchedules(date, doctor.orgId)).filter((s) => s.doctorId === doctor.id && s.mode === 'video');
  for (const s of sessions) await sync(await appointments.listBySchedule(s.id, shardCount(s)), new Map([[s.id, s]]));
}
