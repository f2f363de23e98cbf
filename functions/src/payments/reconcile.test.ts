/** Reconciliation: the providers' daily bills against our ledger, every mismatch reported. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, localDate } from '@hospital/shared';
import { db, table } from '#lib/table';
import { call, tokenFor } from '#test/http';
import { parseAlipayBill, parseWechatBill } from './bill-files';
import { handler } from './handler';
import { listRefunds, orderKey, putOrder } from './orders-store';
import { compare } from './reconcile';
import { cashierToken, createOrder, family, getOrder, key, ownTable, pay, startPaymentsStack, until, type Stack } from './test-fixtures';

describe('compare()', () => {
  it('names payments and refunds missing on either side and amounts that differ', () => {
    const provider = [
      { type: 'payment' as const, ref: 'A', amount: 100 },
      { type: 'payment' as const, ref: 'B', amount: 200 },
      { type: 'refund' as const, ref: 'A-S1', amount: 50 },
    ];
    const ours = [
      { type: 'payment' as const, ref: 'A', amount: 100 },
      { type: 'payment' as const, ref: 'B', amount: 250 },
      { type: 'payment' as const, ref: 'C', amount: 300 },
    ];
    expect(compare(provider, ours)).toEqual([
      { kind: 'missing_in_ledger', type: 'refund', ref: 'A-S1', provider: 50 },
      { kind: 'amount_differs', type: 'payment', ref: 'B', ours: 250, provider: 200 },
      { kind: 'missing_at_provider', type: 'payment', ref: 'C', ours: 300 },
    ]);
    expect(compare(provider, provider)).toEqual([]);
  });

  it('reads both providers’ bill formats', () => {
    const wx = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额\r\n' +
      '`2025-06-01 10:00:00,`wx1,`1900,`0,`,`4200,`HP1,`o1,`JSAPI,`SUCCESS,`OTHERS,`CNY,`12.34,`0.00,`0,`0,`0.00,`0.00\r\n' +
      '`2025-06-01 11:00:00,`wx1,`1900,`0,`,`4200,`HP1,`o1,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50,`HP1-S1,`2.00,`0.00\r\n' +
      '总交易单数,应结订单总金额\r\n`2,`12.34\r\n';
    expect(parseWechatBill(wx)).toEqual([{ type: 'payment', ref: 'HP1', amount: 1234 }, { type: 'refund', ref: 'HP1-S1', amount: 200 }]);
    const ali = '#支付宝业务明细查询\r\n支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号\r\n' +
      '2025,HP2,交易,x,,,,,,,,5.00,5.00,0,0,0,0,0,,0,0,\r\n2025,HP2,退款,x,,,,,,,,-1.50,-1.50,0,0,0,0,0,,0,0,HP2-M1\r\n#结束\r\n';
    expect(parseAlipayBill(ali)).toEqual([{ type: 'payment', ref: 'HP2', amount: 500 }, { type: 'refund', ref: 'HP2-M1', amount: 150 }]);
  });
});

describe('the daily reconciliation against the sandboxes', () => {
  let stack: Stack;
  beforeAll(async () => {
    await ownTable('payments-recon'); // the day's ledger is this file's alone
    stack = await startPaymentsStack();
  });
  afterAll(async () => stack?.close());

  async function paidBill(ch: 'wechat' | 'alipay', unitPrice: number, notify = true) {
    const f = await family();
    const b = await call(handler, api.payments.createBill, {
      token: await cashierToken(), headers: { 'idempotency-key': key() },
      body: { idNumber: f.parentIdNumber, patientName: '张老汉', deptName: '内科', items: [{ name: '诊查费', quantity: 1, unitPrice }] },
    });
    const o = (await createOrder(f.token, { purpose: 'bill', refId: b.body.id, channel: ch })).body.orderNo as string;
    await pay(stack, ch, o, notify);
    if (notify) await until(async () => (await getOrder(f.token, o)).body.result === 'succeeded');
    return o;
  }

  it('matches a clean day, then reports every kind of difference', async () => {
    const today = localDate();
    const w = await paidBill('wechat', 1_200);
    const a = await paidBill('alipay', 3_400);
    // The merchant accounts' holder (the city hospital) reconciles; another hospital's staff may not.
    const admin = await tokenFor(['admin'], undefined, 'org-city-hospital');
    const cashier = await cashierToken();
    expect((await call(handler, api.payments.reconciliation, { token: await cashierToken('org-other'), params: { date: today } })).status).toBe(404);
    const refund = await call(handler, api.payments.refund, { token: cashier, params: { orderNo: w }, body: { amount: 200, reason: '退费' }, headers: { 'idempotency-key': key() } });
    expect(refund.status).toBe(201);
    await until(async () => (await listRefunds(w))[0]?.status === 'succeeded');

    const clean = await call(handler, api.payments.reconcile, { token: admin, params: { date: today } });
    expect(clean.status, clean.text).toBe(200);
    expect(clean.body.channels).toEqual([
      expect.objectContaining({ channel: 'wechat', status: 'matched', providerRows: 2, ledgerRows: 2, mismatches: [] }),
      expect.objectContaining({ channel: 'alipay', status: 'matched', providerRows: 1, ledgerRows: 1, mismatches: [] }),
    ]);

    // 1. Paid at WeChat, never heard of here (lost notification, no sweep yet).
    const lost = await paidBill('wechat', 999, false);
    // 2. Our amount differs from Alipay's.
    await db.send(new UpdateCommand({ TableName: table(), Key: orderKey(a), UpdateExpression: 'SET amount = :x', ExpressionAttributeValues: { ':x': 3_500 } }));
    // 3. We count a payment Alipay has no record of.
    await putOrder({
      orderNo: 'HP20990101000000000001', userId: 'u-x', purpose: 'bill', refIds: ['x'], channel: 'alipay', amount: 777, description: 'x', status: 'pending',
      payerId: 'x', createdAt: '2025-01-01T00:00:00+08:00', expiresAt: '2025-01-01T00:15:00+08:00',
    }, Date.now() + 86_400_000);
    await db.send(new UpdateCommand({
      TableName: table(), Key: orderKey('HP20990101000000000001'), UpdateExpression: 'SET #s = :p, GSI2PK = :g, GSI2SK = :o REMOVE GSI1PK, GSI1SK',
      ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': 'paid', ':g': `PAYDAY#alipay#${today}`, ':o': 'HP20990101000000000001' },
    }));

    const r = await call(handler, api.payments.reconcile, { token: admin, params: { date: today } });
    const [wx, ali] = r.body.channels;
    expect(wx.status).toBe('mismatched');
    expect(wx.mismatches).toEqual([{ kind: 'missing_in_ledger', type: 'payment', ref: lost, provider: 999 }]);
    expect(ali.mismatches).toEqual([
      { kind: 'amount_differs', type: 'payment', ref: a, ours: 3_500, provider: 3_400 },
      { kind: 'missing_at_provider', type: 'payment', ref: 'HP20990101000000000001', ours: 777 },
    ]);
    // The report is kept and readable by the cashier's office.
    const stored = await call(handler, api.payments.reconciliation, { token: cashier, params: { date: today } });
    expect(stored.body).toEqual(r.body);
    expect((await call(handler, api.payments.reconciliation, { token: cashier, params: { date: '2001-01-01' } })).status).toBe(404);
    expect((await call(handler, api.payments.reconcile, { token: admin, params: { date: '2025-13-45' } })).status).toBe(400);
  });
});
