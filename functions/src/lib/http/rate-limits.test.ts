/**
 * Rate limits of the shared stack, against DynamoDB Local: every write and every public route of
 * the contract is limited (generated from the contract, so a new route cannot skip it), 429 with
 * Retry-After and a Chinese message, per account / address / request value, and the counters hold
 * across two handler instances (a fresh module load: its own SDK client and memory).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, route, routeKey, type RouteDef } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { db, table } from '../table';
import { featureHandler } from './index';
import { clientAddress, DEFAULT_RATE_RULES, isAnonymousRoute, isWriteRoute, rulesFor } from './rate-limits';

const everyRoute = Object.entries(api).flatMap(([feature, routes]) =>
  Object.entries(routes as Record<string, RouteDef>).map(([name, d]) => [`${feature}.${name}`, d] as const),
);

describe('the contract: every write and every public route is rate-limited', () => {
  it.each(everyRoute.filter(([, d]) => isWriteRoute(d) || isAnonymousRoute(d)))('%s has limits', (name, d) => {
    const rules = rulesFor(d);
    if (name === 'emergency.create') {
      expect(rules).toEqual([]);
      return;
    }
    expect(rules.length).toBeGreaterThan(0);
    if (isWriteRoute(d)) expect(rules.some((r) => r.per === 'account'), 'counted per account').toBe(true);
    if (isAnonymousRoute(d)) expect(rules.some((r) => r.per === 'ip'), 'counted per address').toBe(true);
  });

  it('only the SOS itself is never refused', () => {
    const never = everyRoute.filter(([, d]) => d.rateLimit && 'neverRefuse' in d.rateLimit).map(([n]) => n);
    expect(never).toEqual(['emergency.create']);
  });

  it('rules name values the route has (path parameters, body members), with sane numbers', () => {
    for (const [name, d] of everyRoute) {
      for (const r of rulesFor(d)) {
        expect(r.max, name).toBeGreaterThan(0);
        expect(r.windowSeconds, name).toBeGreaterThanOrEqual(1);
        const [where, key] = r.per.split('.');
        if (where === 'params') expect(d.path, name).toContain(`{${key}}`);
        if (where === 'body') expect(Object.keys((d.body as z.ZodObject<z.ZodRawShape>)?.shape ?? {}), name).toContain(key);
      }
    }
  });

  it('a route that says nothing is limited by default', () => {
    const w = route({ method: 'POST', path: '/v1/t/new', access: ['patient'], response: z.object({}), summary: 't' });
    const p = route({ method: 'GET', path: '/v1/t/new', access: 'public', response: z.object({}), summary: 't' });
    const s = route({ method: 'POST', path: '/v1/t/hook', access: 'signature', rawBody: true, response: z.object({}), summary: 't' });
    expect(rulesFor(w)).toEqual([DEFAULT_RATE_RULES.account]);
    expect(rulesFor(p)).toEqual([DEFAULT_RATE_RULES.ip]);
    expect(rulesFor(s)).toEqual([DEFAULT_RATE_RULES.account, DEFAULT_RATE_RULES.signatureIp]);
  });

  it('a read by a logged-in caller is not counted unless the route asks', () => {
    expect(rulesFor(api.booking.mine)).toEqual([]);
    expect(rulesFor(api.privacy.exportData).map((r) => r.per)).toEqual(['account']);
  });
});

describe('client addresses', () => {
  it('IPv4 as is; IPv6 by its /64; mapped IPv4 as IPv4', () => {
    expect(clientAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress('2408:8207:1851:a0b0:1c2d:3e4f:5a6b:7c8d')).toBe('2408:8207:1851:a0b0::/64');
    expect(clientAddress('2408:8207:1851:a0b0::1')).toBe('2408:8207:1851:a0b0::/64');
    expect(clientAddress('2408:8207:1851:A0B0:ffff::2')).toBe('2408:8207:1851:a0b0::/64');
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
    expect(clientAddress('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientAddress(undefined)).toBe('unknown');
  });
});

const tag = randomUUID().slice(0, 8);
const routes = {
  write: route({
    method: 'POST',
    path: `/v1/t-${tag}/write`,
    access: ['patient'],
    body: z.object({ phone: z.string().min(3) }),
    response: z.object({ n: z.number() }),
    rateLimit: { rules: [{ per: 'account', max: 3, windowSeconds: 60 }, { per: 'body.phone', max: 4, windowSeconds: 3600 }], message: '提交过于频繁，请稍后再试' },
    summary: 't',
  }),
  open: route({ method: 'GET', path: `/v1/t-${tag}/open`, access: 'public', response: z.object({}), rateLimit: { rules: [{ per: 'ip', max: 2, windowSeconds: 60 }] }, summary: 't' }),
};
let n = 0;
const impls = { write: async () => ({ n: ++n }), open: async () => ({}) };
const handler = featureHandler(routes, impls);

describe('a limited route', () => {
  it('answers 429 RATE_LIMITED with Retry-After and a Chinese message once the account used its share', async () => {
    const token = await tokenFor(['patient']);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await call(handler, routes.write, { token, body: { phone: `p-${randomUUID()}` } }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    const refused = results[3];
    expect(refused.body.error).toEqual({ code: 'RATE_LIMITED', message: '提交过于频繁，请稍后再试' });
    const after = Number(refused.headers['retry-after']);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(60);
    // Another account is counted apart.
    expect((await call(handler, routes.write, { token: await tokenFor(['patient']), body: { phone: `p-${randomUUID()}` } })).status).toBe(200);
  });

  it('counts a value of the request (a phone) across accounts, stored only as a digest', async () => {
    const phone = `139${Date.now()}`.slice(0, 11);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(handler, routes.write, { token: await tokenFor(['patient']), body: { phone } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const bucket = `RATE#body.phone:${routeKey(routes.write)}:3600:`;
    const clear = await db.send(new GetCommand({ TableName: table(), Key: { PK: `${bucket}${phone}`, SK: `W#${Math.floor(Date.now() / 1000 / 3600) * 3600}` } }));
    expect(clear.Item).toBeUndefined();
  });

  it('a request refused as malformed costs no count', async () => {
    const token = await tokenFor(['patient']);
    for (let i = 0; i < 5; i++) expect((await call(handler, routes.write, { token, body: { phone: '' } })).status).toBe(400);
    expect((await call(handler, routes.write, { token, body: { phone: `p-${randomUUID()}` } })).status).toBe(200);
  });

  it('counts public callers by address: another address is not refused', async () => {
    const ip = `198.51.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(handler, routes.open, { sourceIp: ip })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await call(handler, routes.open, { sourceIp: `192.0.2.${Math.floor(Math.random() * 255)}` })).status).toBe(200);
  });

  it('holds across two handler instances sharing the table (a fresh module load)', async () => {
    vi.resetModules();
    const fresh = await import('./index');
    const other = fresh.featureHandler(routes, impls);
    expect(other).not.toBe(handler);
    const token = await tokenFor(['patient']);
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(i % 2 ? other : handler, routes.write, { token, body: { phone: `p-${randomUUID()}` } })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    // Concurrently too: the conditional write admits exactly the limit.
    const t2 = await tokenFor(['patient']);
    const racing = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(i % 2 ? other : handler, routes.write, { token: t2, body: { phone: `p-${randomUUID()}` } })),
    );
    expect(racing.filter((r) => r.status === 200)).toHaveLength(3);
    expect(racing.filter((r) => r.status === 429)).toHaveLength(9);
  });
});
