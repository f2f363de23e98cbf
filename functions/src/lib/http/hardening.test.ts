/**
 * Input hardening on every route of the contract, before any handler runs: a JSON body that is
 * not an object where the route takes one is a 400 VALIDATION_FAILED naming `body`; a path id over
 * MAX_ID_CHARS is a 404 (as an unknown id is), another path value or a query value over it a 400,
 * each naming it;
 * numbers and nesting the table cannot keep are a 400; every answer carries nosniff and no-referrer.
 */
import { describe, expect, it } from 'vitest';
import { api, OrgRoles, type RouteDef, type Role } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { MAX_ID_CHARS } from './middlewares';
import { MAX_NESTING } from './storable';

const all = Object.entries(api).flatMap(([feature, routes]) =>
  Object.entries(routes as Record<string, RouteDef>).map(([name, d]) => [`${feature}.${name}`, feature, d] as const),
);
const handlerOf = async (feature: string) => (await import(`../../${feature}/handler.ts`)).handler;
const staffAt = (role: Role) => ((OrgRoles as readonly Role[]).includes(role) ? 'org-hardening' : undefined);
const tokenOf = async (d: RouteDef) => (Array.isArray(d.access) ? tokenFor([d.access[0] as Role], undefined, staffAt(d.access[0] as Role)) : undefined);
const paramsOf = (d: RouteDef, value = 'x1') => Object.fromEntries([...d.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], value]));

const NOT_OBJECTS = ['false', '0', 'null', '[]', '[{}]', '"x"', 'true', '1.5'];

describe('a JSON body that is not an object', () => {
  const withBody = all.filter(([, , d]) => d.body && !d.rawBody);
  it.each(withBody)('%s: 400 VALIDATION_FAILED naming body', async (_n, feature, d) => {
    const handler = await handlerOf(feature);
    const token = await tokenOf(d);
    for (const rawBody of NOT_OBJECTS) {
      const r = await call(handler, d, { params: paramsOf(d), rawBody, token, headers: { 'idempotency-key': `hardening-${Math.random()}` } });
      expect(r.status, `${rawBody}: ${r.text}`).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain('body');
    }
  });
});

describe('an id over the limit', () => {
  const withParams = all.filter(([, , d]) => /\{\w+\}/.test(d.path));
  it.each(withParams)('%s: a path parameter over the limit is refused naming it, before the handler', async (_n, feature, d) => {
    const handler = await handlerOf(feature);
    const params = paramsOf(d, 'a'.repeat(MAX_ID_CHARS + 1));
    const r = await call(handler, d, { params, body: {}, token: await tokenOf(d), headers: { 'idempotency-key': `hardening-${Math.random()}` } });
    // An id (`…Id`, `…No`, a QR code) is not found; a value (a date, a purpose) is invalid.
    const names = Object.keys(params);
    const isId = names.some((n) => /(Id|No)$|^code$/.test(n));
    expect(r.status, r.text).toBe(isId ? 404 : 400);
    expect(r.body.error.code).toBe(isId ? 'NOT_FOUND' : 'VALIDATION_FAILED');
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(Object.keys(params).map((k) => `params.${k}`)));
  });

  const withQuery = all.filter(([, , d]) => d.query);
  it.each(withQuery)('%s: a query value over the limit is a 400 naming it', async (_n, feature, d) => {
    const handler = await handlerOf(feature);
    const r = await call(handler, d, { params: paramsOf(d), query: { patientId: 'p'.repeat(5000) }, token: await tokenOf(d) });
    expect(r.status, r.text).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toContain('query.patientId');
  });

  it('an id at the limit still reaches the route (and is simply not found)', async () => {
    const handler = await handlerOf('booking');
    const r = await call(handler, api.booking.get, { params: { appointmentId: 'a'.repeat(MAX_ID_CHARS) }, token: await tokenFor(['patient']) });
    expect(r.status).toBe(404);
  });
});

describe('JSON that cannot be kept', () => {
  it('a number the table cannot store is a 400 naming it (a station at longitude -1.5e-323)', async () => {
    const handler = await handlerOf('emergency');
    // Rescue points are the platform admin's (README: staff authority).
    const token = await tokenFor(['platform_admin']);
    for (const lng of ['-1.5e-323', '1e-131', '1e200']) {
      const r = await call(handler, api.emergency.addStation, { token, rawBody: `{"name":"测试站","kind":"station","lat":30,"lng":${lng},"coordSystem":"wgs84"}` });
      expect(r.status, lng).toBe(400);
      expect(r.body.error.fields[0].path).toBe('body.lng');
    }
  });

  it(`a body nested deeper than ${MAX_NESTING} levels is a 400`, async () => {
    const handler = await handlerOf('patients');
    const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
    for (const value of [objects(MAX_NESTING + 1), arrays(MAX_NESTING + 1), arrays(100_000)]) {
      const r = await call(handler, api.patients.create, { token: await tokenFor(['patient']), rawBody: `{"name":${value}}` });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.fields[0].path).toMatch(/^body\.name/);
    }
  });
});

describe('headers of every API answer', () => {
  it('JSON answers, errors included, carry nosniff and no-referrer', async () => {
    const handler = await handlerOf('health');
    for (const r of [await call(handler, api.health.health), await call(handler, api.health.health, { method: 'DELETE' })]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
