import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signContent, startAlipaySandbox } from '../../../../scripts/sandboxes/alipay';
import { type AlipayClient, createAlipayClient, createAlipaySdk } from './alipay';
import { alipayConfig } from './config';
import { ProviderError } from './errors';
import { type Listener, orderNo, postJson, type Received, type Sandboxes, startListener, startSandboxes, waitFor } from './test-sandboxes';

let sb: Sandboxes;
let hook: Listener;
let client: AlipayClient;
const buyer = '2088000000000001';

beforeAll(async () => {
  [sb, hook] = await Promise.all([startSandboxes(), startListener()]);
  client = createAlipayClient(alipayConfig(sb.env()));
});
afterAll(async () => {
  await Promise.all([sb?.close(), hook?.close()]);
});
beforeEach(() => {
  hook.respond = () => ({ status: 200, body: 'success' });
});

const code = (e: unknown) => (e instanceof ProviderError ? `${e.code}:${e.providerCode ?? ''}` : String(e));
const fields = (r: Received) => Object.fromEntries(new URLSearchParams(r.body)) as Record<string, string>;

async function create(amountFen = 10000, outTradeNo = orderNo('ALI')) {
  const { tradeNo } = await client.tradeCreate({ outTradeNo, amountFen, subject: '住院押金', buyerId: buyer, notifyUrl: hook.url });
  return { outTradeNo, tradeNo };
}

async function payAndReceive(outTradeNo: string): Promise<Record<string, string>> {
  const before = hook.received.length;
  expect((await postJson(`${sb.alipay.url}/sandbox/pay`, { out_trade_no: outTradeNo })).status).toBe(200);
  const r = await waitFor(() => hook.received.slice(before).find((x) => fields(x).out_trade_no === outTradeNo && fields(x).trade_status === 'TRADE_SUCCESS'));
  return fields(r);
}

describe('Alipay trade APIs through alipay-sdk with verified responses', () => {
  it('creates idempotently, pays, and the form-encoded RSA2 notification verifies', async () => {
    const { outTradeNo, tradeNo } = await create(12345);
    expect(tradeNo).toMatch(/^\d{28}$/);
    expect((await create(12345, outTradeNo)).tradeNo).toBe(tradeNo);
    await expect(create(1, outTradeNo)).rejects.toSatisfy((e) => code(e) === 'REJECTED:ACQ.CONTEXT_INCONSISTENT');
    expect(await client.query(outTradeNo)).toMatchObject({ status: 'WAIT_BUYER_PAY', totalFen: 12345, tradeNo });

    const f = await payAndReceive(outTradeNo);
    expect(hook.received.at(-1)?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(createAlipaySdk(alipayConfig(sb.env())).checkNotifySignV2(f)).toBe(true);
    const n = client.verifyNotification(f);
    expect(n).toMatchObject({ outTradeNo, tradeNo, tradeStatus: 'TRADE_SUCCESS', totalFen: 12345, appId: sb.keys.alipay.appId, sellerId: sb.keys.alipay.sellerId });
    expect(await client.query(outTradeNo)).toMatchObject({ status: 'TRADE_SUCCESS', buyerPayFen: 12345, buyerId: buyer });
    await expect(create(12345, outTradeNo)).rejects.toSatisfy((e) => code(e) === 'REJECTED:ACQ.TRADE_HAS_SUCCESS');
  });

  it('rejects tampered notifications, and re-signed ones for another app', async () => {
    const { outTradeNo } = await create(500);
    const f = await payAndReceive(outTradeNo);
    expect(() => client.verifyNotification({ ...f, total_amount: '50000.00' })).toThrow(ProviderError);
    expect(() => client.verifyNotification({ ...f, sign: f.sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })).toThrow(ProviderError);
    const { sign: _s, ...rest } = f;
    expect(() => client.verifyNotification(rest)).toThrow(ProviderError);
    // Signed by someone else's key.
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = { ...f, sign: createSign('RSA-SHA256').update(signContent(f, ['sign', 'sign_type'])).sign(forger, 'base64') };
    expect(() => client.verifyNotification(forged)).toThrow(ProviderError);
    // Validly signed by Alipay, but for another app.
    const other = { ...f, app_id: '2021000000000000' };
    const resigned = { ...other, sign: createSign('RSA-SHA256').update(signContent(other, ['sign', 'sign_type'])).sign(sb.keys.alipay.alipayPrivateKey, 'base64') };
    expect(() => client.verifyNotification(resigned)).toThrow(/app_id/);
  });

  it('verifies notifications whose values contain %, + and & (checkNotifySignV2, not V1)', async () => {
    const outTradeNo = orderNo('PCT');
    await client.tradeCreate({ outTradeNo, amountFen: 100, subject: '押金 100% & 退+补', buyerId: buyer, notifyUrl: hook.url });
    const f = await payAndReceive(outTradeNo);
    expect(f.subject).toBe('押金 100% & 退+补');
    expect(client.verifyNotification(f).totalFen).toBe(100);
  });

  it('retries until our endpoint answers `success`, resends on demand, or drops it', async () => {
    let calls = 0;
    hook.respond = () => (++calls <= 2 ? { status: 200, body: 'fail' } : { status: 200, body: 'success' });
    const { outTradeNo } = await create(100);
    await postJson(`${sb.alipay.url}/sandbox/pay`, { out_trade_no: outTradeNo });
    await waitFor(() => sb.alipay.deliveries.find((d) => d.delivered && d.attempts === 3));
    const before = hook.received.length;
    await postJson(`${sb.alipay.url}/sandbox/notify-again`, { out_trade_no: outTradeNo });
    const again = fields(await waitFor(() => hook.received[before]));
    expect(again.out_trade_no).toBe(outTradeNo);
    expect(client.verifyNotification(again).tradeStatus).toBe('TRADE_SUCCESS');

    const lost = await create(100);
    const n = hook.received.length;
    await postJson(`${sb.alipay.url}/sandbox/pay`, { out_trade_no: lost.outTradeNo, notify: false });
    await new Promise((r) => setTimeout(r, 150));
    expect(hook.received.length).toBe(n);
    expect((await client.query(lost.outTradeNo))?.status).toBe('TRADE_SUCCESS');
  });

  it('closes unpaid trades; unknown trades query as null', async () => {
    const { outTradeNo } = await create(100);
    await client.close(outTradeNo);
    expect((await client.query(outTradeNo))?.status).toBe('TRADE_CLOSED');
    expect(await client.query('NOPE000001')).toBeNull();
    const paid = await create(100);
    await payAndReceive(paid.outTradeNo);
    await expect(client.close(paid.outTradeNo)).rejects.toSatisfy((e) => code(e) === 'REJECTED:ACQ.TRADE_STATUS_ERROR');
  });

  it('refunds idempotently by out_request_no and never beyond the amount paid', async () => {
    const { outTradeNo } = await create(10000);
    await expect(client.refund({ outTradeNo, outRequestNo: 'R0', refundFen: 1 })).rejects.toSatisfy((e) => code(e) === 'REJECTED:ACQ.TRADE_STATUS_ERROR');
    await payAndReceive(outTradeNo);
    expect(await client.refund({ outTradeNo, outRequestNo: 'R1', refundFen: 3000 })).toMatchObject({ fundChange: true, refundedFen: 3000 });
    expect(await client.refund({ outTradeNo, outRequestNo: 'R1', refundFen: 3000 })).toMatchObject({ fundChange: false, refundedFen: 3000 });
    await expect(client.refund({ outTradeNo, outRequestNo: 'R2', refundFen: 7001 })).rejects.toSatisfy((e) => code(e) === 'REJECTED:ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    expect(await client.refund({ outTradeNo, outRequestNo: 'R2', refundFen: 7000 })).toMatchObject({ fundChange: true, refundedFen: 10000 });
    await expect(client.refund({ outTradeNo, outRequestNo: 'R3', refundFen: 1 })).rejects.toSatisfy((e) => code(e).startsWith('REJECTED:'));
    expect(await client.refundQuery({ outTradeNo, outRequestNo: 'R1' })).toEqual({ refundFen: 3000, status: 'REFUND_SUCCESS' });
    expect(await client.refundQuery({ outTradeNo, outRequestNo: 'R9' })).toBeNull();
    expect((await client.query(outTradeNo))?.status).toBe('TRADE_CLOSED'); // fully refunded
    const refundNote = await waitFor(() => hook.received.map(fields).find((f) => f.out_trade_no === outTradeNo && f.out_biz_no === 'R2'));
    expect(client.verifyNotification(refundNote)).toMatchObject({ refundFeeFen: 10000, outBizNo: 'R2' });
  });

  it('serves the day\'s bill through bill.downloadurl.query', async () => {
    const { outTradeNo } = await create(4321);
    await payAndReceive(outTradeNo);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const url = await client.billDownloadUrl(today);
    const csv = await client.downloadBill(url as string);
    expect(csv).toContain(`,${outTradeNo},交易,`);
    expect(csv).toContain(',43.21,43.21,');
  });

  it('throws when a response is forged (signed with a key that is not Alipay\'s)', async () => {
    const forgedKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = await startAlipaySandbox({ port: 0, keys: { ...sb.keys, alipay: { ...sb.keys.alipay, alipayPrivateKey: forgedKey } } });
    try {
      const c = createAlipayClient(alipayConfig({ ...sb.env(), ALIPAY_GATEWAY: forged.gateway }));
      await expect(c.tradeCreate({ outTradeNo: orderNo('F'), amountFen: 1, subject: 'x', buyerId: buyer, notifyUrl: hook.url }))
        .rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE:');
      await expect(c.query('NOPE000001')).rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE:');
    } finally {
      await forged.close();
    }
  });
});

describe('Alipay sandbox checkout page', () => {
  it('shows the amount with 支付 / 取消; paying redirects back and notifies', async () => {
    const { outTradeNo, tradeNo } = await create(88800);
    const ret = 'http://127.0.0.1:10086/#/pay/result';
    const page = await (await fetch(`${sb.alipay.url}/checkout?trade_no=${tradeNo}&return=${encodeURIComponent(ret)}`)).text();
    expect(page).toContain('¥888.00');
    expect(page).toMatch(/支付[\s\S]*取消/);
    const before = hook.received.length;
    const res = await fetch(`${sb.alipay.url}/checkout/pay`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ trade_no: tradeNo, return: ret }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('sandbox_result=paid');
    const f = fields(await waitFor(() => hook.received.slice(before).find((x) => fields(x).out_trade_no === outTradeNo)));
    expect(client.verifyNotification(f).totalFen).toBe(88800);
  });
});
