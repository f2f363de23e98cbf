/** Random path ids, bodies and query strings at every booking-related route: never a 5xx. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { api, type RouteDef, type Role } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler as booking } from './handler';
import { handler as catalog } from '../catalog/handler';
import { handler as patients } from '../patients/handler';
import { handler as qr } from '../qr/handler';
import { handler as queue } from '../queue/handler';
import { handler as notifications } from '../notifications/handler';

const features = [
  ['booking', booking],
  ['catalog', catalog],
  ['patients', patients],
  ['qr', qr],
  ['queue', queue],
  ['notifications', notifications],
] as const;

const cases = features.flatMap(([feature, handler]) =>
  Object.entries(api[feature] as Record<string, RouteDef>).map(([name, d]) => [`${feature}.${name}`, handler, d] as const),
);

const pathId = fc.oneof(fc.string(), fc.constantFrom('x1', 'a'.repeat(300), '../..', '%00', '💥', 'ap-0', 'p-0'), fc.stringMatching(/^[\w-]{1,90}$/));
const body = fc.oneof(fc.jsonValue(), fc.object(), fc.string().map((s) => ({ scheduleId: s, patientId: s, name: s, idNumber: s, code: s, reason: s, capacity: s })));
const query = fc.dictionary(fc.constantFrom('from', 'to', 'filter', 'size', 'date', 'orgId'), fc.string());

describe('booking, catalog, patients, QR, queue and notifications under random input', () => {
  it.each(cases)('%s never answers 5xx', async (_n, handler, d) => {
    const role = (Array.isArray(d.access) ? d.access[0] : 'patient') as Role;
    const token = await tokenFor([role], undefined, 'org-fuzz');
    const names = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    await fc.assert(
      fc.asyncProperty(fc.array(pathId, { minLength: names.length, maxLength: names.length }), body, query, fc.string({ minLength: 0, maxLength: 140 }), async (ids, b, q, key) => {
        const params = Object.fromEntries(names.map((n, i) => [n, ids[i]]));
        const r = await call(handler, d, { params, body: b, query: q, token, headers: { 'idempotency-key': key } });
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.body?.error?.code).toBe('string');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
    );
  });
});
