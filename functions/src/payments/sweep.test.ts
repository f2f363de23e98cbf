/** Lost notifications and expiry: the sweep settles or closes pending orders by active query. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import * as admissions from './admissions-store';
import { getBill } from './bills-store';
import { handler } from './handler';
import { getOrder as storedOrder } from './orders-store';
import { sweep } from './sweep';
import { admit, cashierToken, ownTable, createOrder, expectLedgerInvariant, family, getOrder, key, pay, startPaymentsStack, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  await ownTable('payments-sweep');
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

const MIN = 60_000;

async function bill(idNo: string, unitPrice: number) {
  const r = await call(handler, api.payments.createBill, {
    token: await cashierToken(), headers: { 'idempotency-key': key() },
    body: { idNumber: idNo, patientName: '张老汉', deptName: '内科', items: [{ name: '诊查费', quantity: 1, unitPrice }] },
  });
  return r.body.id as string;
}

describe('the payments sweep', () => {
  it('a payment whose notification was lost is credited by the active query', async () => {
    const f = await family();
    const b = await bill(f.parentIdNumber, 3_000);
    const o = (await createOrder(f.token, { purpose: 'bill', refId: b, channel: 'wechat' })).body.orderNo as string;
    await pay(stack, 'wechat', o, false); // paid at WeChat, no notification
    // Too fresh for the sweep: left to its notification.
    await sweep(Date.now());
    expect((await storedOrder(o))?.status).toBe('pending');
    const counts = await sweep(Date.now() + 3 * MIN);
    expect(counts.paid).toBeGreaterThanOrEqual(1);
    expect(await storedOrder(o)).toMatchObject({ status: 'paid', effect: 'applied' });
    expect(await getBill(b)).toMatchObject({ status: 'paid', orderNo: o });
  });

  it('the same for Alipay, and for a deposit: counted once on the ledger', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const o = (await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'alipay', amount: 66_600 })).body.orderNo as string;
    await pay(stack, 'alipay', o, false);
    await sweep(Date.now() + 3 * MIN);
    await sweep(Date.now() + 4 * MIN);
    const { admission, entries } = await expectLedgerInvariant(id);
    expect(admission.balance).toBe(66_600);
    expect(entries).toHaveLength(1);
  });

  it('an unpaid order past expiry is closed at the provider and here; its deposit reservation is released', async () => {
    const f = await family();
    const id = await admit(f.parentIdNumber);
    const o = (await createOrder(f.token, { purpose: 'deposit', refId: id, channel: 'wechat', amount: 100_000 })).body.orderNo as string;
    expect((await admissions.getAdmission(id))?.pendingOrders?.has(o)).toBe(true);
    // Still in time: left alone.
    await sweep(Date.now() + 3 * MIN);
    expect((await storedOrder(o))?.status).toBe('pending');
    await sweep(Date.now() + 17 * MIN);
    expect((await storedOrder(o))?.status).toBe('closed');
    expect(stack.wechat.state.orders.get(o)?.state).toBe('CLOSED');
    expect((await admissions.getAdmission(id))?.pendingOrders?.size ?? 0).toBe(0);
    expect((await getOrder(f.token, o)).body).toMatchObject({ result: 'closed', final: true });
    // Paying a closed order is impossible at the provider.
    const res = await fetch(`${stack.wechat.url}/sandbox/pay`, { method: 'POST', body: JSON.stringify({ out_trade_no: o }) });
    expect(res.status).toBe(409);
  });

  it('the result page’s polling asks the provider itself (throttled) when the notification is late', async () => {
    const f = await family();
    const b = await bill(f.parentIdNumber, 1_000);
    const o = (await createOrder(f.token, { purpose: 'bill', refId: b, channel: 'alipay' })).body.orderNo as string;
    await pay(stack, 'alipay', o, false);
    await new Promise((r) => setTimeout(r, 3_100));
    const g = await getOrder(f.token, o);
    expect(g.body).toMatchObject({ status: 'paid', result: 'succeeded' });
  });
});
