import { createCipheriv, createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSandbox } from '../../../../scripts/sandboxes/wechat';
import { wechatPayConfig } from './config';
import { ProviderError } from './errors';
import { createWechatPayClient, type WechatPayClient, type WechatRefundResource, type WechatTransaction } from './wechatpay';
import { type Listener, orderNo, postJson, type Received, type Sandboxes, startListener, startSandboxes, waitFor } from './test-sandboxes';

let sb: Sandboxes;
let hook: Listener;
let client: WechatPayClient;
const openid = 'o' + 'A'.repeat(27);

beforeAll(async () => {
  [sb, hook] = await Promise.all([startSandboxes(), startListener()]);
  client = createWechatPayClient(wechatPayConfig(sb.env()));
});
afterAll(async () => {
  await Promise.all([sb?.close(), hook?.close()]);
});
beforeEach(() => {
  hook.respond = () => ({ status: 204, body: '' });
});

const code = (e: unknown) => (e instanceof ProviderError ? `${e.code}:${e.providerCode ?? ''}` : String(e));
const newKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: { export(o: object): string | Buffer }, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }).toString();

async function prepay(amountFen = 1000, outTradeNo = orderNo('WX')) {
  const { prepayId } = await client.jsapiPrepay({ outTradeNo, description: '门诊缴费', amountFen, payerOpenid: openid, notifyUrl: hook.url });
  return { outTradeNo, prepayId };
}

async function payAndReceive(outTradeNo: string): Promise<Received> {
  const before = hook.received.length;
  const r = await postJson(`${sb.wechat.url}/sandbox/pay`, { out_trade_no: outTradeNo });
  expect(r.status).toBe(200);
  return waitFor(() => hook.received.slice(before).find((x) => x.body.includes('TRANSACTION.SUCCESS')));
}

/** Re-signs a body with the given platform key, as a forger holding that key would. */
function signAs(privateKey: string, serial: string, body: string, ts = Math.floor(Date.now() / 1000)) {
  const nonce = randomBytes(8).toString('hex');
  const signature = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(privateKey, 'base64');
  return { 'wechatpay-timestamp': String(ts), 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': serial };
}

describe('WeChat Pay v3 through wechatpay-node-v3 with verified responses', () => {
  it('prepays idempotently and signs wx.requestPayment params with the merchant key', async () => {
    const { outTradeNo, prepayId } = await prepay(1234);
    expect(prepayId).toMatch(/^wx\d{14}[0-9a-f]+$/);
    expect((await prepay(1234, outTradeNo)).prepayId).toBe(prepayId);
    await expect(prepay(999, outTradeNo)).rejects.toSatisfy((e) => code(e) === 'REJECTED:INVALID_REQUEST');

    const p = client.requestPaymentParams(prepayId);
    expect(p).toMatchObject({ package: `prepay_id=${prepayId}`, signType: 'RSA' });
    const msg = `${sb.keys.wechat.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(createVerify('RSA-SHA256').update(msg).verify(sb.keys.wechat.merchantPublicKey, p.paySign, 'base64')).toBe(true);
  });

  it('pay → signed, encrypted notification → verified and decrypted; query agrees', async () => {
    const { outTradeNo } = await prepay(2500);
    expect((await client.query(outTradeNo)).trade_state).toBe('NOTPAY');
    const n = await payAndReceive(outTradeNo);
    expect(n.headers['wechatpay-serial']).toBe(sb.keys.wechat.platformSerial);
    const v = client.verifyNotification<WechatTransaction>({ headers: n.headers, rawBody: n.body });
    expect(v.eventType).toBe('TRANSACTION.SUCCESS');
    expect(v.resource).toMatchObject({
      out_trade_no: outTradeNo, trade_state: 'SUCCESS', mchid: sb.keys.wechat.mchid, appid: sb.keys.wechat.appId,
      amount: { total: 2500, payer_total: 2500 }, payer: { openid },
    });
    const q = await client.query(outTradeNo);
    expect(q).toMatchObject({ trade_state: 'SUCCESS', transaction_id: v.resource.transaction_id });
    await expect(prepay(2500, outTradeNo)).rejects.toSatisfy((e) => code(e) === 'REJECTED:ORDERPAID');
  });

  it('rejects tampered, stale, wrongly keyed, wrong-serial and GCM-tampered notifications', async () => {
    const { outTradeNo } = await prepay(300);
    const n = await payAndReceive(outTradeNo);
    const ok = { headers: n.headers, rawBody: n.body };
    expect(() => client.verifyNotification(ok)).not.toThrow();
    const bad = (m: typeof ok, cl = client) => {
      try {
        cl.verifyNotification(m);
        return 'accepted';
      } catch (e) {
        return code(e);
      }
    };
    // Tampered body (one character of the summary).
    expect(bad({ ...ok, rawBody: n.body.replace('支付成功', '支付失败') })).toBe('BAD_NOTIFICATION:');
    // Stale: 301 s after the signature's timestamp; and one from the future.
    const ts = Number(n.headers['wechatpay-timestamp']) * 1000;
    expect(() => client.verifyNotification({ ...ok, now: ts + 299_000 })).not.toThrow();
    expect(bad({ ...ok, now: ts + 301_000 } as typeof ok)).toBe('BAD_NOTIFICATION:');
    expect(bad({ ...ok, now: ts - 301_000 } as typeof ok)).toBe('BAD_NOTIFICATION:');
    // Wrong serial header, and a client that trusts a different key under the right serial.
    expect(bad({ ...ok, headers: { ...n.headers, 'wechatpay-serial': 'PUB_KEY_ID_0000' } })).toBe('BAD_NOTIFICATION:');
    const otherKeyClient = createWechatPayClient(wechatPayConfig({ ...sb.env(), WECHATPAY_PLATFORM_PUBLIC_KEY: pem(newKey().publicKey, 'spki') }));
    expect(bad(ok, otherKeyClient)).toBe('BAD_NOTIFICATION:');
    // Signed by a forger's key under the real serial.
    expect(bad({ rawBody: n.body, headers: signAs(pem(newKey().privateKey, 'pkcs8'), sb.keys.wechat.platformSerial, n.body) })).toBe('BAD_NOTIFICATION:');
    // Validly signed (platform key) but the ciphertext was altered: the GCM tag must catch it.
    const body = JSON.parse(n.body);
    const ct = Buffer.from(body.resource.ciphertext, 'base64');
    ct[0] ^= 1;
    body.resource.ciphertext = ct.toString('base64');
    const tampered = JSON.stringify(body);
    expect(bad({ rawBody: tampered, headers: signAs(sb.keys.wechat.platformPrivateKey, sb.keys.wechat.platformSerial, tampered) })).toBe('BAD_NOTIFICATION:');
    // Encrypted under another APIv3 key, correctly signed.
    const nonce = randomBytes(6).toString('hex');
    const c = createCipheriv('aes-256-gcm', Buffer.from('k'.repeat(32)), Buffer.from(nonce));
    c.setAAD(Buffer.from('transaction'));
    body.resource = { ...body.resource, nonce, ciphertext: Buffer.concat([c.update('{"trade_state":"SUCCESS"}'), c.final(), c.getAuthTag()]).toString('base64') };
    const wrongKey = JSON.stringify(body);
    expect(bad({ rawBody: wrongKey, headers: signAs(sb.keys.wechat.platformPrivateKey, sb.keys.wechat.platformSerial, wrongKey) })).toBe('BAD_NOTIFICATION:');
  });

  it('retries a notification until our endpoint answers 2xx, resends on demand, or drops it', async () => {
    let calls = 0;
    hook.respond = () => (++calls <= 2 ? { status: 500, body: '{"code":"FAIL"}' } : { status: 200, body: '' });
    const { outTradeNo } = await prepay(100);
    await postJson(`${sb.wechat.url}/sandbox/pay`, { out_trade_no: outTradeNo });
    const rec = await waitFor(() => sb.wechat.deliveries.find((d) => d.delivered && d.attempts === 3));
    expect(rec.kind).toBe('TRANSACTION.SUCCESS');
    const mine = (r: Received) => r.body.includes('TRANSACTION.SUCCESS') &&
      client.verifyNotification<WechatTransaction>({ headers: r.headers, rawBody: r.body }).resource.out_trade_no === outTradeNo;
    const first = hook.received.filter(mine).at(-1) as Received;

    const before = hook.received.length;
    await postJson(`${sb.wechat.url}/sandbox/notify-again`, { out_trade_no: outTradeNo });
    const again = await waitFor(() => hook.received.slice(before).find(mine));
    expect(JSON.parse(again.body).id).toBe(JSON.parse(first.body).id); // same notification, fresh signature
    expect(() => client.verifyNotification({ headers: again.headers, rawBody: again.body })).not.toThrow();

    // Lost notification: paid, nothing delivered, an active query still sees SUCCESS.
    const lost = await prepay(100);
    const n = hook.received.length;
    await postJson(`${sb.wechat.url}/sandbox/pay`, { out_trade_no: lost.outTradeNo, notify: false });
    await new Promise((r) => setTimeout(r, 150));
    expect(hook.received.length).toBe(n);
    expect((await client.query(lost.outTradeNo)).trade_state).toBe('SUCCESS');
  });

  it('closes unpaid orders only', async () => {
    const { outTradeNo } = await prepay(100);
    await client.close(outTradeNo);
    expect((await client.query(outTradeNo)).trade_state).toBe('CLOSED');
    const r = await postJson(`${sb.wechat.url}/sandbox/pay`, { out_trade_no: outTradeNo });
    expect(r.status).toBe(409);
    await expect(client.query('NOPE000001')).rejects.toSatisfy((e) => code(e) === 'REJECTED:ORDER_NOT_EXIST');
  });

  it('refunds idempotently by out_refund_no and never beyond the amount paid', async () => {
    const { outTradeNo } = await prepay(1000);
    await payAndReceive(outTradeNo);
    const base = { outTradeNo, totalFen: 1000, notifyUrl: hook.url };
    const r1 = await client.refund({ ...base, outRefundNo: `${outTradeNo}-R1`, refundFen: 300 });
    expect(r1).toMatchObject({ status: 'PROCESSING', amount: { refund: 300, total: 1000 } });
    expect((await client.refund({ ...base, outRefundNo: `${outTradeNo}-R1`, refundFen: 300 })).refund_id).toBe(r1.refund_id);
    await expect(client.refund({ ...base, outRefundNo: `${outTradeNo}-R1`, refundFen: 301 })).rejects.toSatisfy((e) => code(e) === 'REJECTED:INVALID_REQUEST');
    await expect(client.refund({ ...base, outRefundNo: `${outTradeNo}-R2`, refundFen: 701 })).rejects.toSatisfy((e) => code(e) === 'REJECTED:NOT_ENOUGH');
    await client.refund({ ...base, outRefundNo: `${outTradeNo}-R2`, refundFen: 700 });
    await expect(client.refund({ ...base, outRefundNo: `${outTradeNo}-R3`, refundFen: 1 })).rejects.toSatisfy((e) => code(e).startsWith('REJECTED:'));
    await expect(client.refund({ ...base, totalFen: 999, outRefundNo: `${outTradeNo}-R4`, refundFen: 1 })).rejects.toSatisfy((e) => code(e).startsWith('REJECTED:'));

    const note = await waitFor(() => hook.received.find((x) => x.body.includes('REFUND.SUCCESS') &&
      client.verifyNotification<WechatRefundResource>({ headers: x.headers, rawBody: x.body }).resource.out_refund_no === `${outTradeNo}-R1`));
    const v = client.verifyNotification<WechatRefundResource>({ headers: note.headers, rawBody: note.body });
    expect(v.resource).toMatchObject({ refund_status: 'SUCCESS', out_trade_no: outTradeNo, amount: { refund: 300, total: 1000 } });
    expect((await client.queryRefund(`${outTradeNo}-R1`)).status).toBe('SUCCESS');
    expect((await client.query(outTradeNo)).trade_state).toBe('REFUND');
  });

  it('downloads the trade bill and checks it against the signed hash', async () => {
    const { outTradeNo } = await prepay(4321);
    await payAndReceive(outTradeNo);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const csv = await client.tradeBill(today);
    expect(csv).toContain(`\`${outTradeNo}`);
    expect(csv).toContain('`43.21');
    expect(csv?.split('\r\n')[0]).toMatch(/^交易时间,公众账号ID,商户号/);
    expect(await client.tradeBill('2001-01-01')).toBeNull();
  });

  it('is refused by the sandbox when our request is signed with the wrong merchant key', async () => {
    const wrong = createWechatPayClient(wechatPayConfig({ ...sb.env(), WECHATPAY_PRIVATE_KEY: pem(newKey().privateKey, 'pkcs8') }));
    await expect(wrong.query('NOPE000001')).rejects.toSatisfy((e) => code(e) === 'REJECTED:SIGN_ERROR');
  });

  it('throws when a response is forged (signed with a key that is not the platform key)', async () => {
    const keys = { ...sb.keys, wechat: { ...sb.keys.wechat, platformPrivateKey: pem(newKey().privateKey, 'pkcs8') } };
    const forged = await startWechatSandbox({ port: 0, keys });
    try {
      const c = createWechatPayClient(wechatPayConfig({ ...sb.env(), WECHATPAY_BASE: forged.url }));
      await expect(c.jsapiPrepay({ outTradeNo: orderNo('F'), description: 'x', amountFen: 1, payerOpenid: openid, notifyUrl: hook.url }))
        .rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE:');
      await expect(c.query('NOPE000001')).rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE:');
    } finally {
      await forged.close();
    }
  });
});

describe('WeChat Pay public-key mode (PUB_KEY_ID_...)', () => {
  it('verifies responses and notifications signed under the public-key id', async () => {
    const pk = await startWechatSandbox({ port: 0, keys: sb.keys, publicKeyMode: true, retryDelaysMs: [50] });
    try {
      const env: Record<string, string> = { ...sb.env('publicKey'), WECHATPAY_BASE: pk.url };
      expect(env.WECHATPAY_PLATFORM_SERIAL).toBeUndefined();
      const c = createWechatPayClient(wechatPayConfig(env));
      const outTradeNo = orderNo('PK');
      await c.jsapiPrepay({ outTradeNo, description: '住院押金', amountFen: 50000, payerOpenid: openid, notifyUrl: hook.url });
      const before = hook.received.length;
      await postJson(`${pk.url}/sandbox/pay`, { out_trade_no: outTradeNo });
      const n = await waitFor(() => hook.received.slice(before).find((x) => x.body.includes('TRANSACTION.SUCCESS')));
      expect(n.headers['wechatpay-serial']).toBe(sb.keys.wechat.publicKeyId);
      expect(c.verifyNotification<WechatTransaction>({ headers: n.headers, rawBody: n.body }).resource.amount.total).toBe(50000);
      expect((await c.query(outTradeNo)).trade_state).toBe('SUCCESS');

      // A client that only trusts the platform certificate does not accept PUB_KEY_ID answers.
      const certOnly = createWechatPayClient(wechatPayConfig({ ...sb.env('certificate'), WECHATPAY_BASE: pk.url }));
      await expect(certOnly.query(outTradeNo)).rejects.toSatisfy((e) => code(e) === 'BAD_RESPONSE_SIGNATURE:');
      expect(() => certOnly.verifyNotification({ headers: n.headers, rawBody: n.body })).toThrow(ProviderError);
    } finally {
      await pk.close();
    }
  });

  it('trusts the platform key under both ids in "both" mode and keeps secrets out of JSON', () => {
    const cfg = wechatPayConfig(sb.env());
    const spki = createPublicKey(sb.keys.wechat.platformPublicKey).export({ type: 'spki', format: 'pem' });
    expect(cfg.trustedKeys[sb.keys.wechat.platformSerial]).toBe(spki);
    expect(cfg.trustedKeys[sb.keys.wechat.publicKeyId]).toBe(spki);
    expect(JSON.stringify(cfg)).not.toContain('PRIVATE');
    expect(JSON.stringify(cfg)).not.toContain(sb.keys.wechat.apiV3Key);
  });
});

describe('WeChat sandbox checkout page', () => {
  it('shows the amount in yuan with 支付 / 取消 and redirects back after paying', async () => {
    const { outTradeNo, prepayId } = await prepay(12345);
    const ret = 'http://127.0.0.1:10086/#/pay/result?order=1';
    const page = await (await fetch(`${sb.wechat.url}/checkout?prepay_id=${prepayId}&return=${encodeURIComponent(ret)}`)).text();
    expect(page).toContain('¥123.45');
    expect(page).toContain('支付');
    expect(page).toContain('取消');
    const res = await fetch(`${sb.wechat.url}/checkout/pay`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ prepay_id: prepayId, return: ret }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('sandbox_result=paid');
    expect((await client.query(outTradeNo)).trade_state).toBe('SUCCESS');
    const evil = await fetch(`${sb.wechat.url}/checkout/cancel`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ prepay_id: prepayId, return: 'javascript:alert(1)' }) });
    expect(evil.status).toBe(200);
  });
});
