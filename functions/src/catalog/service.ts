/** Public catalog reads: organisations → departments → doctors → sessions with places left. */
import type { DepartmentView, DoctorView, OrgView, ScheduleView } from '@hospital/shared';
import { addDays, localDate, scheduleState } from '@hospital/shared';
import { invalidField, notFound } from '#lib/errors';
import * as store from './store';
import { getSchedule, listDoctorSchedules, placesLeft, reservedHeld, type ScheduleWithPlaces } from './schedule-store';

/** How far ahead residents may look (and admins may list) in one request. */
export const MAX_RANGE_DAYS = 31;
export const DEFAULT_RANGE_DAYS = 14;

/** Ids are short slugs; anything else cannot exist (and must not reach a key). */
export const isId = (s: string) => /^[\w-]{1,80}$/.test(s);
const found = <T>(id: string, get: (id: string) => Promise<T | undefined>) => (isId(id) ? get(id) : Promise.resolve(undefined));

const orgView = ({ order: _o, ...o }: store.OrgItem): OrgView => o;
const deptView = ({ order: _o, ...d }: store.DepartmentItem): DepartmentView => d;
const doctorView = ({ order: _o, userId: _u, ...d }: store.DoctorItem): DoctorView => d;

export function scheduleView(found: ScheduleWithPlaces, now = Date.now()): ScheduleView {
  const s = found.schedule;
  const left = placesLeft(found, 'public', now);
  const reserved = reservedHeld(s, now);
  return {
    id: s.id,
    orgId: s.orgId,
    orgName: s.orgName,
    deptId: s.deptId,
    deptName: s.deptName,
    doctorId: s.doctorId,
    doctorName: s.doctorName,
    doctorTitle: s.doctorTitle,
    date: s.date,
    session: s.session,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    capacity: s.capacity,
    placesLeft: s.stopped ? 0 : left,
    reservedLeft: s.stopped || !reserved ? 0 : placesLeft(found, 'reserved', now),
    ...(reserved ? { reservedUntil: s.reservedUntil } : {}),
    fee: s.fee,
    releaseAt: s.releaseAt,
    bookingClosesAt: s.bookingClosesAt,
    cancelCutoffAt: s.cancelCutoffAt,
    state: scheduleState({ ...s, placesLeft: left }, now),
    ...(s.stoppedReason ? { stoppedReason: s.stoppedReason } : {}),
    ...(s.mode === 'video' ? { mode: 'video' as const } : {}),
  };
}

export async function orgs() {
  return { items: (await store.listOrgs()).map(orgView) };
}

export async function org(orgId: string) {
  const o = await found(orgId, store.getOrg);
  if (!o) throw notFound('机构不存在');
  return orgView(o);
}

export async function departments(orgId: string) {
  const o = await found(orgId, store.getOrg);
  if (!o) throw notFound('机构不存在');
  const items = await store.listDepartments(orgId);
  return { org: orgView(o), items: items.map(deptView) };
}

export async function doctors(deptId: string) {
  const d = await found(deptId, store.getDepartment);
  if (!d) throw notFound('科室不存在');
  const items = await store.listDoctors(deptId);
  return { department: deptView(d), items: items.map(doctorView) };
}

export async function doctor(doctorId: string) {
  const d = await found(doctorId, store.getDoctor);
  if (!d) throw notFound('医生不存在');
  return doctorView(d);
}

export async function schedules(doctorId: string, q: { from?: string; to?: string }) {
  const from = q.from ?? localDate();
  const to = q.to ?? addDays(from, DEFAULT_RANGE_DAYS - 1);
  if (to > addDays(from, MAX_RANGE_DAYS - 1)) throw invalidField('query.to', `一次最多查询${MAX_RANGE_DAYS}天`);
  const d = await found(doctorId, store.getDoctor);
  if (!d) throw notFound('医生不存在');
  const items = await listDoctorSchedules(doctorId, from, to);
  const now = Date.now();
  return { doctor: doctorView(d), items: items.map((s) => scheduleView(s, now)) };
}

export async function schedule(scheduleId: string) {
  const s = await found(scheduleId, (id) => getSchedule(id));
  if (!s) throw notFound('出诊时段不存在');
  return scheduleView(s);
}
