import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays, api, localDate } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { inbox } from '#lib/notifier';
import { handler } from './handler';
import { handler as catalog } from '../catalog/handler';
import { getSchedule, placesLeft } from '../catalog/schedule-store';
import { makeCatalog, makePatient, makeSchedule } from './test-fixtures';
import { book as storeBook, type AppointmentItem } from './store';

async function apptFor(p: { userId: string; patientId: string }, scheduleId: string, i: number): Promise<AppointmentItem> {
  const s = (await getSchedule(scheduleId))!.schedule;
  return {
    id: `ap-raw-${randomUUID()}`, userId: p.userId, patientId: p.patientId, patientName: '测试', patientRelation: 'self', scheduleId, shard: 0,
    date: s.date, session: s.session, startsAt: s.startsAt, endsAt: s.endsAt, cancelCutoffAt: s.cancelCutoffAt, orgId: s.orgId, orgName: s.orgName,
    deptId: s.deptId, deptName: s.deptName, doctorId: s.doctorId, doctorName: s.doctorName, doctorTitle: s.doctorTitle, fee: 0, status: 'confirmed',
    checkInCode: String(i).padStart(6, '0'), createdAt: s.createdAt, updatedAt: s.createdAt,
  };
}

const key = () => `k-${randomUUID()}`;

async function book(userId: string, body: { scheduleId: string; patientId: string }, idem = key()) {
  return call(handler, api.booking.book, { body, token: await tokenFor(['patient'], userId), headers: { 'idempotency-key': idem } });
}
const left = async (scheduleId: string) => placesLeft((await getSchedule(scheduleId, true))!);

describe('booking a place', () => {
  it('a free session confirms at once, takes one place and tells the account holder', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 3, fee: 0 });
    const p = await makePatient();
    const r = await book(p.userId, { scheduleId: s.id, patientId: p.patientId });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'confirmed', fee: 0, patient: { id: p.patientId, name: '张建国' }, schedule: { id: s.id }, canCancel: true });
    expect(r.body.checkInCode).toMatch(/^\d{6}$/);
    expect(await left(s.id)).toBe(2);
    const pub = await call(catalog, api.catalog.schedule, { params: { scheduleId: s.id } });
    expect(pub.body).toMatchObject({ placesLeft: 2, capacity: 3, state: 'open' });
    const messages = await inbox(p.userId);
    expect(messages.map((m) => m.template)).toEqual(['booking_confirmed']);
    expect(messages[0].body).toContain('张建国');
  });

  it('a paid session is held for payment for 10 minutes', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 2, fee: 5000 });
    const p = await makePatient();
    const before = Date.now();
    const r = await book(p.userId, { scheduleId: s.id, patientId: p.patientId });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending_payment', fee: 5000 });
    const holdMs = Date.parse(r.body.holdExpiresAt) - before;
    expect(holdMs).toBeGreaterThan(9 * 60_000);
    expect(holdMs).toBeLessThanOrEqual(10 * 60_000 + 1000);
    expect(await left(s.id)).toBe(1);
    expect(await inbox(p.userId)).toEqual([]);
  });

  it('a second booking for the same person in the same session is refused', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 5 });
    const p = await makePatient();
    expect((await book(p.userId, { scheduleId: s.id, patientId: p.patientId })).status).toBe(201);
    const again = await book(p.userId, { scheduleId: s.id, patientId: p.patientId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_BOOKED');
    expect(await left(s.id)).toBe(4);
  });

  it('the same Idempotency-Key replays the first answer and takes one place', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 5 });
    const p = await makePatient();
    const k = key();
    const first = await book(p.userId, { scheduleId: s.id, patientId: p.patientId }, k);
    const second = await book(p.userId, { scheduleId: s.id, patientId: p.patientId }, k);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await left(s.id)).toBe(4);
  });

  it('a retried request gets its appointment back even once the session is full; a reused key with another body is 422', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 1 });
    const other = await makeSchedule(await makeCatalog(), { capacity: 1 });
    const p = await makePatient();
    const k = key();
    const first = await book(p.userId, { scheduleId: s.id, patientId: p.patientId }, k);
    const retry = await book(p.userId, { scheduleId: s.id, patientId: p.patientId }, k);
    expect([retry.status, retry.body.id]).toEqual([201, first.body.id]);
    const reused = await book(p.userId, { scheduleId: other.id, patientId: p.patientId }, k);
    expect([reused.status, reused.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const badKey = await book(p.userId, { scheduleId: s.id, patientId: p.patientId }, 'short');
    expect([badKey.status, badKey.body.error.fields[0].path]).toEqual([400, 'headers.idempotency-key']);
  });

  it('refuses before the release time, after the window and in a stopped session, with reason codes', async () => {
    const c = await makeCatalog();
    const p = await makePatient();
    const early = await makeSchedule(c, { releaseIn: 2 });
    const late = await makeSchedule(c, { releaseIn: -5, closesIn: -1 });
    const r1 = await book(p.userId, { scheduleId: early.id, patientId: p.patientId });
    const r2 = await book(p.userId, { scheduleId: late.id, patientId: p.patientId });
    expect([r1.status, r1.body.error.code]).toEqual([409, 'NOT_RELEASED']);
    expect([r2.status, r2.body.error.code]).toEqual([409, 'BOOKING_CLOSED']);
    expect(r1.body.error.message).toMatch(/放号/);
  });

  it('a full session answers 409 SLOT_FULL', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 1 });
    const a = await makePatient();
    const b = await makePatient();
    expect((await book(a.userId, { scheduleId: s.id, patientId: a.patientId })).status).toBe(201);
    const r = await book(b.userId, { scheduleId: s.id, patientId: b.patientId });
    expect([r.status, r.body.error.code]).toEqual([409, 'SLOT_FULL']);
  });

  it('bad input is a 400 naming the field; unknown session 404; missing key 400', async () => {
    const p = await makePatient();
    const token = await tokenFor(['patient'], p.userId);
    const bad = await call(handler, api.booking.book, { body: { scheduleId: 'a b', patientId: 5 }, token, headers: { 'idempotency-key': key() } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.patientId', 'body.scheduleId']);
    const unknown = await book(p.userId, { scheduleId: 'no-such-session', patientId: p.patientId });
    expect(unknown.status).toBe(404);
    const nokey = await call(handler, api.booking.book, { body: { scheduleId: 'x', patientId: p.patientId }, token });
    expect([nokey.status, nokey.body.error.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
  });

  it('N+1 people booking N places at the same instant: exactly N appointments', async () => {
    const N = 24;
    const s = await makeSchedule(await makeCatalog(), { capacity: N });
    const people = await Promise.all(Array.from({ length: N + 1 }, () => makePatient()));
    const results = await Promise.all(people.map((p) => book(p.userId, { scheduleId: s.id, patientId: p.patientId })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(N);
    expect(statuses.filter((x) => x === 409)).toHaveLength(1);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('SLOT_FULL');
    expect(await left(s.id)).toBe(0);
    const shards = (await getSchedule(s.id, true))!.shards;
    expect(shards.every((x) => x.left >= 0)).toBe(true);
  });
});

describe('the database alone never oversells', () => {
  it('N+1 concurrent writes for N places, each trying every shard, without the container view: exactly N', async () => {
    const N = 20;
    const s = await makeSchedule(await makeCatalog(), { capacity: N });
    const people = await Promise.all(Array.from({ length: N + 1 }, () => makePatient()));
    const outcomes = await Promise.all(
      people.map(async (p, i) => {
        for (const shard of [0, 1, 2, 3, 4, 5, 6, 7].sort(() => Math.random() - 0.5)) {
          const a = { ...(await apptFor(p, s.id, i)), shard };
          const r = await storeBook(a);
          if (r !== 'place_taken' && r !== 'busy') return r;
        }
        return 'full';
      }),
    );
    expect(outcomes.filter((o) => o === 'booked')).toHaveLength(N);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(1);
    expect(await left(s.id)).toBe(0);
  });
});

describe('who may see and act on an appointment', () => {
  it("another account's person cannot be booked (404), and another account's appointment is invisible on every route", async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 3 });
    const owner = await makePatient();
    const stranger = await makePatient();
    const intrude = await book(stranger.userId, { scheduleId: s.id, patientId: owner.patientId });
    expect(intrude.status).toBe(404);
    const mine = await book(owner.userId, { scheduleId: s.id, patientId: owner.patientId });
    const params = { appointmentId: mine.body.id };
    const t = await tokenFor(['patient'], stranger.userId);
    for (const [route, opts] of [
      [api.booking.get, {}],
      [api.booking.cancel, {}],
      [api.booking.checkIn, { body: {} }],
    ] as const) {
      const r = await call(handler, route, { params, token: t, ...opts });
      expect(r.status, route.path).toBe(404);
    }
    const list = await call(handler, api.booking.mine, { token: t });
    expect(list.body.items).toEqual([]);
    // Staff roles are refused by the route itself.
    const nurse = await tokenFor(['nurse']);
    for (const route of [api.booking.get, api.booking.cancel, api.booking.checkIn, api.booking.mine]) {
      const r = await call(handler, route, { params, token: nurse, body: {} });
      expect(r.status, route.path).toBe(403);
    }
    // The owner still has it, untouched.
    const own = await call(handler, api.booking.get, { params, token: await tokenFor(['patient'], owner.userId) });
    expect(own.body.status).toBe('confirmed');
  });

  it('my appointments lists the people of my account, filterable', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 3 });
    const p = await makePatient();
    await book(p.userId, { scheduleId: s.id, patientId: p.patientId });
    const token = await tokenFor(['patient'], p.userId);
    expect((await call(handler, api.booking.mine, { token })).body.items).toHaveLength(1);
    expect((await call(handler, api.booking.mine, { token, query: { filter: 'past' } })).body.items).toHaveLength(0);
    const bad = await call(handler, api.booking.mine, { token, query: { filter: 'nope' } });
    expect([bad.status, bad.body.error.fields[0].path]).toEqual([400, 'query.filter']);
  });
});

describe('cancelling (退号)', () => {
  it('gives the place back exactly once, however many times it is pressed', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 2 });
    const p = await makePatient();
    const booked = await book(p.userId, { scheduleId: s.id, patientId: p.patientId });
    expect(await left(s.id)).toBe(1);
    const token = await tokenFor(['patient'], p.userId);
    const params = { appointmentId: booked.body.id };
    const results = await Promise.all(Array.from({ length: 5 }, () => call(handler, api.booking.cancel, { params, token })));
    expect(results.every((r) => r.status === 200 && r.body.status === 'cancelled')).toBe(true);
    expect(await left(s.id)).toBe(2);
    const again = await call(handler, api.booking.cancel, { params, token });
    expect(again.body.status).toBe('cancelled');
    expect(await left(s.id)).toBe(2);
    // The person may book the session again.
    expect((await book(p.userId, { scheduleId: s.id, patientId: p.patientId })).status).toBe(201);
  });

  it('is refused after the cut-off', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 2, cancelCutoffIn: -0.01 });
    const p = await makePatient();
    const booked = await book(p.userId, { scheduleId: s.id, patientId: p.patientId });
    expect(booked.body.canCancel).toBe(false);
    const r = await call(handler, api.booking.cancel, { params: { appointmentId: booked.body.id }, token: await tokenFor(['patient'], p.userId) });
    expect([r.status, r.body.error.code]).toEqual([409, 'CANCEL_CUTOFF_PASSED']);
    expect(await left(s.id)).toBe(1);
  });
});

describe('checking in (签到)', () => {
  it('on the day gives queue numbers in order; pressing twice keeps the number', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 5 });
    const a = await makePatient();
    const b = await makePatient();
    const ba = await book(a.userId, { scheduleId: s.id, patientId: a.patientId });
    const bb = await book(b.userId, { scheduleId: s.id, patientId: b.patientId });
    expect(ba.body.canCheckIn).toBe(true);
    const ta = await tokenFor(['patient'], a.userId);
    const ca = await call(handler, api.booking.checkIn, { params: { appointmentId: ba.body.id }, token: ta, body: {} });
    const cb = await call(handler, api.booking.checkIn, { params: { appointmentId: bb.body.id }, token: await tokenFor(['patient'], b.userId) });
    expect([ca.status, ca.body.status, ca.body.queueNumber]).toEqual([200, 'checked_in', 1]);
    expect(cb.body.queueNumber).toBe(2);
    const again = await call(handler, api.booking.checkIn, { params: { appointmentId: ba.body.id }, token: ta, body: {} });
    expect(again.body.queueNumber).toBe(1);
    // A checked-in appointment can no longer be cancelled.
    const cancel = await call(handler, api.booking.cancel, { params: { appointmentId: ba.body.id }, token: ta });
    expect([cancel.status, cancel.body.error.code]).toEqual([409, 'NOT_CANCELLABLE']);
  });

  it('is refused on another day, before payment, and with another department’s code', async () => {
    const c = await makeCatalog();
    const tomorrow = await makeSchedule(c, { date: addDays(localDate(), 1), endsIn: 30 });
    const paid = await makeSchedule(c, { fee: 800 });
    const p = await makePatient();
    const token = await tokenFor(['patient'], p.userId);
    const t = await book(p.userId, { scheduleId: tomorrow.id, patientId: p.patientId });
    const r1 = await call(handler, api.booking.checkIn, { params: { appointmentId: t.body.id }, token, body: {} });
    expect([r1.status, r1.body.error.code]).toEqual([409, 'NOT_TODAY']);
    const h = await book(p.userId, { scheduleId: paid.id, patientId: p.patientId });
    const r2 = await call(handler, api.booking.checkIn, { params: { appointmentId: h.body.id }, token, body: {} });
    expect([r2.status, r2.body.error.code]).toEqual([409, 'PAYMENT_REQUIRED']);
    const r3 = await call(handler, api.booking.checkIn, { params: { appointmentId: h.body.id }, token, body: { qr: 'no such code!' } });
    expect([r3.status, r3.body.error.fields[0].path]).toEqual([400, 'body.qr']);
  });
});
