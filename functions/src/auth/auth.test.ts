import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call } from '#test/http';
import { handler } from './handler';
import { putUser } from './store';
import { startSandboxes } from '#test/sandboxes';

let sandboxes: Awaited<ReturnType<typeof startSandboxes>>;
afterAll(() => sandboxes.close());

beforeAll(async () => {
  sandboxes = await startSandboxes();
  await putUser({ userId: 'demo-test-nurse', name: '测试护士', roles: [], memberships: [{ orgId: 'org-x', roles: ['nurse'] }], demo: true, createdAt: new Date().toISOString() });
  await putUser({ userId: 'real-user-1', name: '普通用户', roles: ['patient'], createdAt: new Date().toISOString() });
});

describe('login and sessions', () => {
  it('a demo user logs in locally and the token carries their roles', async () => {
    const r = await call(handler, api.auth.login, { body: { provider: 'dev', code: 'demo-test-nurse' } });
    expect(r.status).toBe(200);
    expect(r.body.user).toEqual({ id: 'demo-test-nurse', name: '测试护士', roles: ['nurse'], memberships: [{ orgId: 'org-x', roles: ['nurse'] }], orgId: 'org-x' });
    const me = await call(handler, api.auth.me, { token: r.body.accessToken });
    expect(me.body.id).toBe('demo-test-nurse');
    expect(new Date(r.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('dev login cannot pick a user who is not a demo user', async () => {
    const r = await call(handler, api.auth.login, { body: { provider: 'dev', code: 'real-user-1' } });
    expect(r.status).toBe(401);
  });

  it('dev login and the demo list do not exist outside a local stage', async () => {
    const stage = process.env.STAGE;
    process.env.STAGE = 'prod';
    try {
      const r = await call(handler, api.auth.login, { body: { provider: 'dev', code: 'demo-test-nurse' } });
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].path).toBe('body.provider');
      expect((await call(handler, api.auth.devUsers)).status).toBe(404);
    } finally {
      process.env.STAGE = stage;
    }
  });

  it('lists demo users for the dev login screen', async () => {
    const r = await call(handler, api.auth.devUsers);
    expect(r.body.users.map((u: { id: string }) => u.id)).toContain('demo-test-nurse');
    expect(r.body.users.map((u: { id: string }) => u.id)).not.toContain('real-user-1');
  });

  it('a refresh token rotates: it works once, and a replay is refused', async () => {
    const first = await call(handler, api.auth.login, { body: { provider: 'dev', code: 'demo-test-nurse' } });
    const second = await call(handler, api.auth.refresh, { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    const replay = await call(handler, api.auth.refresh, { body: { refreshToken: first.body.refreshToken } });
    expect(replay.status).toBe(401);
  });

  it('two refreshes racing with the same token: exactly one wins', async () => {
    const first = await call(handler, api.auth.login, { body: { provider: 'dev', code: 'demo-test-nurse' } });
    const results = await Promise.all(Array.from({ length: 5 }, () => call(handler, api.auth.refresh, { body: { refreshToken: first.body.refreshToken } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('logout ends the session behind the refresh token', async () => {
    const first = await call(handler, api.auth.login, { body: { provider: 'dev', code: 'demo-test-nurse' } });
    await call(handler, api.auth.logout, { body: { refreshToken: first.body.refreshToken } });
    expect((await call(handler, api.auth.refresh, { body: { refreshToken: first.body.refreshToken } })).status).toBe(401);
  });

  it('an unknown provider is a 400 naming the field', async () => {
    const r = await call(handler, api.auth.login, { body: { provider: 'qq', code: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('body.provider');
  });
});

describe('WeChat and Alipay login through the sandboxes (real signatures)', () => {
  it('the same WeChat code owner is the same user on every login; a bad code is a 401', async () => {
    const a = await call(handler, api.auth.login, { body: { provider: 'wechat', code: 'sandbox:resident-42' } });
    expect(a.status).toBe(200);
    expect(a.body.user.roles).toEqual(['patient']);
    const b = await call(handler, api.auth.login, { body: { provider: 'wechat', code: 'sandbox:resident-42' } });
    expect(b.body.user.id).toBe(a.body.user.id);
    const bad = await call(handler, api.auth.login, { body: { provider: 'wechat', code: 'garbage' } });
    expect(bad.status).toBe(401);
  });

  it('an Alipay auth code logs in; WeChat and Alipay identities are different users', async () => {
    const ali = await call(handler, api.auth.login, { body: { provider: 'alipay', code: 'sandbox:resident-42' } });
    expect(ali.status).toBe(200);
    const wx = await call(handler, api.auth.login, { body: { provider: 'wechat', code: 'sandbox:resident-42' } });
    expect(ali.body.user.id).not.toBe(wx.body.user.id);
    expect((await call(handler, api.auth.login, { body: { provider: 'alipay', code: 'nope' } })).status).toBe(401);
  });

  it('ten first logins racing for one new identity create one user', async () => {
    const code = `sandbox:race-${crypto.randomUUID()}`;
    const all = await Promise.all(Array.from({ length: 10 }, () => call(handler, api.auth.login, { body: { provider: 'wechat', code } })));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(new Set(all.map((r) => r.body.user.id)).size).toBe(1);
  });
});
