import { describe, expect, it } from 'vitest';
import { addDays, api, localDate } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler } from './handler';
import { capacityDeltas } from './admin';
import { getSchedule } from './schedule-store';
import { makeCatalog, makeSchedule } from '../booking/test-fixtures';

describe('the public catalog', () => {
  it('org → departments → doctors → sessions with places left', async () => {
    const c = await makeCatalog();
    const orgs = await call(handler, api.catalog.orgs);
    expect(orgs.status).toBe(200);
    expect(orgs.body.items.some((o: { id: string }) => o.id === c.orgId)).toBe(true);
    const depts = await call(handler, api.catalog.departments, { params: { orgId: c.orgId } });
    expect(depts.body.items).toEqual([expect.objectContaining({ id: c.deptId, name: '心血管内科' })]);
    const docs = await call(handler, api.catalog.doctors, { params: { deptId: c.deptId } });
    expect(docs.body.items).toEqual([expect.objectContaining({ id: c.doctorId, title: '主任医师', fee: 5000 })]);
    expect(docs.body.items[0].userId).toBeUndefined();
    const s = await makeSchedule(c, { capacity: 7, fee: 800 });
    const list = await call(handler, api.catalog.schedules, { params: { doctorId: c.doctorId } });
    expect(list.body.items).toEqual([expect.objectContaining({ id: s.id, capacity: 7, placesLeft: 7, fee: 800, state: 'open', date: localDate() })]);
  });

  it('date ranges are validated field by field', async () => {
    const c = await makeCatalog();
    const params = { doctorId: c.doctorId };
    const bad = await call(handler, api.catalog.schedules, { params, query: { from: '2025-13-01' } });
    expect([bad.status, bad.body.error.fields[0].path]).toEqual([400, 'query.from']);
    const reversed = await call(handler, api.catalog.schedules, { params, query: { from: '2025-06-10', to: '2025-06-01' } });
    expect([reversed.status, reversed.body.error.fields[0].path]).toEqual([400, 'query.to']);
    const long = await call(handler, api.catalog.schedules, { params, query: { from: '2025-06-01', to: '2025-08-01' } });
    expect([long.status, long.body.error.fields[0].path]).toEqual([400, 'query.to']);
  });

  it('unknown or malformed ids are 404, never 500', async () => {
    for (const [route, params] of [
      [api.catalog.org, { orgId: 'nope' }],
      [api.catalog.departments, { orgId: 'x'.repeat(3000) }],
      [api.catalog.doctors, { deptId: '../etc' }],
      [api.catalog.schedules, { doctorId: 'nope' }],
      [api.catalog.schedule, { scheduleId: 'nope' }],
    ] as const) {
      expect((await call(handler, route, { params })).status).toBe(404);
    }
  });
});

describe('administrators and sessions (排班)', () => {
  it('open a session with the default booking calendar; a second one in the same slot is refused', async () => {
    const c = await makeCatalog();
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const date = addDays(localDate(), 9);
    const body = { doctorId: c.doctorId, date, session: 'am', capacity: 20 };
    const r = await call(handler, api.catalog.createSchedule, { body, token: admin });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ capacity: 20, placesLeft: 20, fee: 5000, state: 'not_released', releaseAt: `${addDays(date, -7)}T08:00:00+08:00`, startsAt: `${date}T08:00:00+08:00` });
    const again = await call(handler, api.catalog.createSchedule, { body, token: admin });
    expect([again.status, again.body.error.code]).toEqual([409, 'SCHEDULE_EXISTS']);
    const past = await call(handler, api.catalog.createSchedule, { body: { ...body, date: '2020-01-01' }, token: admin });
    expect([past.status, past.body.error.fields[0].path]).toEqual([400, 'body.date']);
    const far = await call(handler, api.catalog.createSchedule, { body: { ...body, date: addDays(localDate(), 120) }, token: admin });
    expect([far.status, far.body.error.fields[0].path]).toEqual([400, 'body.date']);
    const missing = await call(handler, api.catalog.createSchedule, { body: { ...body, doctorId: 'nobody' }, token: admin });
    expect([missing.status, missing.body.error.fields[0].path]).toEqual([400, 'body.doctorId']);
    const badCap = await call(handler, api.catalog.createSchedule, { body: { ...body, capacity: 0 }, token: admin });
    expect([badCap.status, badCap.body.error.fields[0].path]).toEqual([400, 'body.capacity']);
    const otherOrg = await call(handler, api.catalog.createSchedule, { body: { ...body, session: 'pm' }, token: await tokenFor(['admin'], 'u-a2', 'org-elsewhere') });
    expect(otherOrg.status).toBe(403);
  });

  it('a session may have its own hours (延时门诊); the default calendar follows them; bad hours name the field', async () => {
    const c = await makeCatalog();
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const date = addDays(localDate(), 2);
    const body = { doctorId: c.doctorId, date, session: 'evening', capacity: 5, hours: { start: '18:30', end: '22:30' } };
    const r = await call(handler, api.catalog.createSchedule, { body, token: admin });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      startsAt: `${date}T18:30:00+08:00`,
      endsAt: `${date}T22:30:00+08:00`,
      bookingClosesAt: `${date}T22:00:00+08:00`,
      cancelCutoffAt: `${date}T18:30:00+08:00`,
    });
    const backwards = await call(handler, api.catalog.createSchedule, { body: { ...body, session: 'pm', hours: { start: '17:00', end: '13:30' } }, token: admin });
    expect([backwards.status, backwards.body.error.fields[0].path]).toEqual([400, 'body.hours.end']);
    const malformed = await call(handler, api.catalog.createSchedule, { body: { ...body, session: 'am', hours: { start: '8:00', end: '12:00' } }, token: admin });
    expect([malformed.status, malformed.body.error.fields[0].path]).toEqual([400, 'body.hours.start']);
  });

  it('capacity changes go to the shards and never below what is booked', async () => {
    const c = await makeCatalog();
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const s = await makeSchedule(c, { capacity: 10 });
    const up = await call(handler, api.catalog.updateSchedule, { params: { scheduleId: s.id }, body: { capacity: 13, fee: 900 }, token: admin });
    expect(up.body).toMatchObject({ capacity: 13, placesLeft: 13, fee: 900 });
    const down = await call(handler, api.catalog.updateSchedule, { params: { scheduleId: s.id }, body: { capacity: 4 }, token: admin });
    expect(down.body).toMatchObject({ capacity: 4, placesLeft: 4 });
    const shards = (await getSchedule(s.id, true))!.shards;
    expect(shards.reduce((n, x) => n + x.cap, 0)).toBe(4);
    const empty = await call(handler, api.catalog.updateSchedule, { params: { scheduleId: s.id }, body: {}, token: admin });
    expect(empty.status).toBe(400);
  });

  it('capacity arithmetic: spread increases, take decreases from free places, refuse below booked', () => {
    const shards = [0, 1, 2].map((shard) => ({ scheduleId: 's', shard, cap: 2, left: shard === 0 ? 0 : 2, open: true }));
    expect(capacityDeltas(shards, 2)).toEqual([1, 1, 0]);
    expect(capacityDeltas(shards, -3)).toEqual([0, -2, -1]);
    expect(capacityDeltas(shards, -5)).toBeUndefined();
  });
});
