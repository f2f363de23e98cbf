import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { api, route, type TokenPair } from '@hospital/shared';
import {
  ApiError,
  createClient,
  describeError,
  type StoredTokens,
  type TokenStore,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './client';

// ---------------------------------------------------------------------------------------------
// A fake server: answers from a script, records every request.

type Handler = (req: TransportRequest) => TransportResponse | 'no-response';

function fakeTransport(handlers: Handler[]) {
  const requests: TransportRequest[] = [];
  const transport: Transport = async (req) => {
    requests.push(req);
    const h = handlers.shift();
    if (!h) throw new Error(`unexpected request ${req.method} ${req.url}`);
    const res = h(req);
    if (res === 'no-response') throw Object.assign(new Error('request:fail'), { errMsg: 'request:fail timeout' });
    return res;
  };
  return { transport, requests };
}

function memoryTokens(initial: StoredTokens | null) {
  let current: StoredTokens | null = initial;
  const store: TokenStore & { cleared: number } = {
    cleared: 0,
    get: () => current,
    set: (pair: TokenPair) => {
      current = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    },
    clear: () => {
      current = null;
      store.cleared++;
    },
  };
  return store;
}

const user = { id: 'u-patient-1', name: '张三', roles: ['patient' as const] };
const pair = (n: number): TokenPair => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresAt: '2030-01-01T00:00:00+08:00',
  user,
});
const ok = (data: unknown): TransportResponse => ({ status: 200, data });
const fail = (status: number, code: string, message = code, fields?: unknown): TransportResponse => ({
  status,
  data: { error: { code, message, ...(fields ? { fields } : {}) } },
});

/** A write the client may retry, with path params and a body (as the booking issue will add). */
const bookRoute = route({
  method: 'POST',
  path: '/v1/schedules/{scheduleId}/appointments',
  access: ['patient'],
  body: z.object({ patientId: z.string().min(1, '请选择就诊人') }),
  response: z.object({ id: z.string(), status: z.string() }),
  idempotency: 'required',
  summary: 'test: book',
});

const searchRoute = route({
  method: 'GET',
  path: '/v1/doctors',
  access: 'public',
  query: z.object({ deptId: z.string(), page: z.coerce.number().int().min(1).optional() }),
  response: z.object({ doctors: z.array(z.string()) }),
  summary: 'test: search',
});

let authRequired: ApiError[];
let keys: number;

function setup(handlers: Handler[], tokens: StoredTokens | null = { accessToken: 'access-1', refreshToken: 'refresh-1' }) {
  const t = fakeTransport(handlers);
  const store = memoryTokens(tokens);
  const client = createClient({
    baseUrl: 'http://api.test',
    transport: t.transport,
    tokens: store,
    isOffline: async () => false,
    onAuthRequired: (e) => authRequired.push(e),
    newKey: () => `key-${++keys}`,
  });
  return { client, requests: t.requests, store };
}

beforeEach(() => {
  authRequired = [];
  keys = 0;
});

// ---------------------------------------------------------------------------------------------

describe('requests are built from the contract', () => {
  it('a public GET carries no token and parses the response', async () => {
    const health = { status: 'ok', stage: 'local', region: 'cn-northwest-1', time: 'now', table: { name: 't', status: 'ACTIVE' } };
    const { client, requests } = setup([() => ok(health)]);
    await expect(client.call(api.health.health)).resolves.toEqual(health);
    expect(requests[0]).toMatchObject({ method: 'GET', url: 'http://api.test/v1/health' });
    expect(requests[0].headers.Authorization).toBeUndefined();
    expect(requests[0].body).toBeUndefined();
  });

  it('a route that needs a role carries the access token', async () => {
    const { client, requests } = setup([() => ok(user)]);
    await client.call(api.auth.me);
    expect(requests[0].headers.Authorization).toBe('Bearer access-1');
  });

  it('a public route carries a token only when the call gives one (an emergency capability), never the session on its own', async () => {
    const view = { status: 'ok', stage: 'local', region: 'r', time: 'now', table: { name: 't', status: 'ACTIVE' } };
    const { client, requests } = setup([() => ok(view), () => ok(view)]);
    await client.call(api.health.health, { bearer: 'cap-123' });
    await client.call(api.health.health);
    expect(requests[0].headers.Authorization).toBe('Bearer cap-123');
    expect(requests[1].headers.Authorization).toBeUndefined();
  });

  it('an emergency capability travels with the device secret it is bound to, when the call gives one', async () => {
    const view = { status: 'ok', stage: 'local', region: 'r', time: 'now', table: { name: 't', status: 'ACTIVE' } };
    const { client, requests } = setup([() => ok(view), () => ok(view)]);
    await client.call(api.health.health, { bearer: 'cap-123', deviceSecret: 'device-secret-of-this-phone' });
    await client.call(api.health.health, { bearer: 'cap-123' });
    expect(requests[0].headers['X-Device-Secret']).toBe('device-secret-of-this-phone');
    expect(requests[1].headers['X-Device-Secret']).toBeUndefined();
  });

  it('fills path parameters (encoded) and sends the parsed body as JSON', async () => {
    const { client, requests } = setup([() => ok({ id: 'a1', status: 'confirmed' })]);
    await client.call(bookRoute, { params: { scheduleId: 's/1 2' }, body: { patientId: 'p1' } });
    expect(requests[0].url).toBe('http://api.test/v1/schedules/s%2F1%202/appointments');
    expect(requests[0].headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(requests[0].body!)).toEqual({ patientId: 'p1' });
  });

  it('serialises the query after checking it, leaving out undefined values', async () => {
    const { client, requests } = setup([() => ok({ doctors: [] })]);
    await client.call(searchRoute, { query: { deptId: '内科 1', page: 2 } });
    expect(requests[0].url).toBe(`http://api.test/v1/doctors?deptId=${encodeURIComponent('内科 1')}&page=2`);
  });

  it('a body the schema rejects is never sent; the error names the field', async () => {
    const { client, requests } = setup([]);
    const err = await client.call(api.auth.login, { body: { provider: 'wechat', code: '  ' } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'invalid-input', code: 'VALIDATION_FAILED', status: 400 });
    expect(err.fieldError('code')).toBe('登录凭证不能为空');
    expect(err.fields[0].path).toBe('body.code');
    expect(requests).toHaveLength(0);
  });

  it('a 2xx that does not match the contract is a bad-response error, not data', async () => {
    const { client } = setup([() => ok({ id: 1 })]);
    await expect(client.call(api.auth.me)).rejects.toMatchObject({ kind: 'bad-response', code: 'BAD_RESPONSE' });
  });
});

describe('errors in the { error: { code, message, fields } } format', () => {
  it('become a typed ApiError with status, code, message and fields', async () => {
    const fields = [{ path: 'body.patientId', message: '就诊人不存在' }];
    const { client } = setup([() => fail(400, 'VALIDATION_FAILED', '输入有误', fields)]);
    const err: ApiError = await client
      .call(bookRoute, { params: { scheduleId: 's1' }, body: { patientId: 'p9' } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'VALIDATION_FAILED', message: '输入有误' });
    expect(err.fieldError('patientId')).toBe('就诊人不存在');
  });

  it('a 409 keeps the server code and its Chinese message for the person', async () => {
    const { client } = setup([() => fail(409, 'SLOT_FULL', '该时段号源已满')]);
    const err = await client.call(bookRoute, { params: { scheduleId: 's1' }, body: { patientId: 'p1' } }).catch((e) => e);
    expect(err).toMatchObject({ status: 409, code: 'SLOT_FULL' });
    expect(describeError(err)).toBe('该时段号源已满');
  });

  it('a body in another format (a proxy page) gets a code from the status', async () => {
    const { client } = setup([() => ({ status: 502, data: '<html>Bad Gateway</html>' })]);
    const err = await client.call(api.health.health).catch((e) => e);
    expect(err).toMatchObject({ kind: 'http', status: 502, code: 'HTTP_502' });
    expect(describeError(err)).toBe('服务暂时不可用，请稍后重试');
  });

  it('a 403 is not a logout', async () => {
    const { client, store } = setup([() => fail(403, 'FORBIDDEN', 'forbidden')]);
    const err = await client.call(api.auth.me).catch((e) => e);
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(store.get()).not.toBeNull();
    expect(authRequired).toHaveLength(0);
    expect(describeError(err)).toBe('您没有权限进行此操作');
  });
});

describe('no response: offline is told apart from an unreachable server', () => {
  it('the device has no network → offline', async () => {
    const t = fakeTransport([() => 'no-response']);
    const client = createClient({
      baseUrl: 'http://api.test',
      transport: t.transport,
      tokens: memoryTokens(null),
      isOffline: async () => true,
    });
    const err = await client.call(api.health.health).catch((e) => e);
    expect(err).toMatchObject({ kind: 'offline', code: 'OFFLINE', status: 0, offline: true });
    expect(describeError(err)).toBe('网络不可用，请检查网络后重试');
  });

  it('the device has a network but nothing answered → network', async () => {
    const { client } = setup([() => 'no-response']);
    const err = await client.call(api.health.health).catch((e) => e);
    expect(err).toMatchObject({ kind: 'network', code: 'NETWORK_ERROR', offline: false });
  });
});

describe('an expired access token is refreshed once', () => {
  it('refreshes, stores the new pair and retries the same request with the new token', async () => {
    const { client, requests, store } = setup([
      () => fail(401, 'TOKEN_EXPIRED'),
      () => ok(pair(2)),
      () => ok(user),
    ]);
    await expect(client.call(api.auth.me)).resolves.toEqual(user);
    expect(requests.map((r) => `${r.method} ${r.url.replace('http://api.test', '')}`)).toEqual([
      'GET /v1/auth/me',
      'POST /v1/auth/refresh',
      'GET /v1/auth/me',
    ]);
    expect(JSON.parse(requests[1].body!)).toEqual({ refreshToken: 'refresh-1' });
    expect(requests[0].headers.Authorization).toBe('Bearer access-1');
    expect(requests[2].headers.Authorization).toBe('Bearer access-2');
    expect(store.get()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(authRequired).toHaveLength(0);
  });

  it('does not refresh a second time when the retry is refused too: the person logs in again', async () => {
    const { client, requests, store } = setup([
      () => fail(401, 'TOKEN_EXPIRED'),
      () => ok(pair(2)),
      () => fail(401, 'TOKEN_EXPIRED'),
    ]);
    await expect(client.call(api.auth.me)).rejects.toMatchObject({ status: 401 });
    expect(requests.filter((r) => r.url.endsWith('/v1/auth/refresh'))).toHaveLength(1);
    expect(requests).toHaveLength(3);
    expect(store.get()).toBeNull();
    expect(authRequired).toHaveLength(1);
  });

  it('a refused refresh ends the session and asks for a login', async () => {
    const { client, requests, store } = setup([() => fail(401, 'TOKEN_EXPIRED'), () => fail(401, 'UNAUTHENTICATED')]);
    await expect(client.call(api.auth.me)).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(requests).toHaveLength(2);
    expect(store.cleared).toBe(1);
    expect(authRequired).toHaveLength(1);
  });

  it('a refresh that gets no response keeps the session (the person is just offline)', async () => {
    const { client, store } = setup([() => fail(401, 'TOKEN_EXPIRED'), () => 'no-response']);
    await expect(client.call(api.auth.me)).rejects.toMatchObject({ kind: 'network' });
    expect(store.get()).not.toBeNull();
    expect(authRequired).toHaveLength(0);
  });

  it('any other 401 (a revoked session) logs out without trying to refresh', async () => {
    const { client, requests, store } = setup([() => fail(401, 'UNAUTHENTICATED')]);
    await expect(client.call(api.auth.me)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(requests).toHaveLength(1);
    expect(store.get()).toBeNull();
    expect(authRequired).toHaveLength(1);
  });

  it('calls that expire together share one refresh', async () => {
    const handlers: Handler[] = [];
    const t = fakeTransport(handlers);
    const store = memoryTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    let refreshes = 0;
    const transport: Transport = async (req) => {
      if (req.url.endsWith('/v1/auth/refresh')) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return ok(pair(2));
      }
      return req.headers.Authorization === 'Bearer access-2' ? ok(user) : fail(401, 'TOKEN_EXPIRED');
    };
    const client = createClient({ baseUrl: 'http://api.test', transport, tokens: store });
    const results = await Promise.all([client.call(api.auth.me), client.call(api.auth.me), client.call(api.auth.me)]);
    expect(results).toEqual([user, user, user]);
    expect(refreshes).toBe(1);
    expect(t.requests).toHaveLength(0);
  });

  it('a call that needs a login and has no token asks for one without a request', async () => {
    const { client, requests } = setup([], null);
    await expect(client.call(api.auth.me)).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(requests).toHaveLength(0);
    expect(authRequired).toHaveLength(1);
  });
});

describe('Idempotency-Key: one key per user action, the same key on every retry', () => {
  const args = { params: { scheduleId: 's1' }, body: { patientId: 'p1' } };

  it('is sent on routes that declare idempotency, and only there', async () => {
    const { client, requests } = setup([() => ok({ id: 'a1', status: 'confirmed' }), () => ok(user)]);
    await client.call(bookRoute, args);
    await client.call(api.auth.me);
    expect(requests[0].headers['Idempotency-Key']).toBe('key-1');
    expect(requests[1].headers['Idempotency-Key']).toBeUndefined();
  });

  it('the retry after a token refresh carries the same key', async () => {
    const { client, requests } = setup([
      () => fail(401, 'TOKEN_EXPIRED'),
      () => ok(pair(2)),
      () => ok({ id: 'a1', status: 'confirmed' }),
    ]);
    await client.call(bookRoute, args);
    expect(requests[0].headers['Idempotency-Key']).toBe('key-1');
    expect(requests[2].headers['Idempotency-Key']).toBe('key-1');
    expect(requests[1].headers['Idempotency-Key']).toBeUndefined();
  });

  it('sending a prepared action again (重试 after a network error) reuses its key', async () => {
    const { client, requests } = setup([() => 'no-response', () => ok({ id: 'a1', status: 'confirmed' })]);
    const action = client.prepare(bookRoute, args);
    await expect(action.send()).rejects.toMatchObject({ kind: 'network' });
    await expect(action.send()).resolves.toEqual({ id: 'a1', status: 'confirmed' });
    expect(action.idempotencyKey).toBe('key-1');
    expect(requests.map((r) => r.headers['Idempotency-Key'])).toEqual(['key-1', 'key-1']);
  });

  it('a new action gets a new key', async () => {
    const { client, requests } = setup([() => ok({ id: 'a1', status: 'ok' }), () => ok({ id: 'a2', status: 'ok' })]);
    await client.prepare(bookRoute, args).send();
    await client.prepare(bookRoute, args).send();
    expect(requests.map((r) => r.headers['Idempotency-Key'])).toEqual(['key-1', 'key-2']);
  });

  it('a key given by the caller is used as is', async () => {
    const { client, requests } = setup([() => ok({ id: 'a1', status: 'ok' })]);
    await client.call(bookRoute, { ...args, idempotencyKey: 'from-caller' });
    expect(requests[0].headers['Idempotency-Key']).toBe('from-caller');
  });
});

// Compile-time checks: these lines fail `npm run typecheck -w miniprogram` if the types loosen.
export function typeChecks(client: ReturnType<typeof createClient>) {
  void client.call(api.health.health);
  void client.call(api.auth.login, { body: { provider: 'dev', code: 'u1' } });
  // @ts-expect-error a route with a body needs it
  void client.call(api.auth.login);
  // @ts-expect-error provider must be one of the contract's
  void client.call(api.auth.login, { body: { provider: 'qq', code: 'u1' } });
  // @ts-expect-error path parameters are named by the path
  void client.call(bookRoute, { params: { schedule: 's1' }, body: { patientId: 'p1' } });
  // @ts-expect-error path parameters are required when the path has them
  void client.call(bookRoute, { body: { patientId: 'p1' } });
  // @ts-expect-error a route without a body takes none
  void client.call(api.auth.me, { body: { x: 1 } });
  const me: Promise<{ id: string; name: string }> = client.call(api.auth.me);
  void me;
}
