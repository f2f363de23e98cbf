/**
 * The contract in shared/ and serverless.yml describe the same routes, and every route that
 * names roles refuses a caller without a token (401) and a caller of any other role (403).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { api, Roles, routeKey, type RouteDef, type Role } from '@hospital/shared';
import { call, tokenFor } from '#test/http';

const sls = parse(readFileSync(resolve(import.meta.dirname, '../../serverless.yml'), 'utf8'));
const declared = (fn: string): string[] =>
  (sls.functions[fn]?.events ?? []).filter((e: { httpApi?: unknown }) => typeof e.httpApi === 'string').map((e: { httpApi: string }) => e.httpApi);

const features = Object.entries(api) as [string, Record<string, RouteDef>][];

describe('the contract and serverless.yml', () => {
  it.each(features)('function %s declares exactly the contract routes', (feature, routes) => {
    expect(declared(feature).sort()).toEqual(Object.values(routes).map(routeKey).sort());
    expect(sls.functions[feature].handler).toBe(`functions/src/${feature}/handler.handler`);
  });

  it('has a catch-all for unmatched routes and no route outside the contract', () => {
    expect(declared('fallback')).toEqual(['*']);
    const all = Object.keys(sls.functions).filter((f) => f !== 'fallback').flatMap(declared);
    const known = new Set(features.flatMap(([, r]) => Object.values(r).map(routeKey)));
    expect(all.filter((k) => !known.has(k))).toEqual([]);
  });
});

describe('every route declares who may call it', () => {
  const guarded = features.flatMap(([feature, routes]) =>
    Object.entries(routes)
      .filter(([, d]) => Array.isArray(d.access))
      .map(([name, d]) => [`${feature}.${name}`, feature, d] as const),
  );

  it('every route has an access rule', () => {
    for (const [, routes] of features) for (const d of Object.values(routes)) expect(d.access === 'public' || d.access === 'signature' || (Array.isArray(d.access) && d.access.length > 0)).toBe(true);
  });

  it.each(guarded)('%s: 401 without a token, 403 for other roles', async (_n, feature, d) => {
    const { handler } = await import(`./${feature}/handler.ts`);
    const params = Object.fromEntries([...d.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'x1']));
    const anon = await call(handler, d, { params, body: {} });
    expect(anon.status).toBe(401);
    const others = Roles.filter((r) => !(d.access as readonly Role[]).includes(r));
    for (const role of others) {
      const r = await call(handler, d, { params, body: {}, token: await tokenFor([role]) });
      expect(r.status, `${role} on ${routeKey(d)}`).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
  });
});
