import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler } from './handler';
import { handler as booking } from '../booking/handler';
import { getAppointment } from '../booking/store';
import { makeCatalog, makePatient, makeSchedule } from '../booking/test-fixtures';

async function checkedIn(scheduleId: string, name = '张建国') {
  const p = await makePatient(undefined, name);
  const token = await tokenFor(['patient'], p.userId);
  const b = await call(booking, api.booking.book, { body: { scheduleId, patientId: p.patientId }, token, headers: { 'idempotency-key': `k-${randomUUID()}` } });
  const c = await call(booking, api.booking.checkIn, { params: { appointmentId: b.body.id }, token, body: {} });
  expect(c.body.status).toBe('checked_in');
  return { ...p, token, appointmentId: b.body.id as string, number: c.body.queueNumber as number };
}

describe('the waiting queue (候诊)', () => {
  it('shows my number, people ahead and the wait; a nurse calls the next and it moves', async () => {
    const c = await makeCatalog();
    const s = await makeSchedule(c, { capacity: 12 });
    const first = await checkedIn(s.id, '李一');
    const second = await checkedIn(s.id, '王二');
    const third = await checkedIn(s.id, '赵三');
    const mine = await call(handler, api.queue.status, { params: { scheduleId: s.id }, token: third.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ calledNumber: 0, waiting: 3, topic: `queue:${s.id}`, mine: { number: 3, ahead: 2, state: 'waiting' } });
    expect(mine.body.mine.estimatedWaitMinutes).toBe(2 * mine.body.minutesPerPatient);

    const nurse = await tokenFor(['nurse'], 'u-nurse', c.orgId);
    const n1 = await call(handler, api.queue.next, { params: { scheduleId: s.id }, token: nurse });
    expect(n1.body).toMatchObject({ calledNumber: 1, called: { appointmentId: first.appointmentId, patientName: '李*' }, waiting: 2 });
    const afterOne = await call(handler, api.queue.status, { params: { scheduleId: s.id }, token: third.token });
    expect(afterOne.body.mine).toMatchObject({ ahead: 1, state: 'waiting' });
    expect((await call(handler, api.queue.status, { params: { scheduleId: s.id }, token: first.token })).body.mine.state).toBe('called');

    await call(handler, api.queue.next, { params: { scheduleId: s.id }, token: nurse });
    // Calling the next ends the previous visit.
    expect((await getAppointment(first.appointmentId))!.status).toBe('completed');
    await call(handler, api.queue.next, { params: { scheduleId: s.id }, token: nurse });
    const empty = await call(handler, api.queue.next, { params: { scheduleId: s.id }, token: nurse });
    expect([empty.status, empty.body.error.code]).toEqual([409, 'QUEUE_EMPTY']);
    expect((await call(handler, api.queue.status, { params: { scheduleId: s.id }, token: second.token })).body.mine.state).toBe('passed');

    const entries = await call(handler, api.queue.entries, { params: { scheduleId: s.id }, token: nurse });
    expect(entries.body.calledNumber).toBe(3);
    expect(entries.body.items.map((e: { number: number; patientName: string }) => [e.number, e.patientName])).toEqual([[1, '李*'], [2, '王*'], [3, '赵*']]);
    expect(entries.text).not.toContain('李一');
  });

  it('two nurses pressing at once call two different people', async () => {
    const c = await makeCatalog();
    const s = await makeSchedule(c, { capacity: 6 });
    await checkedIn(s.id);
    await checkedIn(s.id);
    const nurse = await tokenFor(['nurse'], 'u-n', c.orgId);
    const [a, b] = await Promise.all([0, 1].map(() => call(handler, api.queue.next, { params: { scheduleId: s.id }, token: nurse })));
    expect([a.body.calledNumber, b.body.calledNumber].sort()).toEqual([1, 2]);
  });

  it('only staff of the organisation call; a doctor only for their own session; patients never', async () => {
    const doctorUser = `u-doc-${randomUUID()}`;
    const c = await makeCatalog({ doctorUserId: doctorUser });
    const s = await makeSchedule(c, { capacity: 3 });
    const p = await checkedIn(s.id);
    const params = { scheduleId: s.id };
    expect((await call(handler, api.queue.next, { params, token: p.token })).status).toBe(403);
    expect((await call(handler, api.queue.entries, { params, token: p.token })).status).toBe(403);
    expect((await call(handler, api.queue.next, { params, token: await tokenFor(['nurse'], 'u-n', 'org-other') })).status).toBe(404);
    expect((await call(handler, api.queue.next, { params, token: await tokenFor(['doctor'], `u-${randomUUID()}`, c.orgId) })).status).toBe(200);
    const other = await makeCatalog({ doctorUserId: `u-doc-${randomUUID()}` });
    const s2 = await makeSchedule({ ...other, orgId: c.orgId }, { capacity: 2 });
    expect((await call(handler, api.queue.next, { params: { scheduleId: s2.id }, token: await tokenFor(['doctor'], doctorUser, c.orgId) })).status).toBe(403);
    const sessions = await call(handler, api.queue.sessions, { token: await tokenFor(['doctor'], doctorUser, c.orgId) });
    expect(sessions.body.items.map((x: { scheduleId: string }) => x.scheduleId)).toEqual([s.id]);
    expect((await call(handler, api.queue.status, { params: { scheduleId: 'nope' }, token: p.token })).status).toBe(404);
  });
});
