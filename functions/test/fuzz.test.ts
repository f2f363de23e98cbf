/**
 * Every route of the contract under random input (the shared helper, fuzz.ts): never a 5xx, a 4xx
 * always in our error format, a non-object JSON body a 400 naming `body`, an over-long id never
 * accepted. Generated from `api`: a feature without a handler fails here. A short run per feature
 * (FUZZ_RUNS per route, default 25); `npm run fuzz` is the long one.
 *
 * After the generic sweep, the cases of the old per-feature fuzz tests that it would not make on
 * its own: random Authorization headers on a guarded route, signed HIS pushes of random JSON, and
 * random payment orders from a real family.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type RouteDef } from '@hospital/shared';
import { family } from '../src/payments/test-fixtures';
import { call } from './http';
import { describeRequest, fuzzOnce, fuzzTargets, FuzzStats, requestArb, type FuzzTarget } from './fuzz';
import { featureHandlers, fuzzWorld, type World } from './fuzz-world';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const targets = fuzzTargets(api, featureHandlers);
const byFeature = Object.keys(api).map((f) => [f, targets.filter((t) => t.feature === f)] as const);

let world: World;
const stats = new FuzzStats();
beforeAll(async () => {
  world = await fuzzWorld();
}, 120_000);
afterAll(async () => world?.close());

async function fuzzRoute(t: FuzzTarget, runs = RUNS) {
  await fc.assert(
    fc.asyncProperty(requestArb(t, world), async (req) => {
      const found = await fuzzOnce(t, req, world, stats);
      expect(found, `${t.feature}.${t.name} ${t.key}\n${describeRequest(req)}`).toEqual([]);
    }),
    { numRuns: runs },
  );
}

describe('the fuzz covers the whole contract', () => {
  it('has a handler for every feature of the contract, and refuses a map that misses one', () => {
    expect(new Set(targets.map((t) => t.feature))).toEqual(new Set(Object.keys(api)));
    expect(targets.length).toBe(Object.values(api).reduce((n, f) => n + Object.keys(f).length, 0));
    const { booking: _left, ...missing } = featureHandlers;
    expect(() => fuzzTargets(api, missing)).toThrow(/no handler for feature\(s\) booking/);
    expect(() => fuzzTargets({ ...api, newFeature: {} }, featureHandlers)).toThrow(/newFeature/);
  });
});

describe.each(byFeature)('%s under random input', (_feature, routes) => {
  it('never answers 5xx, and every refusal is in the error format', async () => {
    for (const t of routes) await fuzzRoute(t);
  });
});

describe('the cases of the old per-feature fuzz tests', () => {
  it('a guarded route answers 401 to any random Authorization header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`), fc.base64String().map((s) => `Bearer ${s}.${s}.${s}`)), async (authz) => {
        const r = await call(featureHandlers.auth, api.auth.me, { headers: { authorization: authz } });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toMatch(/UNAUTHENTICATED|TOKEN_EXPIRED/);
      }),
      { numRuns: 200 },
    );
  });

  it('a correctly signed HIS push of random JSON is accepted or a 400, never 5xx', async () => {
    const routes = [api.payments.hisBills, api.payments.hisAdmissions, api.payments.hisCharges] as RouteDef[];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.json(), async (route, body) => {
        const r = await call(featureHandlers.payments, route, { rawBody: body, headers: world.signers![`POST ${route.path}`](body) });
        expect([202, 400], r.text).toContain(r.status);
      }),
      { numRuns: 200 },
    );
  });

  it('a signed HL7 push (kiosk or lab) cut short at any field of any segment is refused or accepted, never 5xx', async () => {
    for (const key of ['POST /v1/iot/readings', 'POST /v1/integrations/lab/reports']) {
      const t = targets.find((x) => x.key === key)!;
      const sample = world.samples![key].find((x) => typeof x.body === 'string')!;
      const segments = (sample.body as string).split('\r');
      for (let i = 0; i < segments.length; i++) {
        const fields = segments[i].split('|');
        for (let k = 1; k < fields.length; k++) {
          const rawBody = [...segments.slice(0, i), fields.slice(0, k).join('|'), ...segments.slice(i + 1)].join('\r');
          const found = await fuzzOnce(t, { params: {}, rawBody, headers: { 'content-type': sample.contentType }, auth: 'none', sourceIp: '10.0.0.1', sign: true }, world, stats);
          expect(found, `${key} segment ${i} cut at field ${k}`).toEqual([]);
        }
      }
    }
  });

  it('random payment orders from a real family are refused with a 4xx', async () => {
    const { token } = await family();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ purpose: fc.oneof(fc.constantFrom('bill', 'deposit', 'appointment'), fc.string()), refId: fc.oneof(fc.string(), fc.constant('adm-x')), refIds: fc.array(fc.string(), { maxLength: 3 }), channel: fc.constantFrom('wechat', 'alipay', 'x'), amount: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
        async (body) => {
          const r = await call(featureHandlers.payments, api.payments.create, { token, body, headers: { 'idempotency-key': `fuzz-key-${n++}` } });
          expect(r.status, r.text).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
