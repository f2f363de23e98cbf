/** Administrators' schedule work (排班): open a session, change it, stop it (停诊). */
import type * as z from 'zod';
import {
  addDays,
  defaultBookingCalendar,
  defaultReservedUntil,
  localDate,
  scheduleIdOf,
  sessionEndsAt,
  sessionStartsAt,
  toLocalIso,
  type CreateScheduleRequest,
  type UpdateScheduleRequest,
} from '@hospital/shared';
import { hasRoleIn, requireOrgRole } from '#lib/authority';
import { conflict, forbidden, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { stopAppointments } from '../booking/stop';
import * as store from './store';
import * as schedules from './schedule-store';
import { scheduleView } from './service';

/** Sessions are planned at most this far ahead. */
export const MAX_DAYS_AHEAD = 90;

/** An administrator manages only the sessions of organisations where they are an admin. */
function assertOrg(principal: Principal, orgId: string) {
  if (!hasRoleIn(principal, orgId, 'admin')) throw forbidden('只能管理本机构的排班');
}

function checkCalendar(c: { releaseAt: string; bookingClosesAt: string; cancelCutoffAt: string }, endsAt: string) {
  const t = (s: string) => Date.parse(s);
  if (t(c.bookingClosesAt) <= t(c.releaseAt)) throw invalidField('body.bookingClosesAt', '停止预约时间须晚于放号时间');
  if (t(c.bookingClosesAt) > t(endsAt)) throw invalidField('body.bookingClosesAt', '停止预约时间不能晚于出诊结束');
  if (t(c.cancelCutoffAt) > t(endsAt)) throw invalidField('body.cancelCutoffAt', '退号截止时间不能晚于出诊结束');
}

async function loadForChange(principal: Principal, scheduleId: string) {
  const found = /^[\w-]{1,80}$/.test(scheduleId) ? await schedules.getSchedule(scheduleId, true) : undefined;
  if (!found) throw notFound('出诊时段不存在');
  // Another organisation's session: as if it did not exist.
  requireOrgRole(principal, found.schedule.orgId, ['admin'], '出诊时段不存在');
  return found;
}

export async function createSchedule(principal: Principal, body: z.output<typeof CreateScheduleRequest>) {
  const doctor = await store.getDoctor(body.doctorId);
  if (!doctor) throw invalidField('body.doctorId', '医生不存在');
  assertOrg(principal, doctor.orgId);
  if (body.date < localDate()) throw invalidField('body.date', '不能为过去的日期排班');
  if (body.date > addDays(localDate(), MAX_DAYS_AHEAD)) throw invalidField('body.date', `最多提前${MAX_DAYS_AHEAD}天排班`);
  const [org, dept] = await Promise.all([store.getOrg(doctor.orgId), store.getDepartment(doctor.deptId)]);
  if (!org || !dept) throw invalidField('body.doctorId', '医生所属机构或科室不存在');
  const endsAt = sessionEndsAt(body.date, body.session, body.hours);
  const defaults = defaultBookingCalendar(body.date, body.session, body.hours);
  const calendar = {
    releaseAt: body.releaseAt ? toLocalIso(body.releaseAt) : defaults.releaseAt,
    bookingClosesAt: body.bookingClosesAt ? toLocalIso(body.bookingClosesAt) : defaults.bookingClosesAt,
    cancelCutoffAt: body.cancelCutoffAt ? toLocalIso(body.cancelCutoffAt) : defaults.cancelCutoffAt,
  };
  checkCalendar(calendar, endsAt);
  const reserved = body.reserved ? { reserved: body.reserved, reservedUntil: body.reservedUntil ? toLocalIso(body.reservedUntil) : defaultReservedUntil(body.date) } : {};
  if (reserved.reservedUntil && Date.parse(reserved.reservedUntil) > Date.parse(calendar.bookingClosesAt)) {
    throw invalidField('body.reservedUntil', '优先号开放时间不能晚于停止预约时间');
  }
  const now = toLocalIso(Date.now());
  const item: schedules.ScheduleItem = {
    id: scheduleIdOf(doctor.id, body.date, body.session),
    orgId: org.id,
    orgName: org.name,
    deptId: dept.id,
    deptName: dept.name,
    doctorId: doctor.id,
    doctorName: doctor.name,
    doctorTitle: doctor.title,
    date: body.date,
    session: body.session,
    startsAt: sessionStartsAt(body.date, body.session, body.hours),
    endsAt,
    capacity: body.capacity,
    fee: body.fee ?? doctor.fee,
    ...calendar,
    shards: schedules.PLACE_SHARDS,
    ...reserved,
    stopped: false,
    ...(body.mode === 'video' ? { mode: 'video' as const } : {}),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await schedules.createSchedule(item))) throw conflict('SCHEDULE_EXISTS', '该医生此时段已有排班');
  logger.info('schedule created', { schedule: item.id, by: principal.userId });
  return scheduleView({ schedule: item, shards: schedules.initialShards(item) });
}

/** Per-shard changes of cap/left for a new capacity: spread increases, take decreases from free places. */
export function capacityDeltas(shards: schedules.PlaceShard[], delta: number): number[] | undefined {
  const out = shards.map(() => 0);
  if (delta > 0) {
    const caps = shards.map((s) => s.cap);
    for (let i = 0; i < delta; i++) {
      const n = caps.indexOf(Math.min(...caps));
      caps[n]++;
      out[n]++;
    }
    return out;
  }
  let remaining = -delta;
  const byFree = [...shards].sort((a, b) => b.left - a.left);
  for (const s of byFree) {
    const take = Math.min(s.left, remaining);
    out[s.shard] = take ? -take : 0;
    remaining -= take;
  }
  return remaining === 0 ? out : undefined;
}

export async function updateSchedule(principal: Principal, scheduleId: string, body: z.output<typeof UpdateScheduleRequest>) {
  const { schedule: s, shards } = await loadForChange(principal, scheduleId);
  if (s.stopped) throw conflict('SESSION_STOPPED', '该时段已停诊，不能修改');
  const changes = {
    fee: body.fee,
    releaseAt: body.releaseAt && toLocalIso(body.releaseAt),
    bookingClosesAt: body.bookingClosesAt && toLocalIso(body.bookingClosesAt),
    cancelCutoffAt: body.cancelCutoffAt && toLocalIso(body.cancelCutoffAt),
  };
  checkCalendar(
    { releaseAt: changes.releaseAt ?? s.releaseAt, bookingClosesAt: changes.bookingClosesAt ?? s.bookingClosesAt, cancelCutoffAt: changes.cancelCutoffAt ?? s.cancelCutoffAt },
    s.endsAt,
  );
  // A new capacity changes the public places; the reserved ones stay as created.
  const open = shards.filter((p) => !p.priority);
  let deltas = open.map(() => 0);
  if (body.capacity !== undefined && body.capacity !== s.capacity) {
    if (body.capacity < (s.reserved ?? 0)) throw invalidField('body.capacity', `总号源不能少于优先号 ${s.reserved} 个`);
    const d = capacityDeltas(open, body.capacity - s.capacity);
    if (!d) throw conflict('CAPACITY_BELOW_BOOKED', '号源数不能少于已预约人数');
    deltas = d;
  }
  const at = toLocalIso(Date.now());
  if (!(await schedules.updateSchedule(s, { ...changes, capacity: body.capacity }, deltas, at))) {
    throw conflict('SCHEDULE_CHANGED', '排班刚被修改或有新的预约，请刷新后重试');
  }
  logger.info('schedule updated', { schedule: s.id, by: principal.userId });
  return scheduleView((await schedules.getSchedule(s.id, true))!);
}

/**
 * 停诊: close every shard first (no booking can succeed after that), then stop each active
 * appointment, tell the person and refund what was paid. Safe to run again.
 */
export async function stopSession(principal: Principal, scheduleId: string, reason: string) {
  const { schedule: s } = await loadForChange(principal, scheduleId);
  await schedules.stopSchedule(s, reason, toLocalIso(Date.now()));
  const result = await stopAppointments(s.id, s.stoppedReason ?? reason);
  logger.info('session stopped', { schedule: s.id, by: principal.userId, ...result });
  return { schedule: scheduleView((await schedules.getSchedule(s.id, true))!), ...result };
}
