import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { route } from '@hospital/shared';
import { SignJWT } from 'jose';
import { featureHandler, RawReply } from './index';
import { HttpError } from '../errors';
import { call, tokenFor } from '#test/http';

const Item = z.object({ name: z.string().min(1), qty: z.number().int().positive(), tags: z.array(z.string()).max(2).optional() });

const routes = {
  open: route({ method: 'POST', path: '/v1/t/open', access: 'public', body: Item, response: z.object({ name: z.string() }), summary: 't' }),
  staff: route({ method: 'GET', path: '/v1/t/staff/{id}', access: ['doctor', 'nurse'], query: z.object({ n: z.coerce.number().int().min(1) }), response: z.object({ id: z.string(), n: z.number() }), summary: 't' }),
  write: route({ method: 'POST', path: '/v1/t/write', access: ['patient'], body: Item, idempotency: 'required', response: z.object({ calls: z.number() }), summary: 't' }),
  boom: route({ method: 'GET', path: '/v1/t/boom', access: 'public', response: z.object({}), summary: 't' }),
  conflict: route({ method: 'GET', path: '/v1/t/conflict', access: 'public', response: z.object({}), summary: 't' }),
  raw: route({ method: 'POST', path: '/v1/t/raw', access: 'signature', rawBody: true, response: z.object({}), summary: 't' }),
};

let writes = 0;
const handler = featureHandler(routes, {
  // Returns an extra field the contract does not list: the stack must strip it.
  open: async ({ body }) => ({ name: body.name, secretIdNumber: '110101199003074518' }) as { name: string },
  staff: async ({ params, query }) => ({ id: params.id, n: query.n }),
  write: async () => ({ calls: ++writes }),
  boom: async () => {
    throw new Error('database password is hunter2');
  },
  conflict: async () => {
    throw new HttpError(409, 'SLOT_FULL', '号源已满');
  },
  raw: async ({ rawBody }) => new RawReply(200, `got ${rawBody.length}`),
});

describe('shared http stack', () => {
  it('answers malformed JSON with 400 MALFORMED_JSON in the error format, not 415', async () => {
    const r = await call(handler, routes.open, { rawBody: '{"name": "x",' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MALFORMED_JSON');
  });

  it('names every wrong field by its path', async () => {
    const r = await call(handler, routes.open, { body: { name: '', qty: -1, tags: ['a', 'b', 'c'] } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.name', 'body.qty', 'body.tags']);
  });

  it('validates the query string and reports its field', async () => {
    const token = await tokenFor(['doctor']);
    const bad = await call(handler, routes.staff, { params: { id: 'x' }, query: { n: 'zero' }, token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('query.n');
    const ok = await call(handler, routes.staff, { params: { id: 'a b' }, query: { n: '3' }, token });
    expect(ok.body).toEqual({ id: 'a b', n: 3 });
  });

  it('strips fields the response schema does not list', async () => {
    const r = await call(handler, routes.open, { body: { name: '张三', qty: 1 } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: '张三' });
    expect(r.text).not.toContain('110101');
  });

  it('refuses a role route without a token (401), with a bad one (401) and with another role (403)', async () => {
    expect((await call(handler, routes.staff, { params: { id: '1' }, query: { n: '1' } })).status).toBe(401);
    const forged = await call(handler, routes.staff, { params: { id: '1' }, query: { n: '1' }, token: 'abc.def.ghi' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
    const patient = await call(handler, routes.staff, { params: { id: '1' }, query: { n: '1' }, token: await tokenFor(['patient']) });
    expect(patient.status).toBe(403);
    expect(patient.body.error.code).toBe('FORBIDDEN');
  });

  it('tells an expired token apart so the client can refresh', async () => {
    const key = new TextEncoder().encode(process.env.JWT_SECRET);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ roles: ['doctor'], name: 'x', typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('internet-hospital').setIssuedAt(past - 60).setExpirationTime(past).sign(key);
    const r = await call(handler, routes.staff, { params: { id: '1' }, query: { n: '1' }, token: expired });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a refresh token used as an access token', async () => {
    const { issueRefreshToken } = await import('../tokens');
    const r = await call(handler, routes.staff, { params: { id: '1' }, query: { n: '1' }, token: await issueRefreshToken('u1', 's1') });
    expect(r.status).toBe(401);
  });

  it('needs an Idempotency-Key on retryable writes and replays the first result for a repeat', async () => {
    const token = await tokenFor(['patient']);
    const body = { name: 'x', qty: 1 };
    const missing = await call(handler, routes.write, { body, token });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0].path).toBe('headers.idempotency-key');

    const key = `k-${crypto.randomUUID()}`;
    const before = writes;
    const first = await call(handler, routes.write, { body, token, headers: { 'idempotency-key': key } });
    const again = await call(handler, routes.write, { body, token, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(writes).toBe(before + 1);

    const reused = await call(handler, routes.write, { body: { name: 'y', qty: 2 }, token, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Another person's identical key is a different request.
    const other = await call(handler, routes.write, { body, token: await tokenFor(['patient']), headers: { 'idempotency-key': key } });
    expect(other.status).toBe(200);
    expect(writes).toBe(before + 2);
  });

  it('turns an unexpected error into a 500 that reveals nothing', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await call(handler, routes.boom);
    spy.mockRestore();
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('INTERNAL');
    expect(r.text).not.toContain('hunter2');
  });

  it('passes a typed conflict through with its reason code', async () => {
    const r = await call(handler, routes.conflict);
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ code: 'SLOT_FULL', message: '号源已满' });
  });

  it('gives signature routes the raw body and lets them answer in their own format', async () => {
    const r = await call(handler, routes.raw, { rawBody: 'not json at all', headers: { 'content-type': 'text/xml' } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('got 15');
  });
});
