/** Random bodies, headers and query strings thrown at real handlers: never a 5xx, always our error format. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { handler as auth } from '../../auth/handler';
import { startSandboxes } from '#test/sandboxes';

let sandboxes: Awaited<ReturnType<typeof startSandboxes>>;
beforeAll(async () => (sandboxes = await startSandboxes()));
afterAll(() => sandboxes.close());

const anyJson = fc.oneof(fc.jsonValue(), fc.object(), fc.record({ provider: fc.oneof(fc.constantFrom('wechat', 'alipay', 'dev', ''), fc.string()), code: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }));

describe('the http stack under random input', () => {
  it('login never answers 5xx to any body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson.map((v) => JSON.stringify(v)), fc.string(), fc.uint8Array().map((b) => Buffer.from(b).toString('latin1'))), async (raw) => {
        const r = await call(auth, api.auth.login, { rawBody: raw });
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.body?.error?.code).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('a guarded route never answers 5xx to random Authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`), fc.base64String().map((s) => `Bearer ${s}.${s}.${s}`)), async (authz) => {
        const r = await call(auth, api.auth.me, { headers: { authorization: authz } });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toMatch(/UNAUTHENTICATED|TOKEN_EXPIRED/);
      }),
      { numRuns: 300 },
    );
  });
});
