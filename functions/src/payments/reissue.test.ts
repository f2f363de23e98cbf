/**
 * 退款异常: a refund the provider refuses lands on the cashier's worklist (money back on the order
 * or the admission's balance, in the same write), and is re-issued once under a new number —
 * never beyond what is refundable, never twice, with balance == sum(ledger) for deposits.
 *
 * The sandboxes refuse a refund as the real providers do when there is no money left to refund
 * (WeChat NOT_ENOUGH, Alipay ACQ.REFUND_AMT_NOT_EQUAL_TOTAL): `block` files a refund of the
 * whole order at the sandbox behind our back; `unblock` removes it ("the cashier sorted it out").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type PaymentChannel } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler as booking } from '../booking/handler';
import { getAppointment } from '../booking/store';
import { makeCatalog, makePatient, makeSchedule } from '../booking/test-fixtures';
import * as admissions from './admissions-store';
import { handler } from './handler';
import { getOrder as storedOrder, getRefund, listRefunds, orderNoOfRefund } from './orders-store';
import { reissueNoOf } from './reissue';
import { sweep } from './sweep';
import {
  admit, cashierToken, charge, createOrder, expectLedgerInvariant, family, getOrder, key, ownTable, pay, startPaymentsStack, topUp, until, type Stack,
} from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  // Own table: the worklist is one index partition per table, and the sweep drains booking's queue.
  await ownTable('payments-reissue');
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

/** The provider will refuse every refund of this order until `unblock()`. */
function block(ch: PaymentChannel, orderNo: string, amount: number): () => void {
  if (ch === 'wechat') {
    const no = `BLOCK-${orderNo}`;
    stack.wechat.state.refunds.set(no, { refundId: 'blocked', outRefundNo: no, outTradeNo: orderNo, refundFen: amount, notifyUrl: '', status: 'PROCESSING', createdAt: new Date() });
    return () => void stack.wechat.state.refunds.delete(no);
  }
  const k = `${orderNo}\nBLOCK`;
  stack.alipay.state.refunds.set(k, { outRequestNo: 'BLOCK', outTradeNo: orderNo, refundFen: amount, at: new Date() });
  return () => void stack.alipay.state.refunds.delete(k);
}
const providerRefunded = (ch: PaymentChannel, orderNo: string) => (ch === 'wechat' ? stack.wechat.state.refunded(orderNo) : stack.alipay.state.refunded(orderNo));

async function paidBill(ch: PaymentChannel, unitPrice = 10_000) {
  const f = await family();
  const b = await call(handler, api.payments.createBill, {
    token: await cashierToken(), headers: { 'idempotency-key': key() },
    body: { idNumber: f.parentIdNumber, patientName: '张老汉', deptName: '药房', items: [{ name: '药品', quantity: 1, unitPrice }] },
  });
  const o = (await createOrder(f.token, { purpose: 'bill', refId: b.body.id, channel: ch })).body.orderNo as string;
  await pay(stack, ch, o);
  await until(async () => (await getOrder(f.token, o)).body.result === 'succeeded');
  return { f, orderNo: o };
}

const staffRefund = async (orderNo: string, amount: number) =>
  call(handler, api.payments.refund, { token: await cashierToken(), params: { orderNo }, body: { amount, reason: '退药' }, headers: { 'idempotency-key': key() } });
const worklist = async (token?: string) => call(handler, api.payments.failedRefunds, { token: token ?? (await cashierToken()) });
const reissue = async (refundNo: string, o: { token?: string; body?: Record<string, unknown>; idem?: string } = {}) =>
  call(handler, api.payments.reissueRefund, { token: o.token ?? (await cashierToken()), params: { refundNo }, body: o.body ?? {}, headers: { 'idempotency-key': o.idem ?? key() } });
const listed = async (refundNo: string, token?: string) => (await worklist(token)).body.items.find((i: { refundNo: string }) => i.refundNo === refundNo);

/** A bill paid and a staff refund of `amount` the provider refused; the failed refund's number. */
async function refusedRefund(ch: PaymentChannel, amount = 4_000, total = 10_000) {
  const { orderNo } = await paidBill(ch, total);
  const unblock = block(ch, orderNo, total);
  const r = await staffRefund(orderNo, amount);
  expect(r.status, r.text).toBe(201);
  const [failed] = await listRefunds(orderNo);
  expect(failed).toMatchObject({ status: 'failed', amount });
  return { orderNo, refundNo: failed.refundNo, unblock };
}

describe('the 退款异常 worklist', () => {
  it('a refused refund is listed (amount back on the order) until re-issued', async () => {
    const { orderNo, refundNo, unblock } = await refusedRefund('wechat');
    expect((await storedOrder(orderNo))?.refundable).toBe(10_000);
    const w = await worklist();
    expect(w.status, w.text).toBe(200);
    const item = w.body.items.find((i: { refundNo: string }) => i.refundNo === refundNo);
    expect(item).toMatchObject({ orderNo, purpose: 'bill', channel: 'wechat', amount: 4_000, reason: '退药', kind: 'staff', patientName: '张老汉' });
    expect(Date.parse(item.failedAt)).toBeGreaterThanOrEqual(Date.parse(item.createdAt));
    expect(item.admissionId).toBeUndefined();
    // Oldest first.
    const created = w.body.items.map((i: { createdAt: string }) => i.createdAt);
    expect(created).toEqual([...created].sort());
    unblock();
  });

  it('staff only: a patient gets 403 on both routes', async () => {
    const patient = await tokenFor(['patient']);
    expect((await worklist(patient)).status).toBe(403);
    expect((await reissue('HP00000000000000000000-MX', { token: patient })).status).toBe(403);
    expect((await worklist(await tokenFor(['admin'], 'u-admin', 'org-city-hospital'))).status).toBe(200);
  });

  it('unknown or malformed refunds are 404; a refund that did not fail is 409 NOT_FAILED', async () => {
    expect((await reissue('HP00000000000000000000-MX')).status).toBe(404);
    expect((await reissue('nonsense')).status).toBe(404);
    const { orderNo } = await paidBill('alipay', 2_000);
    expect((await staffRefund(orderNo, 500)).status).toBe(201);
    const [ok] = await listRefunds(orderNo);
    const r = await reissue(ok.refundNo);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('NOT_FAILED');
    expect(await listRefunds(orderNo)).toHaveLength(1);
  });
});

describe('re-issuing a failed refund', () => {
  it.each(['wechat', 'alipay'] as const)('%s: a new refund of the same amount succeeds; the failed one records it and leaves the list; only once', async (ch) => {
    const { orderNo, refundNo, unblock } = await refusedRefund(ch);
    unblock();
    const r = await reissue(refundNo, { body: { reason: '患者银行卡已恢复，重新退款' } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ refundNo: `${refundNo}-R1`, reissueOf: refundNo, orderNo, channel: ch, amount: 4_000 });
    await until(async () => (await getRefund(orderNo, `${refundNo}-R1`))?.status === 'succeeded');
    expect(await getRefund(orderNo, refundNo)).toMatchObject({ status: 'failed', reissuedAs: `${refundNo}-R1` });
    expect(await listed(refundNo)).toBeUndefined();
    expect((await storedOrder(orderNo))?.refundable).toBe(6_000);
    await until(async () => providerRefunded(ch, orderNo) === 4_000);
    const again = await reissue(refundNo);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_FAILED');
    expect(await listRefunds(orderNo)).toHaveLength(2);
  });

  it('concurrent re-issues of one failed refund: exactly one new refund, the others 409', async () => {
    const { orderNo, refundNo, unblock } = await refusedRefund('wechat', 3_000);
    unblock();
    const racing = await Promise.all(Array.from({ length: 5 }, () => reissue(refundNo)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of racing.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('NOT_FAILED');
    const all = await listRefunds(orderNo);
    expect(all.map((r) => r.refundNo).sort()).toEqual([refundNo, `${refundNo}-R1`]);
    expect((await storedOrder(orderNo))?.refundable).toBe(7_000);
    await until(async () => providerRefunded('wechat', orderNo) === 3_000);
    // The same cashier's request retried (same Idempotency-Key) is the same answer, not a second refund.
    const idem = key();
    const { orderNo: o2, refundNo: r2, unblock: u2 } = await refusedRefund('alipay', 1_000, 2_000);
    u2();
    const cashier = await cashierToken();
    const first = await reissue(r2, { idem, token: cashier });
    const retry = await reissue(r2, { idem, token: cashier });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.refundNo).toBe(first.body.refundNo);
    expect(await listRefunds(o2)).toHaveLength(2);
  });

  it('cannot exceed what is left to refund: 409 NOT_REFUNDABLE, the failed refund stays listed', async () => {
    const { orderNo, refundNo, unblock } = await refusedRefund('wechat', 10_000);
    unblock();
    // Meanwhile the cashier refunded part of the order another way.
    expect((await staffRefund(orderNo, 3_000)).status).toBe(201);
    const r = await reissue(refundNo);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('NOT_REFUNDABLE');
    expect(await listed(refundNo)).toBeDefined();
    expect((await getRefund(orderNo, refundNo))?.reissuedAs).toBeUndefined();
    expect((await storedOrder(orderNo))?.refundable).toBe(7_000);
    expect(await listRefunds(orderNo)).toHaveLength(2);
  });

  it('a re-issued refund that fails again is listed in its turn and re-issued as -R2', async () => {
    const { orderNo, refundNo, unblock } = await refusedRefund('alipay', 2_000);
    const r1 = await reissue(refundNo); // still blocked: refused again
    expect(r1.status, r1.text).toBe(201);
    expect(r1.body.status).toBe('failed');
    expect(await listed(refundNo)).toBeUndefined();
    expect(await listed(`${refundNo}-R1`)).toBeDefined();
    expect((await storedOrder(orderNo))?.refundable).toBe(10_000);
    unblock();
    const r2 = await reissue(`${refundNo}-R1`);
    expect(r2.status, r2.text).toBe(201);
    expect(r2.body.refundNo).toBe(`${refundNo}-R2`);
    expect(reissueNoOf(`${refundNo}-R2`)).toBe(`${refundNo}-R3`);
    expect(orderNoOfRefund(r2.body.refundNo)).toBe(orderNo);
    await until(async () => (await getRefund(orderNo, `${refundNo}-R2`))?.status === 'succeeded');
    expect(providerRefunded('alipay', orderNo)).toBe(2_000);
  });

  it('an appointment refund: only cashiers of its hospital see and re-issue it; the appointment ends refunded', async () => {
    const cat = await makeCatalog();
    const s = await makeSchedule(cat, { capacity: 2, fee: 2_500 });
    const p = await makePatient();
    const token = await tokenFor(['patient'], p.userId);
    const b = await call(booking, api.booking.book, { body: { scheduleId: s.id, patientId: p.patientId }, token, headers: { 'idempotency-key': key() } });
    const o = (await createOrder(token, { purpose: 'appointment', refId: b.body.id, channel: 'wechat' })).body.orderNo as string;
    await pay(stack, 'wechat', o);
    await until(async () => (await getAppointment(b.body.id))?.status === 'confirmed');
    const unblock = block('wechat', o, 2_500);
    const c = await call(booking, api.booking.cancel, { token, params: { appointmentId: b.body.id }, body: {}, headers: { 'idempotency-key': key() } });
    expect(c.status, c.text).toBe(200);
    await sweep();
    expect(await getRefund(o, `${o}-C`)).toMatchObject({ status: 'failed' });
    const ours = await cashierToken(cat.orgId);
    expect(await listed(`${o}-C`, ours)).toMatchObject({ purpose: 'appointment', kind: 'appointment', amount: 2_500, patientName: '张建国' });
    // Another hospital's cashier neither sees it nor can send it (404: refund numbers cannot be probed).
    expect(await listed(`${o}-C`)).toBeUndefined();
    expect((await reissue(`${o}-C`)).status).toBe(404);
    unblock();
    const r = await reissue(`${o}-C`, { token: ours });
    expect(r.status, r.text).toBe(201);
    await until(async () => (await getAppointment(b.body.id))?.refund === 'refunded');
    expect(await getRefund(o, `${o}-C-R1`)).toMatchObject({ status: 'succeeded', kind: 'appointment' });
  });
});

describe('a failed deposit refund (discharge settlement)', () => {
  it('the reversal puts it on the list; re-issue takes the balance back down through the ledger, once', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const dep = await topUp(stack, f.token, id, 100_000);
    await charge(id, 30_000);
    const unblock = block('wechat', dep, 100_000);
    const s = await call(handler, api.payments.settle, { token: await cashierToken(), params: { admissionId: id }, body: { charges: [] }, headers: { 'idempotency-key': key() } });
    expect(s.status, s.text).toBe(200);
    const [failed] = await listRefunds(dep);
    expect(failed).toMatchObject({ status: 'failed', amount: 70_000, admissionId: id });
    let { admission } = await expectLedgerInvariant(id);
    expect(admission).toMatchObject({ status: 'settled', balance: 70_000 });
    expect(await listed(failed.refundNo)).toMatchObject({ admissionId: id, purpose: 'deposit', kind: 'settlement', amount: 70_000, patientName: '张老汉' });

    unblock();
    const racing = await Promise.all([reissue(failed.refundNo), reissue(failed.refundNo)]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    const ok = racing.find((r) => r.status === 201)!;
    expect(ok.body).toMatchObject({ refundNo: `${failed.refundNo}-R1`, admissionId: id, amount: 70_000 });
    expect(racing.find((r) => r.status === 409)!.body.error.code).toBe('NOT_FAILED');
    await until(async () => (await getRefund(dep, `${failed.refundNo}-R1`))?.status === 'succeeded');

    const after = await expectLedgerInvariant(id);
    admission = after.admission;
    expect(admission).toMatchObject({ status: 'settled', balance: 0, totalRefunded: 70_000 });
    expect(after.entries.map((e) => [e.type, e.amount])).toEqual([
      ['deposit', 100_000], ['charge', -30_000], ['refund', -70_000], ['refund_reversal', 70_000], ['refund', -70_000],
    ]);
    expect(await getRefund(dep, failed.refundNo)).toMatchObject({ reissuedAs: `${failed.refundNo}-R1` });
    expect(await listed(failed.refundNo)).toBeUndefined();
    expect((await storedOrder(dep))?.refundable).toBe(30_000);
    await until(async () => stack.wechat.state.refunded(dep) === 70_000);
    const view = await call(handler, api.payments.admission, { token: await cashierToken(), params: { admissionId: id } });
    expect(view.body.settlement.refunds.map((r: { status: string }) => r.status)).toEqual(['failed', 'succeeded']);
  });

  it('a balance taken by charges posted after the failure: 409 REISSUE_VIA_SETTLEMENT, nothing written', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const dep = await topUp(stack, f.token, id, 50_000, 'alipay');
    const unblock = block('alipay', dep, 50_000);
    const s = await call(handler, api.payments.settle, { token: await cashierToken(), params: { admissionId: id }, body: { charges: [{ chargeId: 'F1', description: '出院带药', amount: 10_000 }] }, headers: { 'idempotency-key': key() } });
    expect(s.status, s.text).toBe(200);
    const [failed] = await listRefunds(dep);
    expect(failed.status).toBe('failed');
    unblock();
    // The account no longer holds the whole amount (a late charge straight on the ledger).
    await admissions.append(id, { entries: [{ entryId: 'CHG#late#1', type: 'charge', amount: -5_000, at: new Date().toISOString(), description: '住院费用' }], allowed: ['settled'] });
    const before = await expectLedgerInvariant(id);
    const r = await reissue(failed.refundNo);
    expect(r.status, r.text).toBe(409);
    expect(r.body.error.code).toBe('REISSUE_VIA_SETTLEMENT');
    expect(r.body.error.message).toMatch(/出院结算/);
    const after = await expectLedgerInvariant(id);
    expect(after.entries).toHaveLength(before.entries.length);
    expect(await listRefunds(dep)).toHaveLength(1);
    expect(await listed(failed.refundNo)).toBeDefined();
  });
});
