/**
 * Sessions and their end, against DynamoDB Local: logout stops the access token (at once in the
 * container that logged out, within REVOCATION_REFRESH_MS in any other), refresh keeps the
 * session, 退出所有设备 ends every session and its tokens, and login is limited per address and
 * per account.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { api } from '@hospital/shared';
import { db, table, ttlIn } from '#lib/table';
import { REVOCATION_REFRESH_MS } from '#lib/sessions';
import { issueRefreshToken, REFRESH_TTL_SECONDS } from '#lib/tokens';
import { call } from '#test/http';
import { handler } from './handler';
import { putUser } from './store';

const tag = randomUUID().slice(0, 8);
const demo = (i: number) => `demo-sessions-${tag}-${i}`;

beforeAll(async () => {
  for (let i = 0; i < 4; i++) await putUser({ userId: demo(i), name: `会话测试${i}`, roles: ['patient'], demo: true, createdAt: new Date().toISOString() });
});

const login = (code: string, extra: Record<string, unknown> = {}) => call(handler, api.auth.login, { body: { provider: 'dev', code, ...extra } });
const me = (token: string, h = handler) => call(h, api.auth.me, { token });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Fixed windows: a test that straddles the turn of a window sees fewer refusals; it checks only when it did not. */
const windowOf = (seconds: number) => Math.floor(Date.now() / 1000 / seconds);

describe('logout', () => {
  it('stops the access token at once here, and refresh for good', async () => {
    const s = await login(demo(0));
    expect((await me(s.body.accessToken)).status).toBe(200);
    expect((await call(handler, api.auth.logout, { body: { refreshToken: s.body.refreshToken } })).status).toBe(200);
    const after = await me(s.body.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_REVOKED');
    expect((await call(handler, api.auth.refresh, { body: { refreshToken: s.body.refreshToken } })).status).toBe(401);
  });

  it(`stops it in another container within ${REVOCATION_REFRESH_MS} ms (a fresh module load)`, async () => {
    vi.resetModules();
    const other = (await import('./handler')).handler;
    const s = await login(demo(0));
    expect((await me(s.body.accessToken, other)).status).toBe(200);
    await call(handler, api.auth.logout, { body: { refreshToken: s.body.refreshToken } });
    const loggedOutAt = Date.now();
    let refusedAt = 0;
    while (!refusedAt && Date.now() - loggedOutAt < REVOCATION_REFRESH_MS + 1500) {
      if ((await me(s.body.accessToken, other)).status === 401) refusedAt = Date.now();
      else await sleep(100);
    }
    expect(refusedAt, 'refused in the other container').toBeGreaterThan(0);
    expect(refusedAt - loggedOutAt).toBeLessThanOrEqual(REVOCATION_REFRESH_MS + 500);
  });

  it('ends the whole session: an access token from before the last refresh stops too', async () => {
    const first = await login(demo(1));
    const second = await call(handler, api.auth.refresh, { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
    expect((await me(first.body.accessToken)).status).toBe(200);
    await call(handler, api.auth.logout, { body: { refreshToken: second.body.refreshToken } });
    expect((await me(first.body.accessToken)).status).toBe(401);
    expect((await me(second.body.accessToken)).status).toBe(401);
  });

  it('of one device leaves the other devices logged in', async () => {
    const phone = await login(demo(1));
    const pad = await login(demo(1));
    await call(handler, api.auth.logout, { body: { refreshToken: phone.body.refreshToken } });
    expect((await me(phone.body.accessToken)).status).toBe(401);
    expect((await me(pad.body.accessToken)).status).toBe(200);
  });
});

describe('退出所有设备', () => {
  it('ends every session of the account, the asking one too; their refresh tokens fail', async () => {
    const a = await login(demo(2));
    const b = await login(demo(2));
    const r = await call(handler, api.auth.logoutEverywhere, { token: a.body.accessToken, body: {} });
    expect(r.status).toBe(200);
    expect(r.body.ended).toBeGreaterThanOrEqual(2);
    for (const s of [a, b]) {
      expect((await me(s.body.accessToken)).status).toBe(401);
      expect((await call(handler, api.auth.refresh, { body: { refreshToken: s.body.refreshToken } })).status).toBe(401);
    }
  });

  it('keepThisSession ends only the others', async () => {
    const a = await login(demo(3));
    const b = await login(demo(3));
    const r = await call(handler, api.auth.logoutEverywhere, { token: a.body.accessToken, body: { keepThisSession: true } });
    expect(r.status).toBe(200);
    expect((await me(a.body.accessToken)).status).toBe(200);
    expect((await me(b.body.accessToken)).status).toBe(401);
  });

  it('a login that asks to sign out everywhere ends the sessions before it', async () => {
    const old = await login(demo(3));
    const fresh = await login(demo(3), { signOutEverywhere: true });
    expect(fresh.status).toBe(200);
    expect((await me(old.body.accessToken)).status).toBe(401);
    expect((await call(handler, api.auth.refresh, { body: { refreshToken: old.body.refreshToken } })).status).toBe(401);
    expect((await me(fresh.body.accessToken)).status).toBe(200);
  });
});

describe('refresh keeps the session', () => {
  it('the same session, a new refresh id: the old refresh token is refused', async () => {
    const first = await login(demo(1));
    const second = await call(handler, api.auth.refresh, { body: { refreshToken: first.body.refreshToken } });
    const third = await call(handler, api.auth.refresh, { body: { refreshToken: second.body.refreshToken } });
    expect(third.status).toBe(200);
    expect((await call(handler, api.auth.refresh, { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
  });

  it('tokens from before sessions were named: the access token is "expired", the refresh token rotates once', async () => {
    const key = new TextEncoder().encode(process.env.JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const legacy = await new SignJWT({ roles: ['patient'], name: 'x', typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(demo(1)).setIssuer('internet-hospital').setIssuedAt(now).setExpirationTime(now + 600).sign(key);
    const old = await me(legacy);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('TOKEN_EXPIRED');
    // A session item of that time (no refresh id) and its refresh token (no `rid`).
    const sid = randomUUID();
    await db.send(new PutCommand({ TableName: table(), Item: { PK: `USER#${demo(1)}`, SK: `SESSION#${sid}`, createdAt: new Date().toISOString(), ttl: ttlIn(3600) } }));
    const oldRefresh = await new SignJWT({ sid, typ: 'refresh' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(demo(1)).setIssuer('internet-hospital').setIssuedAt(now).setExpirationTime(now + 3600).sign(key);
    const moved = await call(handler, api.auth.refresh, { body: { refreshToken: oldRefresh } });
    expect(moved.status).toBe(200);
    expect((await me(moved.body.accessToken)).status).toBe(200);
    expect((await call(handler, api.auth.refresh, { body: { refreshToken: oldRefresh } })).status).toBe(401);
  });

  it('a refresh token naming a session that never existed is refused', async () => {
    const forged = await issueRefreshToken(demo(1), randomUUID());
    expect((await call(handler, api.auth.refresh, { body: { refreshToken: forged } })).status).toBe(401);
    expect(REFRESH_TTL_SECONDS).toBeGreaterThan(0);
  });
});

describe('login limits', () => {
  it('per address: 120 a minute, then 429 with Retry-After and a Chinese message', async () => {
    const sourceIp = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const users = Array.from({ length: 3 }, (_, i) => `demo-iplimit-${tag}-${i}`);
    for (const u of users) await putUser({ userId: u, name: '限流测试', roles: ['patient'], demo: true, createdAt: new Date().toISOString() });
    const statuses: number[] = [];
    const started = windowOf(60);
    for (let i = 0; i < 121; i += 11) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(11, 121 - i) }, (_, j) => call(handler, api.auth.login, { sourceIp, body: { provider: 'dev', code: users[(i + j) % 3] } })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(120);
    const last = await call(handler, api.auth.login, { sourceIp, body: { provider: 'dev', code: users[0] } });
    if (windowOf(60) === started) {
      expect(statuses.filter((s) => s === 200)).toHaveLength(120);
      expect(last.status).toBe(429);
      expect(last.body.error).toEqual({ code: 'RATE_LIMITED', message: '登录过于频繁，请稍后再试' });
      expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('per account: 60 in 10 minutes, whatever the address', async () => {
    const u = `demo-acctlimit-${tag}`;
    await putUser({ userId: u, name: '限流测试', roles: ['patient'], demo: true, createdAt: new Date().toISOString() });
    const statuses: number[] = [];
    const started = windowOf(600);
    for (let i = 0; i < 61; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, 61 - i) }, () => call(handler, api.auth.login, { sourceIp: `192.0.2.${Math.floor(Math.random() * 250)}`, body: { provider: 'dev', code: u } })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    if (windowOf(600) === started) {
      expect(statuses.filter((s) => s === 200)).toHaveLength(60);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    }
  });
});
