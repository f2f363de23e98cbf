/**
 * Notifications: only a genuine, matching notification credits an order, exactly once however
 * often and however concurrently it comes; anything else changes nothing.
 */
import { createCipheriv, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '@hospital/shared';
import { logger } from '#lib/logger';
import { call } from '#test/http';
import { signContent } from '../../../scripts/sandboxes/alipay';
import * as admissions from './admissions-store';
import { handler } from './handler';
import { getOrder as storedOrder } from './orders-store';
import { admit, createOrder, expectLedgerInvariant, family, getOrder, startPaymentsStack, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

const cst = (d = new Date()) => `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/** A WeChat Pay v3 notification built exactly as WeChat builds it, with knobs to break it. */
function wechatNotice(resource: Record<string, unknown>, o: { ts?: number; signer?: string; serial?: string; breakTag?: boolean; event?: string } = {}) {
  const w = stack.keys.wechat;
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(w.apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ct = Buffer.concat([cipher.update(JSON.stringify(resource)), cipher.final(), cipher.getAuthTag()]);
  if (o.breakTag) ct[ct.length - 1] ^= 1;
  const body = JSON.stringify({
    id: randomUUID(), create_time: cst(), resource_type: 'encrypt-resource', event_type: o.event ?? 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: 'transaction', nonce },
  });
  const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
  const sigNonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256').update(`${ts}\n${sigNonce}\n${body}\n`).sign(o.signer ?? w.platformPrivateKey, 'base64');
  return {
    body,
    headers: {
      'wechatpay-timestamp': ts, 'wechatpay-nonce': sigNonce, 'wechatpay-signature': signature,
      'wechatpay-serial': o.serial ?? w.platformSerial, 'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}

const transaction = (orderNo: string, amount: number, over: Record<string, unknown> = {}) => ({
  appid: stack.keys.wechat.appId, mchid: stack.keys.wechat.mchid, out_trade_no: orderNo, transaction_id: `4200${Date.now()}`,
  trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', success_time: cst(), payer: { openid: 'o-test' },
  amount: { total: amount, payer_total: amount, currency: 'CNY', payer_currency: 'CNY' }, ...over,
});

const postWechat = (n: { body: string; headers: Record<string, string> }, body = n.body) =>
  call(handler, api.payments.notifyWechat, { rawBody: body, headers: { ...n.headers, 'content-type': 'application/json' } });

/** A family, an admission for their parent, and a pending wechat top-up order of `amount`. */
async function pendingTopUp(amount = 200_000, ch: 'wechat' | 'alipay' = 'wechat') {
  const f = await family();
  const admissionId = await admit(f.parentIdNumber);
  const o = await createOrder(f.token, { purpose: 'deposit', refId: admissionId, channel: ch, amount });
  expect(o.status, o.text).toBe(201);
  return { f, admissionId, orderNo: o.body.orderNo as string, amount };
}

async function expectNothingChanged(admissionId: string, orderNo: string) {
  expect((await storedOrder(orderNo))?.status).toBe('pending');
  const { admission, entries } = await expectLedgerInvariant(admissionId);
  expect(admission.balance).toBe(0);
  expect(entries).toEqual([]);
}

describe('WeChat Pay notifications', () => {
  it('a genuine notification credits the deposit and answers 204', async () => {
    const t = await pendingTopUp();
    const r = await postWechat(wechatNotice(transaction(t.orderNo, t.amount)));
    expect(r.status).toBe(204);
    const { admission } = await expectLedgerInvariant(t.admissionId);
    expect(admission.balance).toBe(t.amount);
    expect((await getOrder(t.f.token, t.orderNo)).body).toMatchObject({ status: 'paid', result: 'succeeded' });
  });

  it('WeChat Pay public-key mode (PUB_KEY_ID_…) verifies too', async () => {
    const t = await pendingTopUp();
    const r = await postWechat(wechatNotice(transaction(t.orderNo, t.amount), { serial: stack.keys.wechat.publicKeyId }));
    expect(r.status).toBe(204);
    expect((await admissions.getAdmission(t.admissionId))?.balance).toBe(t.amount);
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  type Broken = { n: ReturnType<typeof wechatNotice>; body?: string };
  it.each<[string, (no: string, amt: number) => Broken]>([
    ['a tampered body', (no, amt) => {
      const n = wechatNotice(transaction(no, amt));
      return { n, body: n.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') };
    }],
    ['a signature by another key', (no, amt) => ({ n: wechatNotice(transaction(no, amt), { signer: otherKey }) })],
    ['an unknown serial', (no, amt) => ({ n: wechatNotice(transaction(no, amt), { serial: 'ABCDEF0123456789' }) })],
    ['a stale timestamp (301 s)', (no, amt) => ({ n: wechatNotice(transaction(no, amt), { ts: Math.floor(Date.now() / 1000) - 301 }) })],
    ['a broken GCM tag (signed after breaking)', (no, amt) => ({ n: wechatNotice(transaction(no, amt), { breakTag: true }) })],
  ])('%s is refused (401) and changes nothing', async (_name, make) => {
    const t = await pendingTopUp();
    const broken = make(t.orderNo, t.amount);
    const warn = vi.spyOn(logger, 'warn');
    const r = await postWechat(broken.n, broken.body ?? broken.n.body);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'FAIL' });
    await expectNothingChanged(t.admissionId, t.orderNo);
    // Logged by reason only: no body, no signature.
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('notification rejected');
    expect(logged).not.toContain(broken.n.headers['wechatpay-signature']);
    expect(logged).not.toContain('ciphertext');
    warn.mockRestore();
  });

  it.each([
    ['a different amount', (no: string, amt: number) => transaction(no, amt - 1)],
    ['another merchant', (no: string, amt: number) => transaction(no, amt, { mchid: '1900000001' })],
    ['another app', (no: string, amt: number) => transaction(no, amt, { appid: 'wx0000000000000000' })],
  ])('a genuine notification with %s is refused and changes nothing', async (_n, resource) => {
    const t = await pendingTopUp();
    const r = await postWechat(wechatNotice(resource(t.orderNo, t.amount)));
    expect(r.status).toBe(400);
    await expectNothingChanged(t.admissionId, t.orderNo);
  });

  it('the same notification 16 times at once credits the order once', async () => {
    const t = await pendingTopUp(123_400);
    const n = wechatNotice(transaction(t.orderNo, t.amount));
    const info = vi.spyOn(logger, 'info');
    const replies = await Promise.all(Array.from({ length: 16 }, () => postWechat(n)));
    expect(replies.map((r) => r.status)).toEqual(Array(16).fill(204));
    const credited = info.mock.calls.filter((c) => c[0] === 'payment credited');
    info.mockRestore();
    expect(credited).toHaveLength(1);
    const { admission, entries } = await expectLedgerInvariant(t.admissionId);
    expect(entries).toHaveLength(1);
    expect(admission.balance).toBe(123_400);
    expect(admission.pendingOrders?.size ?? 0).toBe(0);
    // And once more, later: still one.
    expect((await postWechat(wechatNotice(transaction(t.orderNo, t.amount)))).status).toBe(204);
    expect((await admissions.ledger(t.admissionId))).toHaveLength(1);
  });

  it('the sandbox resending its notification (notify-again) is harmless', async () => {
    const t = await pendingTopUp(50_000);
    await fetch(`${stack.wechat.url}/sandbox/pay`, { method: 'POST', body: JSON.stringify({ out_trade_no: t.orderNo }) });
    for (let i = 0; i < 3; i++) await fetch(`${stack.wechat.url}/sandbox/notify-again`, { method: 'POST', body: JSON.stringify({ out_trade_no: t.orderNo }) });
    await new Promise((r) => setTimeout(r, 500));
    const { admission, entries } = await expectLedgerInvariant(t.admissionId);
    expect(entries).toHaveLength(1);
    expect(admission.balance).toBe(50_000);
  });
});

describe('Alipay notifications', () => {
  const y = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  function alipayNotice(orderNo: string, amount: number, over: Record<string, string> = {}, signer?: string) {
    const a = stack.keys.alipay;
    const fields: Record<string, string> = {
      notify_time: '2025-06-01 10:00:00', notify_type: 'trade_status_sync', notify_id: randomUUID(), charset: 'utf-8', version: '1.0',
      app_id: a.appId, auth_app_id: a.appId, trade_no: `2025${Date.now()}`, out_trade_no: orderNo, seller_id: a.sellerId,
      trade_status: 'TRADE_SUCCESS', total_amount: y(amount), receipt_amount: y(amount), gmt_payment: '2025-06-01 10:00:00', ...over,
    };
    const sign = createSign('RSA-SHA256').update(signContent(fields, ['sign', 'sign_type'])).sign(signer ?? a.alipayPrivateKey, 'base64');
    return new URLSearchParams({ ...fields, sign_type: 'RSA2', sign }).toString();
  }
  const postAlipay = (body: string) => call(handler, api.payments.notifyAlipay, { rawBody: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('a genuine notification: body `success`, deposit counted', async () => {
    const t = await pendingTopUp(80_000, 'alipay');
    const r = await postAlipay(alipayNotice(t.orderNo, t.amount));
    expect(r.status).toBe(200);
    expect(r.text).toBe('success');
    expect((await admissions.getAdmission(t.admissionId))?.balance).toBe(80_000);
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  it.each([
    ['a tampered amount after signing', (no: string, amt: number) => alipayNotice(no, amt).replace(`total_amount=${y(amt)}`, `total_amount=${y(amt + 100)}`)],
    ['a signature by another key', (no: string, amt: number) => alipayNotice(no, amt, {}, otherKey)],
    ['a different amount (signed)', (no: string, amt: number) => alipayNotice(no, amt + 1)],
    ['another app (signed)', (no: string, amt: number) => alipayNotice(no, amt, { app_id: '2021000000000000' })],
    ['another merchant (signed)', (no: string, amt: number) => alipayNotice(no, amt, { seller_id: '2088000000000000' })],
  ])('%s: `failure`, nothing changes', async (_n, make) => {
    const t = await pendingTopUp(60_000, 'alipay');
    const r = await postAlipay(make(t.orderNo, t.amount));
    expect(r.text).toBe('failure');
    await expectNothingChanged(t.admissionId, t.orderNo);
  });

  it('16 identical notifications at once: one credit', async () => {
    const t = await pendingTopUp(70_000, 'alipay');
    const body = alipayNotice(t.orderNo, t.amount);
    const replies = await Promise.all(Array.from({ length: 16 }, () => postAlipay(body)));
    expect(replies.every((r) => r.text === 'success')).toBe(true);
    const { admission, entries } = await expectLedgerInvariant(t.admissionId);
    expect(entries).toHaveLength(1);
    expect(admission.balance).toBe(70_000);
  });
});
