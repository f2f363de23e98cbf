/**
 * Test fixtures for catalog/booking/queue tests: a fresh organisation, department, doctor and
 * sessions with unique ids (test files share one table), and people on fresh accounts.
 */
import { randomUUID } from 'node:crypto';
import { idCardCheckChar, localDate, scheduleIdOf, toLocalIso, type Session } from '@hospital/shared';
import { putDepartment, putDoctor, putOrg } from '../catalog/store';
import { createSchedule, PLACE_SHARDS, type ScheduleItem } from '../catalog/schedule-store';
import { addPerson } from '#test/people';

export const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A valid resident ID number (checksum included) for a birth date YYYYMMDD. */
export function idNumber(birth = '19900307', seq = Math.floor(Math.random() * 1000)): string {
  const first17 = `110105${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

export async function makeCatalog(opts: { kind?: 'hospital' | 'community' | 'station'; doctorUserId?: string } = {}) {
  const orgId = uid('org');
  const deptId = uid('dept');
  const doctorId = uid('doc');
  await putOrg({
    id: orgId, name: '测试医院', kind: opts.kind ?? 'hospital', level: '三级甲等', address: '泰安市', phone: '0538-0000000', intro: '', order: 99,
    location: { gcj02: { lat: 36.2, lng: 117.1 }, wgs84: { lat: 36.2, lng: 117.1 } },
  });
  await putDepartment({ id: deptId, orgId, name: '心血管内科', intro: '', floor: '门诊楼2层', order: 1 });
  await putDoctor({ id: doctorId, orgId, deptId, name: '王医生', title: '主任医师', specialty: '高血压', intro: '', fee: 5000, order: 1, ...(opts.doctorUserId ? { userId: opts.doctorUserId } : {}) });
  return { orgId, deptId, doctorId };
}

const HOUR = 3600_000;

/**
 * A session whose booking window is open now (released an hour ago, closing in an hour), on
 * today's hospital date unless `date` is given. Offsets are in hours from now.
 */
export async function makeSchedule(
  c: { orgId: string; deptId: string; doctorId: string },
  o: {
    capacity?: number; fee?: number; date?: string; session?: Session; releaseIn?: number; closesIn?: number; cancelCutoffIn?: number; endsIn?: number;
    /** 签约居民优先号 of the capacity, held until `reservedUntilIn` hours from now (default 1). */
    reserved?: number; reservedUntilIn?: number;
  } = {},
): Promise<ScheduleItem> {
  const now = Date.now();
  const date = o.date ?? localDate(now);
  const session = o.session ?? (['am', 'pm', 'evening'] as const)[Math.floor(Math.random() * 3)];
  const s: ScheduleItem = {
    // Unique per test even for the same doctor, date and session.
    id: `${scheduleIdOf(c.doctorId, date, session)}-${randomUUID().slice(0, 4)}`,
    orgId: c.orgId,
    orgName: '测试医院',
    deptId: c.deptId,
    deptName: '心血管内科',
    doctorId: c.doctorId,
    doctorName: '王医生',
    doctorTitle: '主任医师',
    date,
    session,
    startsAt: toLocalIso(now - HOUR),
    endsAt: toLocalIso(now + (o.endsIn ?? 3) * HOUR),
    capacity: o.capacity ?? 10,
    fee: o.fee ?? 0,
    releaseAt: toLocalIso(now + (o.releaseIn ?? -1) * HOUR),
    bookingClosesAt: toLocalIso(now + (o.closesIn ?? 1) * HOUR),
    cancelCutoffAt: toLocalIso(now + (o.cancelCutoffIn ?? 1) * HOUR),
    shards: PLACE_SHARDS,
    ...(o.reserved ? { reserved: o.reserved, reservedUntil: toLocalIso(now + (o.reservedUntilIn ?? 1) * HOUR) } : {}),
    stopped: false,
    createdAt: toLocalIso(now),
    updatedAt: toLocalIso(now),
  };
  if (!(await createSchedule(s))) throw new Error('schedule exists');
  return s;
}

/** A fresh account with one person on it. */
export async function makePatient(userId = `u-${randomUUID()}`, name = '张建国') {
  const p = await addPerson(userId, { name, relation: 'self', phone: '13812345678', idNumber: idNumber() });
  return { userId, patientId: p.id };
}
