/** Random path ids, bodies, raw bodies and query strings at every care route: never a 5xx. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { api, type RouteDef, type Role } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler as care } from './handler';
import { handler as medication } from '../medication/handler';
import { handler as messages } from '../messages/handler';
import { handler as followups } from '../followups/handler';

const features = [
  ['care', care],
  ['medication', medication],
  ['messages', messages],
  ['followups', followups],
] as const;

const cases = features.flatMap(([feature, handler]) =>
  Object.entries(api[feature] as Record<string, RouteDef>).map(([name, d]) => [`${feature}.${name}`, handler, d] as const),
);

const pathId = fc.oneof(fc.string(), fc.constantFrom('x1', 'a'.repeat(300), '../..', '%00', '💥', 'ct-0', '2025-06-01_0800', 'img-x'), fc.stringMatching(/^[\w-]{1,90}$/));
const body = fc.oneof(
  fc.jsonValue(),
  fc.object(),
  fc.string().map((s) => ({ patientId: s, teamId: s, packageId: s, contractId: s, text: s, imageId: s, decision: s, reason: s, date: s, accepted: true, agreementVersion: s })),
  fc.record({ contentType: fc.constantFrom('image/png', 'image/jpeg'), dataBase64: fc.base64String({ maxLength: 400 }) }),
);
const query = fc.dictionary(fc.constantFrom('status', 'orgId', 'teamId', 'before', 'open', 'all', 'patientId', 'exp', 'sig'), fc.string());

describe('family-doctor, medication, messages and follow-up routes under random input', () => {
  it.each(cases)('%s never answers 5xx', async (_n, handler, d) => {
    const role = (Array.isArray(d.access) ? d.access[0] : 'patient') as Role;
    const token = await tokenFor([role], undefined, 'org-fuzz');
    const names = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    await fc.assert(
      fc.asyncProperty(fc.array(pathId, { minLength: names.length, maxLength: names.length }), body, query, fc.string({ minLength: 0, maxLength: 140 }), async (ids, b, q, key) => {
        const params = Object.fromEntries(names.map((n, i) => [n, ids[i]]));
        const raw = d.rawBody ? { rawBody: typeof b === 'string' ? b : JSON.stringify(b) } : { body: b };
        const r = await call(handler, d, { params, ...raw, query: q, token, headers: { 'idempotency-key': key } });
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.body?.error?.code).toBe('string');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
    );
  });
});
