/**
 * 签约居民优先号: a session's reserved places go to residents contracted with the doctor's
 * team, checked inside the booking transaction; the others see them as not theirs until they
 * are opened to everyone.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, localDate } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler } from './handler';
import { handler as catalog } from '../catalog/handler';
import { handler as care } from '../care/handler';
import { getSchedule, placesLeft } from '../catalog/schedule-store';
import { reservedPlaceCheck } from '../care/priority';
import { getPatient } from '../patients/store';
import { contracted, makeCare, resident, sign } from '../care/test-fixtures';
import { makeCatalog, makeSchedule } from './test-fixtures';
import { expireHold } from './jobs';
import * as store from './store';

const key = () => `k-${randomUUID()}`;
const book = async (p: { userId: string; patientId: string }, scheduleId: string) =>
  call(handler, api.booking.book, { body: { scheduleId, patientId: p.patientId }, token: await tokenFor(['patient'], p.userId), headers: { 'idempotency-key': key() } });
const places = async (scheduleId: string) => {
  const found = (await getSchedule(scheduleId, true))!;
  return { public: placesLeft(found, 'public'), reserved: placesLeft(found, 'reserved'), reservedShard: found.shards.find((s) => s.priority) };
};

/** A family doctor in the catalog whose care team has one contracted resident. */
async function familyDoctor() {
  const cat = await makeCatalog({ kind: 'community' });
  const team = await makeCare({ doctorId: cat.doctorId });
  return { cat, team, member: await contracted(team, '李秀英') };
}

describe('priority booking for contracted residents', () => {
  it('holds reserved places apart: the session view shows them, the public pool does not count them', async () => {
    const { cat } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 5, reserved: 2 });
    expect(await places(s.id)).toMatchObject({ public: 3, reserved: 2, reservedShard: { cap: 2, left: 2, open: true } });
    const view = await call(catalog, api.catalog.schedule, { params: { scheduleId: s.id } });
    expect(view.body).toMatchObject({ capacity: 5, placesLeft: 3, reservedLeft: 2, reservedUntil: s.reservedUntil, state: 'open' });
  });

  it('a contracted resident takes a reserved place first; a stranger gets the public ones, then RESERVED_ONLY', async () => {
    const { cat, member } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 3, reserved: 1 });
    const r = await book(member, s.id);
    expect(r.status).toBe(201);
    expect((await store.getAppointment(r.body.id))!.shard).toBe(s.shards);
    expect(await places(s.id)).toMatchObject({ public: 2, reserved: 0 });

    const strangers = await Promise.all([resident('路人甲'), resident('路人乙'), resident('路人丙')]);
    expect((await book(strangers[0], s.id)).status).toBe(201);
    expect((await book(strangers[1], s.id)).status).toBe(201);
    const full = await book(strangers[2], s.id);
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('SLOT_FULL');
  });

  it('reserved places left over are refused to strangers with RESERVED_ONLY, and nothing is written', async () => {
    const { cat } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 2, reserved: 1 });
    const [a, b] = await Promise.all([resident('路人甲'), resident('路人乙')]);
    expect((await book(a, s.id)).status).toBe(201);
    const refused = await book(b, s.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('RESERVED_ONLY');
    expect(await places(s.id)).toMatchObject({ public: 0, reserved: 1 });
    expect(await store.activeAppointmentId(s.id, b.patientId)).toBeUndefined();
  });

  it('a contracted resident still gets a public place when the reserved ones are gone', async () => {
    const { cat, team } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 3, reserved: 1 });
    const [first, second] = [await contracted(team, '王芳'), await contracted(team, '赵强')];
    expect((await book(first, s.id)).status).toBe(201);
    const r = await book(second, s.id);
    expect(r.status).toBe(201);
    expect((await store.getAppointment(r.body.id))!.shard).toBeLessThan(s.shards);
    expect(await places(s.id)).toMatchObject({ public: 1, reserved: 0 });
  });

  it('a contract with another team, a pending one, or a cancelled one gives no priority', async () => {
    const { cat, team: ownTeam } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 1, reserved: 1 });
    const otherTeam = await makeCare();
    const elsewhere = await contracted(otherTeam, '外队居民');
    expect((await book(elsewhere, s.id)).body.error.code).toBe('RESERVED_ONLY');
    const waiting = await resident('待审核');
    expect((await sign(ownTeam, waiting.token, waiting.patientId)).body.status).toBe('pending');
    expect((await book(waiting, s.id)).body.error.code).toBe('RESERVED_ONLY');

    const { team } = await familyDoctor();
    const s2 = await makeSchedule((await familyDoctor()).cat, { capacity: 1, reserved: 1 });
    const gone = await contracted(team, '已解约');
    const cancelled = await call(care, api.care.cancel, { token: gone.token, params: { contractId: gone.contractId }, body: {} });
    expect(cancelled.status).toBe(200);
    expect((await book(gone, s2.id)).body.error.code).toBe('RESERVED_ONLY');
    expect(await places(s2.id)).toMatchObject({ reserved: 1 });
  });

  it('the contract is checked inside the booking transaction: cancelled after the check, the reserved place is not taken', async () => {
    const { cat, member } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 2, reserved: 1 });
    const person = (await getPatient(member.patientId))!;
    const check = await reservedPlaceCheck(person.idNumber, cat.doctorId, localDate());
    expect(check).toBeDefined();
    expect((await call(care, api.care.cancel, { token: member.token, params: { contractId: member.contractId }, body: {} })).status).toBe(200);
    const sched = (await getSchedule(s.id))!.schedule;
    const a: store.AppointmentItem = {
      id: `ap-raw-${randomUUID()}`, userId: member.userId, patientId: member.patientId, patientName: '李秀英', patientRelation: 'self', scheduleId: s.id, shard: s.shards,
      date: sched.date, session: sched.session, startsAt: sched.startsAt, endsAt: sched.endsAt, cancelCutoffAt: sched.cancelCutoffAt, orgId: sched.orgId, orgName: sched.orgName,
      deptId: sched.deptId, deptName: sched.deptName, doctorId: sched.doctorId, doctorName: sched.doctorName, doctorTitle: sched.doctorTitle, fee: 0, status: 'confirmed',
      checkInCode: '000001', createdAt: sched.createdAt, updatedAt: sched.createdAt,
    };
    expect(await store.book(a, check)).toBe('not_entitled');
    expect(await places(s.id)).toMatchObject({ reserved: 1 });
    expect(await store.getAppointment(a.id)).toBeUndefined();
  });

  it('after the reserved places open, anyone may take them', async () => {
    const { cat } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 1, reserved: 1, reservedUntilIn: -0.1 });
    const view = await call(catalog, api.catalog.schedule, { params: { scheduleId: s.id } });
    expect(view.body).toMatchObject({ placesLeft: 1, reservedLeft: 0, state: 'open' });
    expect(view.body.reservedUntil).toBeUndefined();
    const stranger = await resident('游客');
    const r = await book(stranger, s.id);
    expect(r.status).toBe(201);
    expect(await places(s.id)).toMatchObject({ public: 0, reservedShard: { left: 0 } });
  });

  it('a cancelled reserved appointment gives its place back to the reserved pool; 停诊 closes the reserved shard and stops its appointment too', async () => {
    const { cat, member } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 2, reserved: 1 });
    const r = await book(member, s.id);
    const cancel = await call(handler, api.booking.cancel, { token: await tokenFor(['patient'], member.userId), params: { appointmentId: r.body.id } });
    expect(cancel.body.status).toBe('cancelled');
    expect(await places(s.id)).toMatchObject({ public: 1, reserved: 1 });

    const again = await book(member, s.id);
    expect(again.status).toBe(201);
    const admin = await tokenFor(['admin'], 'u-admin-priority', cat.orgId);
    const stop = await call(catalog, api.catalog.stopSession, { token: admin, params: { scheduleId: s.id }, body: { reason: '医生外出' } });
    expect(stop.status).toBe(200);
    expect(stop.body.appointmentsStopped).toBe(1);
    expect((await places(s.id)).reservedShard).toMatchObject({ open: false });
  });

  it('an unpaid hold on a reserved place is found by the expiry sweep and gives the place back to the reserved pool', async () => {
    const { cat, member } = await familyDoctor();
    const s = await makeSchedule(cat, { capacity: 2, reserved: 1, fee: 2000 });
    const r = await book(member, s.id);
    expect(r.body.status).toBe('pending_payment');
    expect(await places(s.id)).toMatchObject({ reserved: 0 });
    const later = Date.now() + 11 * 60_000;
    expect(await store.expiredHolds(new Date(later), 1000)).toContain(r.body.id);
    expect(await expireHold(r.body.id, later)).toBe(true);
    expect(await places(s.id)).toMatchObject({ public: 1, reserved: 1 });
  });
});

describe('sessions with reserved places (admin)', () => {
  it('reserved may not exceed capacity; the default opens them at 17:00 the day before', async () => {
    const { cat } = await familyDoctor();
    const admin = await tokenFor(['admin'], 'u-admin-priority', cat.orgId);
    const date = localDate(Date.now() + 3 * 86_400_000);
    const bad = await call(catalog, api.catalog.createSchedule, { token: admin, body: { doctorId: cat.doctorId, date, session: 'am', capacity: 2, reserved: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.path).toBe('body.reserved');
    const ok = await call(catalog, api.catalog.createSchedule, { token: admin, body: { doctorId: cat.doctorId, date, session: 'am', capacity: 10, reserved: 3 } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ capacity: 10, placesLeft: 7, reservedLeft: 3 });
    expect(ok.body.reservedUntil).toBe(`${localDate(Date.now() + 2 * 86_400_000)}T17:00:00+08:00`);
    const shrink = await call(catalog, api.catalog.updateSchedule, { token: admin, params: { scheduleId: ok.body.id }, body: { capacity: 2 } });
    expect(shrink.status).toBe(400);
    expect(shrink.body.error.fields?.[0]?.path).toBe('body.capacity');
    const grow = await call(catalog, api.catalog.updateSchedule, { token: admin, params: { scheduleId: ok.body.id }, body: { capacity: 12 } });
    expect(grow.body).toMatchObject({ capacity: 12, placesLeft: 9, reservedLeft: 3 });
  });

  it('a team member naming a catalog doctor that does not exist is refused with the field', async () => {
    const { team } = await familyDoctor();
    const r = await call(care, api.care.createTeam, {
      token: team.admin,
      body: { orgId: team.orgId, name: '无效团队', members: [{ doctorId: 'doc-nobody', name: '某医生', role: 'doctor', phone: '13800000009' }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields?.[0]?.path).toBe('body.members.0.doctorId');
  });
});
