/**
 * Inpatient deposits: balance == sum(ledger) after every scenario, top-ups racing a settlement,
 * refunds over several deposits that add up exactly, the shortfall, the low-balance reminder.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '@hospital/shared';
import * as realtime from '#lib/realtime';
import { call } from '#test/http';
import * as admissions from './admissions-store';
import { handler } from './handler';
import { getOrder as storedOrder, listRefunds } from './orders-store';
import {
  admit, cashierToken, charge, createOrder, expectLedgerInvariant, family, getOrder, key, nurseToken, pay, startPaymentsStack, topUp, until, type Stack,
} from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

async function settle(admissionId: string, charges: unknown[] = [], token?: string) {
  return call(handler, api.payments.settle, { token: token ?? (await cashierToken()), params: { admissionId }, body: { charges }, headers: { 'idempotency-key': key() } });
}

describe('the family’s view of an admission', () => {
  it('lists the relative’s admission with ward, bed, balance and presets; only for people on the account', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber, { minDeposit: 50_000, maxDeposit: 2_000_000, lowBalanceThreshold: 100_000 });
    const mine = await call(handler, api.payments.myAdmissions, { token: f.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        id, patientId: f.parentId, ward: '心内科病区', bed: '12', status: 'active', balance: 0, totalDeposited: 0, lowBalance: true,
        deposit: { min: 50_000, max: 2_000_000, presets: [100_000, 200_000, 500_000, 1_000_000], open: true },
      }),
    ]);
    expect(mine.body.items[0].ledger).toBeUndefined();
    expect(JSON.stringify(mine.body)).not.toContain(f.parentIdNumber);
    const other = await family();
    expect((await call(handler, api.payments.admission, { token: other.token, params: { admissionId: id } })).status).toBe(404);
    expect((await call(handler, api.payments.myAdmissions, { token: other.token })).body.items).toEqual([]);
    // A stranger cannot pay into it either.
    const o = await createOrder(other.token, { purpose: 'deposit', refId: id, channel: 'wechat', amount: 100_000 });
    expect(o.status).toBe(404);
  });

  it('a top-up outside the admission’s limits is a 400 on body.amount; inside it is paid and counted', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber, { minDeposit: 50_000, maxDeposit: 500_000 });
    for (const amount of [49_999, 500_001]) {
      const r = await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'wechat', amount });
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].path).toBe('body.amount');
    }
    const missing = await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'wechat' });
    expect(missing.body.error.fields[0].path).toBe('body.amount');
    await topUp(stack, f.token, id, 300_000);
    const v = await call(handler, api.payments.admission, { token: f.token, params: { admissionId: id } });
    expect(v.body).toMatchObject({ balance: 300_000, totalDeposited: 300_000, patientId: f.parentId });
    expect(v.body.ledger).toEqual([expect.objectContaining({ seq: 1, type: 'deposit', amount: 300_000, balanceAfter: 300_000, channel: 'wechat' })]);
    await expectLedgerInvariant(id);
  });
});

describe('charges and the low-balance reminder', () => {
  it('daily charges lower the balance; crossing the threshold reminds the family once', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber, { lowBalanceThreshold: 100_000 });
    await call(handler, api.payments.myAdmissions, { token: f.token }); // the family follows it
    await topUp(stack, f.token, id, 300_000);
    const sent = vi.spyOn(realtime, 'publish');
    await charge(id, 150_000);
    expect(sent.mock.calls.filter((c) => c[1].type === 'admission.low_balance')).toHaveLength(0);
    await charge(id, 100_000); // 50,000 left: under the line
    await charge(id, 10_000); // still under: no second reminder
    const reminders = sent.mock.calls.filter((c) => c[1].type === 'admission.low_balance');
    expect(reminders).toHaveLength(1);
    expect(reminders[0][0]).toEqual([realtime.userTopic(f.userId)]);
    sent.mockRestore();
    const { admission } = await expectLedgerInvariant(id);
    expect(admission).toMatchObject({ balance: 40_000, totalCharged: 260_000, lowNotified: true });
    // A top-up above the line re-arms it.
    await topUp(stack, f.token, id, 200_000);
    expect((await admissions.getAdmission(id))?.lowNotified).toBe(false);
    await expectLedgerInvariant(id);
  });

  it('a re-sent charge is counted once; a cashier or nurse can post charges too', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const first = await charge(id, 12_345, 'C-same-1');
    const again = await charge(id, 12_345, 'C-same-1');
    expect(first).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    const r = await call(handler, api.payments.postCharges, {
      token: await nurseToken(), params: { admissionId: id }, headers: { 'idempotency-key': key() },
      body: { charges: [{ description: '静脉输液', amount: 3_000 }, { description: '换药', amount: 2_000, date: '2025-06-03' }] },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.balance).toBe(-17_345);
    await expectLedgerInvariant(id);
    // Another hospital's staff cannot.
    const elsewhere = await call(handler, api.payments.postCharges, {
      token: await cashierToken('org-other'), params: { admissionId: id }, headers: { 'idempotency-key': key() }, body: { charges: [{ description: 'x', amount: 1 }] },
    });
    expect(elsewhere.status).toBe(404);
  });
});

describe('discharge settlement', () => {
  it('refunds the balance across several deposits, newest first, adding up exactly', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const d1 = await topUp(stack, f.token, id, 500_000, 'wechat');
    const d2 = await topUp(stack, f.token, id, 200_000, 'alipay');
    const d3 = await topUp(stack, f.token, id, 100_000, 'wechat');
    await charge(id, 520_000);
    // 280,000 left: d3 (newest) 100,000 in full, d2 200,000 → 180,000 of it; d1 untouched.
    const r = await settle(id, [{ chargeId: 'FINAL-1', description: '出院带药', amount: 0 + 1_000 }]);
    expect(r.status, r.text).toBe(200);
    expect(['settled', 'refunding']).toContain(r.body.outcome);
    const refunds = r.body.refunds.map((x: { orderNo: string; amount: number }) => [x.orderNo, x.amount]);
    expect(refunds).toEqual([[d3, 100_000], [d2, 179_000]]);
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(admission).toMatchObject({ status: 'settled', balance: 0, totalRefunded: 279_000 });
    expect(entries.filter((e) => e.type === 'refund').reduce((s, e) => s - e.amount, 0)).toBe(279_000);
    // Never beyond what each deposit paid.
    expect((await storedOrder(d3))?.refundable).toBe(0);
    expect((await storedOrder(d2))?.refundable).toBe(21_000);
    expect((await storedOrder(d1))?.refundable).toBe(500_000);
    // The refunds reach the family: WeChat's REFUND.SUCCESS notification, Alipay at once.
    await until(async () => (await listRefunds(d3))[0]?.status === 'succeeded');
    expect((await listRefunds(d2))[0]).toMatchObject({ status: 'succeeded', amount: 179_000 });
    const view = await call(handler, api.payments.admission, { token: f.token, params: { admissionId: id } });
    expect(view.body.settlement.refunds.every((x: { status: string }) => x.status === 'succeeded')).toBe(true);
    // Settling again changes nothing.
    const again = await settle(id);
    expect(again.body.outcome).toBe('settled');
    await expectLedgerInvariant(id);
    expect((await admissions.getAdmission(id))?.totalRefunded).toBe(279_000);
    // No more top-ups once settling started.
    const late = await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'wechat', amount: 100_000 });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('DEPOSIT_CLOSED');
  });

  it('charges beyond the deposits: the family pays exactly the shortfall, which settles it', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    await topUp(stack, f.token, id, 100_000);
    const r = await settle(id, [{ chargeId: 'F1', description: '手术费', amount: 130_000 }], await nurseToken());
    expect(r.body).toMatchObject({ outcome: 'awaiting_payment', shortfall: 30_000 });
    expect(r.body.admission.deposit).toMatchObject({ open: true, presets: [30_000] });
    const wrong = await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'alipay', amount: 20_000 });
    expect(wrong.status).toBe(400);
    const o = await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'alipay' });
    expect(o.body.amount).toBe(30_000);
    await pay(stack, 'alipay', o.body.orderNo);
    await until(async () => (await admissions.getAdmission(id))?.status === 'settled');
    const { admission } = await expectLedgerInvariant(id);
    expect(admission.balance).toBe(0);
  });

  it('top-ups racing a settlement keep balance == sum(ledger), and the settlement accounts for them', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    await topUp(stack, f.token, id, 100_000);
    // Three top-ups created before the cashier presses 结算; two get paid while it runs.
    const pending = [];
    for (const amount of [20_000, 30_000, 40_000]) pending.push((await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'wechat', amount })).body.orderNo as string);
    const [result] = await Promise.all([
      settle(id, [{ chargeId: 'F1', description: '出院结算费用', amount: 50_000 }]),
      pay(stack, 'wechat', pending[0]),
      pay(stack, 'wechat', pending[1]),
      charge(id, 5_000),
    ]);
    expect(result.status, result.text).toBe(200);
    // Whatever interleaving happened: every order is final, paid money is counted once, the rest refunded.
    let final = await admissions.getAdmission(id);
    for (let i = 0; i < 20 && final?.status !== 'settled'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await settle(id);
      final = await admissions.getAdmission(id);
    }
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(admission.status).toBe('settled');
    expect(admission.balance).toBe(0);
    const paid = [];
    for (const no of pending) {
      const o = await storedOrder(no);
      expect(['paid', 'closed']).toContain(o?.status);
      if (o?.status === 'paid') paid.push(o);
    }
    // The third was never paid: closed at the provider, so it can no longer be.
    expect((await storedOrder(pending[2]))?.status).toBe('closed');
    const deposits = entries.filter((e) => e.type === 'deposit');
    expect(deposits).toHaveLength(1 + paid.filter((o) => o.effect === 'applied').length);
    const refunded = entries.filter((e) => e.type === 'refund').reduce((s, e) => s - e.amount, 0);
    expect(refunded).toBe(admission.totalDeposited - 55_000);
    expect(admission.pendingOrders?.size ?? 0).toBe(0);
  });

  it('a top-up paid but never notified is found by the settlement’s query and refunded with the rest', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    await topUp(stack, f.token, id, 100_000);
    const o = (await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'wechat', amount: 10_000 })).body.orderNo as string;
    stack.wechat.setDropNotifications(true);
    await pay(stack, 'wechat', o, false);
    stack.wechat.setDropNotifications(false);
    // The settlement asks the provider: the payment is found and counted before the refund is split.
    const r = await settle(id);
    expect(r.body.refunds.reduce((s: number, x: { amount: number }) => s + x.amount, 0)).toBe(110_000);
    await expectLedgerInvariant(id);
    expect((await getOrder(f.token, o)).body.status).toBe('paid');
  });

  it('only cashiers and nurses settle; a patient cannot', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const r = await call(handler, api.payments.settle, { token: f.token, params: { admissionId: id }, body: {}, headers: { 'idempotency-key': key() } });
    expect(r.status).toBe(403);
  });
});
