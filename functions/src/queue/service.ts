/**
 * The waiting queue (候诊): where a session's calling stands, a resident's own place in it,
 * and staff calling the next patient. Calls are pushed on the public WebSocket topic
 * `queue:<scheduleId>` (numbers only) and to the called person's own topic.
 */
import { localDate, maskName, toLocalIso, type OrgRole, type QueueStatus } from '@hospital/shared';
import { conflict, forbidden, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { publish, userTopic } from '#lib/realtime';
import { orgsWithRole, requireOrgRole, rolesIn } from '#lib/authority';
import type { Principal } from '#lib/tokens';
import { getSchedule, listDaySchedules, shardCount, type ScheduleItem } from '../catalog/schedule-store';
import { doctorOfUser } from '../catalog/store';
import * as appointments from '../booking/store';
import * as queue from './store';

export const queueTopic = (scheduleId: string) => `queue:${scheduleId}`;

async function loadSchedule(scheduleId: string): Promise<ScheduleItem> {
  const found = /^[\w-]{1,80}$/.test(scheduleId) ? await getSchedule(scheduleId) : undefined;
  if (!found) throw notFound('出诊时段不存在');
  return found.schedule;
}

/**
 * Staff act on the sessions of their own organisations (another's is not found), with the roles
 * the route allows; a doctor who is not also a nurse or admin there, only on their own sessions.
 */
async function assertStaffOf(p: Principal, s: ScheduleItem, roles: readonly OrgRole[]) {
  requireOrgRole(p, s.orgId, roles, '出诊时段不存在');
  const there = rolesIn(p, s.orgId);
  if (there.includes('doctor') && !there.includes('nurse') && !there.includes('admin')) {
    const doctor = await doctorOfUser(p.userId);
    if (doctor && doctor.id !== s.doctorId) throw forbidden('只能为自己的出诊叫号');
  }
}

/** Minutes per patient for the estimate: the session's length over its places, 3–30. */
const minutesPerPatient = (s: ScheduleItem) => {
  const minutes = (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000;
  return Math.min(30, Math.max(3, Math.round(minutes / Math.max(1, s.capacity))));
};

const place = (n: number, called: number): 'waiting' | 'called' | 'passed' => (n > called ? 'waiting' : n === called ? 'called' : 'passed');

export async function status(principal: Principal, scheduleId: string): Promise<QueueStatus> {
  const s = await loadSchedule(scheduleId);
  const state = await queue.getState(s.id);
  const per = minutesPerPatient(s);
  const waiting = await queue.countBetween(s.id, state.called, state.issued + 1);
  let mine: QueueStatus['mine'];
  if (principal.roles.includes('patient')) {
    // The account's people checked in here; the one whose turn comes first.
    const own = (await appointments.listByAccount(principal.userId))
      .filter((a) => a.scheduleId === s.id && a.queueNumber && (a.status === 'checked_in' || a.status === 'completed'))
      .sort((a, b) => a.queueNumber! - b.queueNumber!);
    const a = own.find((x) => x.queueNumber! >= state.called) ?? own[own.length - 1];
    if (a) {
      const ahead = a.queueNumber! > state.called ? await queue.countBetween(s.id, state.called, a.queueNumber!) : 0;
      mine = { appointmentId: a.id, number: a.queueNumber!, ahead, estimatedWaitMinutes: ahead * per, state: place(a.queueNumber!, state.called) };
    }
  }
  return {
    scheduleId: s.id,
    date: s.date,
    session: s.session,
    doctorName: s.doctorName,
    deptName: s.deptName,
    calledNumber: state.called,
    waiting,
    ...(mine ? { mine } : {}),
    minutesPerPatient: per,
    topic: queueTopic(s.id),
    updatedAt: toLocalIso(Date.now()),
  };
}

/** 叫号: the next checked-in number after the one being called. */
export async function callNext(principal: Principal, scheduleId: string) {
  const s = await loadSchedule(scheduleId);
  await assertStaffOf(principal, s, ['doctor', 'nurse']);
  if (s.stopped) throw conflict('SESSION_STOPPED', '该时段已停诊');
  if (s.date !== localDate()) throw conflict('NOT_TODAY', '只能为当天的出诊叫号');
  for (let attempt = 0; attempt < 3; attempt++) {
    const state = await queue.getState(s.id);
    const next = await queue.entryAfter(s.id, state.called);
    if (!next) throw conflict('QUEUE_EMPTY', '当前没有候诊的患者');
    const at = toLocalIso(Date.now());
    if (!(await queue.advance(s.id, state.called, next.number, at))) continue;
    // The one called before has been seen (or did not answer): their visit is over.
    const previous = state.called > 0 ? await queue.getEntry(s.id, state.called) : undefined;
    const prevAppt = previous && (await appointments.getAppointment(previous.appointmentId));
    if (prevAppt) await appointments.transition(prevAppt, { event: 'complete' }, at);
    await Promise.all([
      publish([queueTopic(s.id)], { type: 'queue', data: { scheduleId: s.id, calledNumber: next.number } }),
      publish([userTopic(next.userId)], { type: 'queue.your_turn', data: { scheduleId: s.id, appointmentId: next.appointmentId, number: next.number } }),
    ]);
    logger.info('queue called', { schedule: s.id, number: next.number, by: principal.userId });
    const waiting = await queue.countBetween(s.id, next.number, state.issued + 1);
    return { calledNumber: next.number, called: { appointmentId: next.appointmentId, number: next.number, patientName: maskName(next.patientName) }, waiting };
  }
  throw conflict('QUEUE_CHANGED', '其他人刚刚叫号，请刷新后再试');
}

export async function entries(principal: Principal, scheduleId: string) {
  const s = await loadSchedule(scheduleId);
  await assertStaffOf(principal, s, ['doctor', 'nurse', 'admin']);
  const [state, numbered, all] = await Promise.all([queue.getState(s.id), queue.listEntries(s.id), appointments.listBySchedule(s.id, shardCount(s))]);
  const byId = new Map(all.map((a) => [a.id, a]));
  const inQueue = numbered
    .filter((e) => byId.get(e.appointmentId)?.status !== 'stopped')
    .sort((a, b) => a.number - b.number)
    .map((e) => {
      const a = byId.get(e.appointmentId);
      return { appointmentId: e.appointmentId, number: e.number, patientName: maskName(e.patientName), status: a?.status ?? 'checked_in', state: place(e.number, state.called), checkInCode: a?.checkInCode ?? '' };
    });
  const queued = new Set(numbered.map((e) => e.appointmentId));
  const booked = all
    .filter((a) => !queued.has(a.id) && (a.status === 'confirmed' || a.status === 'pending_payment'))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((a) => ({ appointmentId: a.id, patientName: maskName(a.patientName), status: a.status, state: 'booked' as const, checkInCode: a.checkInCode }));
  return { calledNumber: state.called, items: [...inQueue, ...booked] };
}

/** The day's sessions of the caller's organisations (a doctor only: their own sessions there). */
export async function sessions(principal: Principal, date = localDate()) {
  const orgs = orgsWithRole(principal, 'doctor', 'nurse', 'admin');
  const doctor = orgs.some((o) => !rolesIn(principal, o).some((r) => r === 'nurse' || r === 'admin')) ? await doctorOfUser(principal.userId) : undefined;
  const items: ScheduleItem[] = [];
  for (const o of orgs) {
    const there = rolesIn(principal, o);
    const day = await listDaySchedules(date, o);
    items.push(...(there.includes('nurse') || there.includes('admin') ? day : day.filter((s) => s.doctorId === doctor?.id)));
  }
  return {
    date,
    items: items.map((s) => ({ scheduleId: s.id, date: s.date, session: s.session, deptName: s.deptName, doctorId: s.doctorId, doctorName: s.doctorName, capacity: s.capacity, stopped: s.stopped })),
  };
}
