/**
 * Refunds (idempotent, partial or full, never beyond what was paid, notifications handled) and
 * the appointment fee: paid holds confirm; a hold that expired while the payment went through is
 * refunded, never overbooked; a cancelled paid appointment is refunded from booking's queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler as booking } from '../booking/handler';
import { expireHold } from '../booking/jobs';
import { getAppointment } from '../booking/store';
import { makeCatalog, makePatient, makeSchedule } from '../booking/test-fixtures';
import { getSchedule, placesLeft } from '../catalog/schedule-store';
import { handler } from './handler';
import { getOrder as storedOrder, listRefunds } from './orders-store';
import { sweep } from './sweep';
import { admit, cashierToken, createOrder, family, getOrder, key, ownTable, pay, startPaymentsStack, topUp, until, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  // Own table: the sweep below drains booking's refund queue, which other test files fill.
  await ownTable('payments-refunds');
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

async function paidBill(channel: 'wechat' | 'alipay', unitPrice = 10_000) {
  const f = await family();
  const b = await call(handler, api.payments.createBill, {
    token: await cashierToken(), headers: { 'idempotency-key': key() },
    body: { idNumber: f.parentIdNumber, patientName: '张老汉', deptName: '药房', items: [{ name: '药品', quantity: 1, unitPrice }] },
  });
  const o = (await createOrder(f.token, { purpose: 'bill', refId: b.body.id, channel })).body.orderNo as string;
  await pay(stack, channel, o);
  await until(async () => (await getOrder(f.token, o)).body.result === 'succeeded');
  return { f, orderNo: o };
}

const refund = async (orderNo: string, amount: number, idem = key()) =>
  call(handler, api.payments.refund, { token: await cashierToken(), params: { orderNo }, body: { amount, reason: '退药' }, headers: { 'idempotency-key': idem } });

describe('refunds', () => {
  it.each(['wechat', 'alipay'] as const)('%s: partial then the rest; never beyond what was paid; the refund notification completes it', async (ch) => {
    const { f, orderNo } = await paidBill(ch);
    const first = await refund(orderNo, 3_000);
    expect(first.status, first.text).toBe(201);
    const beyond = await refund(orderNo, 7_001);
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.fields[0].path).toBe('body.amount');
    expect((await refund(orderNo, 7_000)).status).toBe(201);
    expect((await refund(orderNo, 1)).status).toBe(400);
    await until(async () => (await listRefunds(orderNo)).every((r) => r.status === 'succeeded'));
    const o = await getOrder(f.token, orderNo);
    expect(o.body.refunded).toBe(10_000);
    expect(o.body.refunds.map((r: { amount: number }) => r.amount)).toEqual([3_000, 7_000]);
    expect((await storedOrder(orderNo))?.refundable).toBe(0);
    // The provider agrees: exactly what was paid went back.
    const refunded = ch === 'wechat' ? stack.wechat.state.refunded(orderNo) : stack.alipay.state.refunded(orderNo);
    expect(refunded).toBe(10_000);
  });

  it('a retried refund (same Idempotency-Key) is the same refund, and concurrent different ones never exceed the payment', async () => {
    const { orderNo } = await paidBill('wechat', 5_000);
    const idem = key();
    await refund(orderNo, 2_000, idem);
    await refund(orderNo, 2_000, idem);
    expect(await listRefunds(orderNo)).toHaveLength(1);
    const racing = await Promise.all(Array.from({ length: 8 }, () => refund(orderNo, 1_000)));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(3);
    const all = await listRefunds(orderNo);
    expect(all.reduce((s, r) => s + r.amount, 0)).toBe(5_000);
    await until(async () => stack.wechat.state.refunded(orderNo) === 5_000);
  });

  it('deposits are refunded only through discharge settlement; unknown orders are 404', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const orderNo = await topUp(stack, f.token, id, 100_000);
    const r = await refund(orderNo, 100);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('USE_SETTLEMENT');
    expect((await refund('HP00000000000000000000', 1)).status).toBe(404);
  });
});

describe('appointment fees', () => {
  async function hold(fee = 3_000) {
    const s = await makeSchedule(await makeCatalog(), { capacity: 2, fee });
    const p = await makePatient();
    const token = await tokenFor(['patient'], p.userId);
    const r = await call(booking, api.booking.book, { body: { scheduleId: s.id, patientId: p.patientId }, token, headers: { 'idempotency-key': key() } });
    expect(r.body.status).toBe('pending_payment');
    return { s, token, userId: p.userId, appointmentId: r.body.id as string };
  }
  const left = async (scheduleId: string) => placesLeft((await getSchedule(scheduleId, true))!);

  it('a paid hold is confirmed, at the session’s fee; the order ends with the hold', async () => {
    const h = await hold(4_500);
    const o = await createOrder(h.token, { purpose: 'appointment', refId: h.appointmentId, channel: 'wechat' });
    expect(o.status, o.text).toBe(201);
    expect(o.body.amount).toBe(4_500);
    const a = await getAppointment(h.appointmentId);
    expect(Date.parse(o.body.expiresAt)).toBeLessThanOrEqual(Date.parse(a!.holdExpiresAt!));
    await pay(stack, 'wechat', o.body.orderNo);
    await until(async () => (await getOrder(h.token, o.body.orderNo)).body.result === 'succeeded');
    expect(await getAppointment(h.appointmentId)).toMatchObject({ status: 'confirmed', orderNo: o.body.orderNo });
    // Paying it again is refused.
    const again = await createOrder(h.token, { purpose: 'appointment', refId: h.appointmentId, channel: 'alipay' });
    expect(again.status).toBe(409);
  });

  it('a hold that expired while the payment went through: the payment is refunded, the place is not booked twice', async () => {
    const h = await hold();
    const o = (await createOrder(h.token, { purpose: 'appointment', refId: h.appointmentId, channel: 'alipay' })).body.orderNo as string;
    expect(await left(h.s.id)).toBe(1);
    // The hold-expiry job wins the race: the place goes back.
    expect(await expireHold(h.appointmentId, Date.now() + 11 * 60_000)).toBe(true);
    expect(await left(h.s.id)).toBe(2);
    await pay(stack, 'alipay', o);
    const g = await until(async () => {
      const r = await getOrder(h.token, o);
      return r.body.result === 'refunded' && r.body;
    });
    expect(g.resultMessage).toContain('退回');
    expect(g.refunds).toEqual([expect.objectContaining({ refundNo: `${o}-E`, amount: 3_000, status: 'succeeded' })]);
    await until(async () => (await getAppointment(h.appointmentId))?.refund === 'refunded');
    expect((await getAppointment(h.appointmentId))?.status).toBe('expired');
    expect(await left(h.s.id)).toBe(2);
  });

  it('a paid appointment cancelled in time is refunded from booking’s queue by the sweep', async () => {
    const h = await hold(2_000);
    const o = (await createOrder(h.token, { purpose: 'appointment', refId: h.appointmentId, channel: 'wechat' })).body.orderNo as string;
    await pay(stack, 'wechat', o);
    await until(async () => (await getAppointment(h.appointmentId))?.status === 'confirmed');
    const c = await call(booking, api.booking.cancel, { token: h.token, params: { appointmentId: h.appointmentId }, body: {}, headers: { 'idempotency-key': key() } });
    expect(c.status, c.text).toBe(200);
    const counts = await sweep();
    expect(counts.appointmentRefunds).toBe(1);
    await until(async () => (await getAppointment(h.appointmentId))?.refund === 'refunded');
    expect(await listRefunds(o)).toEqual([expect.objectContaining({ refundNo: `${o}-C`, amount: 2_000, status: 'succeeded', kind: 'appointment' })]);
    // The queue is drained: a second sweep refunds nothing more.
    expect((await sweep()).appointmentRefunds).toBe(0);
  });
});
