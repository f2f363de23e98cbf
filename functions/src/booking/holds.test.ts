import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays, api, localDate } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { inbox } from '#lib/notifier';
import { handler } from './handler';
import { handler as catalog } from '../catalog/handler';
import { getSchedule, placesLeft } from '../catalog/schedule-store';
import { appointmentForPayment, confirmAppointmentPayment, refundsDue } from './payment';
import { dayBeforeReminders, expireHold } from './jobs';
import { expiredHolds, getAppointment } from './store';
import { makeCatalog, makePatient, makeSchedule } from './test-fixtures';

const left = async (scheduleId: string) => placesLeft((await getSchedule(scheduleId, true))!);
const MIN = 60_000;

async function hold(scheduleId: string) {
  const p = await makePatient();
  const r = await call(handler, api.booking.book, {
    body: { scheduleId, patientId: p.patientId },
    token: await tokenFor(['patient'], p.userId),
    headers: { 'idempotency-key': `k-${randomUUID()}` },
  });
  expect(r.body.status).toBe('pending_payment');
  return { ...p, appointmentId: r.body.id as string };
}

describe('a hold for payment', () => {
  it('is paid: confirmed once, a repeated notification is a duplicate, the resident is told', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 2, fee: 3000 });
    const h = await hold(s.id);
    const charge = await appointmentForPayment(h.userId, h.appointmentId);
    expect(charge).toMatchObject({ amount: 3000, appointmentId: h.appointmentId });
    await expect(appointmentForPayment(`u-${randomUUID()}`, h.appointmentId)).rejects.toMatchObject({ status: 404 });
    expect(await confirmAppointmentPayment(h.appointmentId, { orderNo: 'O1' })).toMatchObject({ outcome: 'confirmed' });
    expect(await confirmAppointmentPayment(h.appointmentId, { orderNo: 'O1' })).toMatchObject({ outcome: 'duplicate' });
    expect(await confirmAppointmentPayment(h.appointmentId, { orderNo: 'O2' })).toMatchObject({ outcome: 'refund_required' });
    expect((await getAppointment(h.appointmentId))!).toMatchObject({ status: 'confirmed', orderNo: 'O1' });
    expect((await inbox(h.userId)).map((m) => m.template)).toEqual(['booking_confirmed']);
    // A paid hold never expires.
    expect(await expireHold(h.appointmentId, Date.now() + 60 * MIN)).toBe(false);
    expect(await left(s.id)).toBe(1);
  });

  it('expires after its time: the place comes back once, and a late payment is to be refunded', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 1, fee: 3000 });
    const h = await hold(s.id);
    expect(await left(s.id)).toBe(0);
    expect(await expireHold(h.appointmentId, Date.now())).toBe(false); // not yet
    const later = Date.now() + 11 * MIN;
    // The sweep's index finds it (the job itself, expireHolds, would end every hold in the shared test table).
    expect(await expiredHolds(new Date(Date.now()))).not.toContain(h.appointmentId);
    expect(await expiredHolds(new Date(later), 1000)).toContain(h.appointmentId);
    expect(await expireHold(h.appointmentId, later)).toBe(true);
    expect(await expireHold(h.appointmentId, later)).toBe(false); // never twice
    expect(await expiredHolds(new Date(later), 1000)).not.toContain(h.appointmentId);
    expect(await left(s.id)).toBe(1);
    expect((await getAppointment(h.appointmentId))!.status).toBe('expired');
    expect((await inbox(h.userId)).map((m) => m.template)).toEqual(['hold_expired']);
    await expect(appointmentForPayment(h.userId, h.appointmentId)).rejects.toMatchObject({ status: 409, code: 'APPOINTMENT_NOT_PAYABLE' });
    expect(await confirmAppointmentPayment(h.appointmentId, { orderNo: 'LATE' })).toMatchObject({ outcome: 'refund_required', status: 'expired' });
  });

  it('expiry job and a late payment racing: exactly one wins, the place comes back at most once', async () => {
    const rounds = 12;
    const s = await makeSchedule(await makeCatalog(), { capacity: rounds, fee: 1000 });
    const holds = await Promise.all(Array.from({ length: rounds }, () => hold(s.id)));
    expect(await left(s.id)).toBe(0);
    const later = Date.now() + 11 * MIN;
    const outcomes = await Promise.all(
      holds.map(async (h) => {
        const [expired, paid] = await Promise.all([expireHold(h.appointmentId, later), confirmAppointmentPayment(h.appointmentId, { orderNo: `O-${h.appointmentId}` })]);
        return { expired, paid: paid.outcome };
      }),
    );
    for (const o of outcomes) expect(o.expired !== (o.paid === 'confirmed')).toBe(true);
    const expiredCount = outcomes.filter((o) => o.expired).length;
    expect(outcomes.filter((o) => !o.expired).every((o) => o.paid === 'confirmed')).toBe(true);
    expect(outcomes.filter((o) => o.expired).every((o) => o.paid === 'refund_required')).toBe(true);
    // Places back = holds that expired; nothing booked twice, nothing lost.
    expect(await left(s.id)).toBe(expiredCount);
    const statuses = await Promise.all(holds.map(async (h) => (await getAppointment(h.appointmentId))!.status));
    expect(statuses.filter((x) => x === 'confirmed')).toHaveLength(rounds - expiredCount);
  });

  it('a paid appointment cancelled before the cut-off is marked for refund', async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 2, fee: 3000 });
    const h = await hold(s.id);
    await confirmAppointmentPayment(h.appointmentId, { orderNo: 'OC' });
    const r = await call(handler, api.booking.cancel, { params: { appointmentId: h.appointmentId }, token: await tokenFor(['patient'], h.userId) });
    expect(r.body).toMatchObject({ status: 'cancelled', refund: 'required', orderNo: 'OC' });
    expect((await refundsDue(1000)).some((d) => d.appointmentId === h.appointmentId && d.orderNo === 'OC' && d.amount === 3000)).toBe(true);
    expect(await left(s.id)).toBe(2);
  });
});

describe('stopping a session (停诊)', () => {
  it('stops every active appointment, tells each person, marks paid ones for refund and refuses new bookings', async () => {
    const c = await makeCatalog();
    const s = await makeSchedule(c, { capacity: 5, fee: 2000 });
    const paid = await hold(s.id);
    await confirmAppointmentPayment(paid.appointmentId, { orderNo: 'OS' });
    const unpaid = await hold(s.id);
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const r = await call(catalog, api.catalog.stopSession, { params: { scheduleId: s.id }, body: { reason: '医生临时外出会诊' }, token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ appointmentsStopped: 2, refundsRequested: 1, schedule: { state: 'stopped', placesLeft: 0, stoppedReason: '医生临时外出会诊' } });
    expect((await getAppointment(paid.appointmentId))!).toMatchObject({ status: 'stopped', refund: 'required' });
    expect((await getAppointment(unpaid.appointmentId))!.status).toBe('stopped');
    expect((await inbox(paid.userId)).map((m) => m.template)).toContain('session_stopped');
    expect((await inbox(unpaid.userId))[0].body).toContain('医生临时外出会诊');
    // Stopping again changes nothing.
    const again = await call(catalog, api.catalog.stopSession, { params: { scheduleId: s.id }, body: { reason: '再次' }, token: admin });
    expect(again.body).toMatchObject({ appointmentsStopped: 0, refundsRequested: 0 });
    const late = await makePatient();
    const b = await call(handler, api.booking.book, {
      body: { scheduleId: s.id, patientId: late.patientId },
      token: await tokenFor(['patient'], late.userId),
      headers: { 'idempotency-key': `k-${randomUUID()}` },
    });
    expect([b.status, b.body.error.code]).toEqual([409, 'SESSION_STOPPED']);
    // An administrator of another organisation may not stop it: to them it does not exist.
    const other = await call(catalog, api.catalog.stopSession, { params: { scheduleId: s.id }, body: { reason: 'x' }, token: await tokenFor(['admin'], 'u-x', 'org-other') });
    expect(other.status).toBe(404);
  });
});

describe('day-before reminders', () => {
  it("remind tomorrow's confirmed appointments once, however often the job runs", async () => {
    const s = await makeSchedule(await makeCatalog(), { capacity: 3, date: addDays(localDate(), 1), endsIn: 30, closesIn: 20 });
    const p = await makePatient();
    await call(handler, api.booking.book, { body: { scheduleId: s.id, patientId: p.patientId }, token: await tokenFor(['patient'], p.userId), headers: { 'idempotency-key': `k-${randomUUID()}` } });
    await dayBeforeReminders();
    await dayBeforeReminders();
    const templates = (await inbox(p.userId)).map((m) => m.template);
    expect(templates.filter((t) => t === 'visit_reminder')).toHaveLength(1);
  });
});
