/** After a session: 爽约 for who never came, seen for who checked in; "my active appointments" agree. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, toLocalIso } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { inbox } from '#lib/notifier';
import { getSchedule, placesLeft } from '../catalog/schedule-store';
import { handler } from './handler';
import { closeSession } from './jobs';
import * as store from './store';
import { addPerson } from '#test/people';
import { getPatient } from '../patients/store';
import { uniqueIdNumber } from '../care/test-fixtures';
import { makeCatalog, makePatient, makeSchedule } from './test-fixtures';

async function booked(scheduleId: string, person?: { userId: string; patientId: string }) {
  const p = person ?? (await makePatient());
  const r = await call(handler, api.booking.book, {
    body: { scheduleId, patientId: p.patientId },
    token: await tokenFor(['patient'], p.userId),
    headers: { 'idempotency-key': `k-${randomUUID()}` },
  });
  expect(r.status).toBe(201);
  return { ...p, appointment: (await store.getAppointment(r.body.id))! };
}

describe('closing a session that is over', () => {
  it('confirmed → no_show (place stays used), checked in → completed, cancelled untouched; a re-run changes nothing', async () => {
    // Booking is still open for the fixture (closes in an hour), but the session ended ten minutes ago.
    const s = await makeSchedule(await makeCatalog(), { capacity: 5, endsIn: -1 / 6 });
    const [absent, seen, withdrawn] = [await booked(s.id), await booked(s.id), await booked(s.id)];
    const at = toLocalIso(Date.now());
    expect(await store.transition(seen.appointment, { event: 'check_in', set: { queueNumber: 1 } }, at)).toBe(true);
    expect(await store.transition(withdrawn.appointment, { event: 'cancel' }, at)).toBe(true);
    const left = placesLeft((await getSchedule(s.id, true))!);

    // Before the job, the resident's list already shows it as past.
    const mine = await call(handler, api.booking.mine, { token: await tokenFor(['patient'], absent.userId), query: { filter: 'active' } });
    expect(mine.body.items).toEqual([]);

    expect(await closeSession(s)).toEqual({ noShows: 1, completed: 1 });
    expect((await store.getAppointment(absent.appointment.id))!.status).toBe('no_show');
    expect((await store.getAppointment(seen.appointment.id))!.status).toBe('completed');
    expect((await store.getAppointment(withdrawn.appointment.id))!.status).toBe('cancelled');
    expect(await store.activeAppointmentId(s.id, absent.patientId)).toBeUndefined();
    expect(placesLeft((await getSchedule(s.id, true))!)).toBe(left);

    expect(await closeSession(s)).toEqual({ noShows: 0, completed: 0 });
    // Told once, with the session's own hours.
    const told = (await inbox(absent.userId)).filter((m) => m.template === 'missed_visit');
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain(`${s.startsAt.slice(11, 16)}-${s.endsAt.slice(11, 16)}`);
    expect(told[0].body).toContain('爽约');
    const past = await call(handler, api.booking.mine, { token: await tokenFor(['patient'], absent.userId), query: { filter: 'past' } });
    expect(past.body.items.map((a: { status: string }) => a.status)).toEqual(['no_show']);
  });

  it('a session still under way, or stopped, is left alone', async () => {
    const c = await makeCatalog();
    const running = await makeSchedule(c, { capacity: 2 });
    const p = await booked(running.id);
    expect(await closeSession(running)).toEqual({ noShows: 0, completed: 0 });
    expect((await store.getAppointment(p.appointment.id))!.status).toBe('confirmed');
    expect(await closeSession({ ...running, endsAt: toLocalIso(Date.now() - 60_000), stopped: true })).toEqual({ noShows: 0, completed: 0 });
  });
});

describe('爽约 rule', () => {
  it('three no-shows within 90 days pause online booking for the person on every account; others book as usual', async () => {
    const idNo = uniqueIdNumber();
    const own = `u-${randomUUID()}`;
    const daughter = `u-${randomUUID()}`;
    const mine = { userId: own, patientId: (await addPerson(own, { name: '王大爷', relation: 'self', phone: '13812345678', idNumber: idNo })).id };
    const theirs = { userId: daughter, patientId: (await addPerson(daughter, { name: '王大爷', relation: 'parent', phone: '13812345678', idNumber: idNo })).id };
    const cat = await makeCatalog();
    for (let i = 0; i < 3; i++) {
      const s = await makeSchedule(cat, { capacity: 3, endsIn: -1 / 6 });
      await booked(s.id, i === 1 ? theirs : mine);
      expect(await closeSession(s)).toMatchObject({ noShows: 1 });
      const paused = (await getPatient(mine.patientId))!.bookingPausedUntil;
      if (i < 2) expect(paused).toBeUndefined();
      else expect(paused).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect((await getPatient(theirs.patientId))!.bookingPausedUntil).toBe((await getPatient(mine.patientId))!.bookingPausedUntil);
    // Two no-shows on this account: the first says 爽约, the one that starts the pause says so.
    const told = (await inbox(own)).filter((m) => m.template === 'missed_visit');
    expect(told.map((m) => m.body.includes('暂停网上预约')).sort()).toEqual([false, true]);

    const next = await makeSchedule(cat, { capacity: 3 });
    const refused = await call(handler, api.booking.book, {
      body: { scheduleId: next.id, patientId: theirs.patientId },
      token: await tokenFor(['patient'], daughter),
      headers: { 'idempotency-key': `k-${randomUUID()}` },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('BOOKING_PAUSED');
    expect(placesLeft((await getSchedule(next.id, true))!)).toBe(3);
    const list = await call((await import('../patients/handler')).handler, api.patients.list, { token: await tokenFor(['patient'], daughter) });
    expect(list.body.items[0].bookingPausedUntil).toBeDefined();
    // Someone else books as usual.
    await booked(next.id);
  });
});
