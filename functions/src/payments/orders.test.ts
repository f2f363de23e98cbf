import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { getBill } from './bills-store';
import { handler } from './handler';
import { cashierToken, createOrder, family, getOrder, his, idNumber, pay, startPaymentsStack, until, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

async function billFor(idNo: string, lines: { name: string; quantity: number; unitPrice: number }[]) {
  const r = await call(handler, api.payments.createBill, {
    token: await cashierToken(),
    body: { idNumber: idNo, patientName: '张老汉', deptName: '心血管内科', doctorName: '李明华', items: lines },
    headers: { 'idempotency-key': `bill-${Math.random()}` },
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
}

describe('outpatient bills (门诊缴费)', () => {
  it('a cashier’s bill is priced from its lines; the family sees it per person with its lines', async () => {
    const f = await family();
    const b = await billFor(f.parentIdNumber, [{ name: '血常规', quantity: 1, unitPrice: 2500 }, { name: '阿司匹林肠溶片', quantity: 2.5, unitPrice: 1333 }]);
    expect(b.total).toBe(2500 + 3333);
    const mine = await call(handler, api.payments.myBills, { token: f.token, query: { patientId: f.parentId } });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expect(mine.body.items[0].items).toHaveLength(2);
    expect(mine.body.unpaidTotal).toBe(5833);
    // The ID number never comes back.
    expect(JSON.stringify(mine.body)).not.toContain(f.parentIdNumber);
    const self = await call(handler, api.payments.myBills, { token: f.token, query: { patientId: f.selfId } });
    expect(self.body.items).toEqual([]);
  });

  it('paying two bills at once: the server’s amount, credited by the verified notification', async () => {
    const f = await family();
    const b1 = await billFor(f.parentIdNumber, [{ name: '心电图', quantity: 1, unitPrice: 4000 }]);
    const b2 = await billFor(f.parentIdNumber, [{ name: '挂号诊查费', quantity: 1, unitPrice: 1200 }]);
    const o = await createOrder(f.token, { purpose: 'bill', refIds: [b1.id, b2.id], channel: 'wechat' });
    expect(o.status, o.text).toBe(201);
    expect(o.body).toMatchObject({ amount: 5200, status: 'pending', result: 'pending', final: false, patientId: f.parentId });
    expect(o.body.pay.requestPayment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
    expect(o.body.pay.checkoutUrl).toContain('/checkout?prepay_id=');
    // The client saying "paid" changes nothing: only the provider can.
    expect((await getOrder(f.token, o.body.orderNo)).body.status).toBe('pending');
    await pay(stack, 'wechat', o.body.orderNo);
    const done = await until(async () => {
      const g = await getOrder(f.token, o.body.orderNo);
      return g.body.result === 'succeeded' && g.body;
    });
    expect(done).toMatchObject({ status: 'paid', final: true, resultMessage: '支付成功' });
    expect(done.pay).toBeUndefined();
    for (const id of [b1.id, b2.id]) expect(await getBill(id)).toMatchObject({ status: 'paid', orderNo: o.body.orderNo });

    // The bills' hospital's cashier sees the order; another hospital's cashier gets 404 and cannot refund it.
    expect((await call(handler, api.payments.get, { token: await cashierToken(), params: { orderNo: o.body.orderNo } })).status).toBe(200);
    const elsewhere = await cashierToken('org-caiyuan-community');
    expect((await call(handler, api.payments.get, { token: elsewhere, params: { orderNo: o.body.orderNo } })).status).toBe(404);
    const refund = await call(handler, api.payments.refund, {
      token: elsewhere, params: { orderNo: o.body.orderNo }, body: { amount: 100, reason: '退药' }, headers: { 'idempotency-key': `r-${Math.random()}` },
    });
    expect(refund.status).toBe(404);
  });

  it('Alipay: my.tradePay gets a tradeNO; the RSA2 notification credits the order', async () => {
    const f = await family();
    const b = await billFor(f.parentIdNumber, [{ name: '胸部CT', quantity: 1, unitPrice: 28000 }]);
    const o = await createOrder(f.token, { purpose: 'bill', refId: b.id, channel: 'alipay' });
    expect(o.status, o.text).toBe(201);
    expect(o.body.pay.tradeNO).toMatch(/^\d{20,}$/);
    await pay(stack, 'alipay', o.body.orderNo);
    await until(async () => (await getOrder(f.token, o.body.orderNo)).body.result === 'succeeded');
    expect(await getBill(b.id)).toMatchObject({ status: 'paid' });
  });

  it('someone else’s bill reads as missing; a paid bill cannot be paid again', async () => {
    const f = await family();
    const other = await family();
    const b = await billFor(f.parentIdNumber, [{ name: '尿常规', quantity: 1, unitPrice: 1500 }]);
    const stranger = await createOrder(other.token, { purpose: 'bill', refId: b.id, channel: 'wechat' });
    expect(stranger.status).toBe(404);
    const o = await createOrder(f.token, { purpose: 'bill', refId: b.id, channel: 'wechat' });
    await pay(stack, 'wechat', o.body.orderNo);
    await until(async () => (await getOrder(f.token, o.body.orderNo)).body.result === 'succeeded');
    const again = await createOrder(f.token, { purpose: 'bill', refId: b.id, channel: 'alipay' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_PAID');
    // And another user cannot read the order.
    expect((await getOrder(other.token, o.body.orderNo)).status).toBe(404);
  });

  it('two orders for one bill both paid: the second payment is refunded in full, never credited twice', async () => {
    const f = await family();
    const b = await billFor(f.parentIdNumber, [{ name: '血糖', quantity: 1, unitPrice: 800 }]);
    const first = await createOrder(f.token, { purpose: 'bill', refId: b.id, channel: 'wechat' });
    const second = await createOrder(f.token, { purpose: 'bill', refId: b.id, channel: 'alipay' });
    await pay(stack, 'wechat', first.body.orderNo);
    await until(async () => (await getOrder(f.token, first.body.orderNo)).body.result === 'succeeded');
    await pay(stack, 'alipay', second.body.orderNo);
    const r = await until(async () => {
      const g = await getOrder(f.token, second.body.orderNo);
      return g.body.result === 'refunded' && g.body;
    });
    expect(r.refunds).toEqual([expect.objectContaining({ amount: 800, status: 'succeeded', refundNo: `${second.body.orderNo}-E` })]);
    expect(await getBill(b.id)).toMatchObject({ status: 'paid', orderNo: first.body.orderNo });
  });
});

describe('creating orders: bad input is a 400 naming the field', () => {
  it.each([
    [{ purpose: 'bill', channel: 'wechat' }, 'body.refIds'],
    [{ purpose: 'bill', refId: 'b1', channel: 'wechat', amount: 100 }, 'body.amount'],
    [{ purpose: 'deposit', channel: 'wechat', amount: 100 }, 'body.refId'],
    [{ purpose: 'deposit', refId: 'x', channel: 'paypal' }, 'body.channel'],
    [{ purpose: 'bill', refIds: [], channel: 'wechat' }, 'body.refIds'],
    [{ purpose: 'deposit', refId: 'x', channel: 'wechat', amount: 10.5 }, 'body.amount'],
    [{ purpose: 'deposit', refId: 'x', channel: 'wechat', amount: -1 }, 'body.amount'],
  ])('%j → %s', async (body, field) => {
    const f = await family();
    const r = await createOrder(f.token, body);
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((x: { path: string }) => x.path)).toContain(field);
  });

  it('an order needs an Idempotency-Key; a retry with the same key is the same order', async () => {
    const f = await family();
    const b = await billFor(idNumber(), [{ name: 'x', quantity: 1, unitPrice: 100 }]);
    expect((await call(handler, api.payments.create, { token: f.token, body: { purpose: 'bill', refId: b.id, channel: 'wechat' } })).status).toBe(400);
    const mine = await billFor(f.parentIdNumber, [{ name: '血常规', quantity: 1, unitPrice: 2500 }]);
    const first = await createOrder(f.token, { purpose: 'bill', refId: mine.id, channel: 'wechat' }, 'same-key-123456');
    const again = await createOrder(f.token, { purpose: 'bill', refId: mine.id, channel: 'wechat' }, 'same-key-123456');
    expect(again.body.orderNo).toBe(first.body.orderNo);
  });
});
