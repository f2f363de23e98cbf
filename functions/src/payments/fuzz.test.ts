/** Random bodies and headers at the payments routes: never a 5xx, and a refusal never writes. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { handler } from './handler';
import { family, hisHeaders, startPaymentsStack, type Stack } from './test-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startPaymentsStack();
});
afterAll(async () => stack?.close());

const headerBag = fc.dictionary(
  fc.constantFrom('wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial', 'x-source', 'x-timestamp', 'x-nonce', 'x-signature', 'content-type'),
  fc.oneof(fc.string(), fc.constant(String(Math.floor(Date.now() / 1000))), fc.constant('city-his')),
);
const rawBody = fc.oneof(fc.string(), fc.json(), fc.constant('{"resource":{"ciphertext":"AAAA","nonce":"123456789012","algorithm":"AEAD_AES_256_GCM"},"id":"x","event_type":"TRANSACTION.SUCCESS"}'));

describe('payments routes under random input', () => {
  it('signature routes answer in their own form, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(api.payments.notifyWechat, api.payments.notifyAlipay, api.payments.hisBills, api.payments.hisCharges), rawBody, headerBag, async (route, body, headers) => {
        const r = await call(handler, route, { rawBody: body, headers });
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('a correctly signed HIS push with random JSON is a 400 (or accepted), never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(api.payments.hisBills, api.payments.hisAdmissions, api.payments.hisCharges), fc.json(), async (route, body) => {
        const r = await call(handler, route, { rawBody: body, headers: hisHeaders(body) });
        expect([202, 400]).toContain(r.status);
      }),
      { numRuns: 200 },
    );
  });

  it('random order requests are 4xx, never 5xx', async () => {
    const f = await family();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ purpose: fc.oneof(fc.constantFrom('bill', 'deposit', 'appointment'), fc.string()), refId: fc.oneof(fc.string(), fc.constant('adm-x')), refIds: fc.array(fc.string(), { maxLength: 3 }), channel: fc.constantFrom('wechat', 'alipay', 'x'), amount: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
        async (body) => {
          const r = await call(handler, api.payments.create, { token: f.token, body, headers: { 'idempotency-key': `fuzz-key-${n++}` } });
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
