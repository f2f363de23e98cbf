import type { TokenPair, UserView } from '@hospital/shared';
import type * as z from 'zod';
import type { LoginRequest } from '@hospital/shared';
import { config } from '#lib/config';
import { HttpError, notFound, unauthenticated } from '#lib/errors';
import { logger } from '#lib/logger';
import { loginProvider } from './identity';
import { REFRESH_TTL_SECONDS, issueAccessToken, issueRefreshToken, verifyRefreshToken, type Principal } from '#lib/tokens';
import { randomUUID } from 'node:crypto';
import { consume } from '#lib/rate-limit';
import { revokeSessions } from '#lib/sessions';
import { closeTopic, sessionTopic } from '#lib/realtime';
import * as store from './store';

const membershipsOf = (u: store.UserItem) => u.memberships ?? [];

export const view = (u: store.UserItem): UserView => {
  const memberships = membershipsOf(u);
  const roles = [...new Set([...u.roles, ...memberships.flatMap((m) => m.roles)])];
  return { id: u.userId, name: u.name, roles, memberships, ...(memberships[0] ? { orgId: memberships[0].orgId } : {}) };
};

/** What an access token for this user carries: its roles and, per organisation, the roles held there. */
export const principalOf = (u: store.UserItem): Principal => ({
  userId: u.userId,
  roles: view(u).roles,
  memberships: membershipsOf(u).map(({ orgId, roles }) => ({ orgId, roles })),
  name: u.name,
});

/** Per account, once we know whose it is (the route itself is limited per address in the contract). */
const LOGIN_LIMITS = (userId: string) => [{ bucket: `login:account:${userId}`, max: 60, windowSeconds: 600 }];
const REFRESH_LIMITS = (userId: string) => [{ bucket: `refresh:account:${userId}`, max: 120, windowSeconds: 3600 }];

/** A pair for a session: a new one at login, the same one with a new refresh id at refresh. */
async function tokensFor(u: store.UserItem, sessionId: string, refreshId: string): Promise<TokenPair> {
  const access = await issueAccessToken({ ...principalOf(u), sessionId });
  const refreshToken = await issueRefreshToken(u.userId, sessionId, refreshId);
  return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken, user: view(u) };
}

/** A new session; with 退出其他设备 every other session of the account ends. */
async function loggedIn(u: store.UserItem, signOutEverywhere: boolean | undefined): Promise<TokenPair> {
  await consume(LOGIN_LIMITS(u.userId), '登录过于频繁，请稍后再试');
  const sessionId = await store.createSession(u.userId, REFRESH_TTL_SECONDS);
  if (signOutEverywhere) await endSessions(u.userId, sessionId);
  return tokensFor(u, sessionId, sessionId);
}

export async function login({ provider, code, signOutEverywhere }: z.output<typeof LoginRequest>): Promise<TokenPair> {
  if (provider === 'dev') {
    // Picking any demo user exists only on a local stage; elsewhere it is as if unknown.
    if (!config.isLocal) throw new HttpError(400, 'VALIDATION_FAILED', '不支持的登录方式', [{ path: 'body.provider', message: 'dev login exists only locally' }]);
    const u = await store.getUser(code);
    if (!u?.demo) throw unauthenticated('演示用户不存在');
    logger.info('login', { provider, user: u.userId });
    return loggedIn(u, signOutEverywhere);
  }
  const identity = await loginProvider(provider).exchange(code);
  const u = await store.findOrCreateUserByIdentity(provider, identity.subject, provider === 'wechat' ? '微信用户' : '支付宝用户');
  await store.rememberPlatformId(u.userId, provider, identity.subject);
  logger.info('login', { provider, user: u.userId });
  return loggedIn(u, signOutEverywhere);
}

/**
 * Rotates: the session stays, its refresh id changes in one conditional write, so a replayed
 * refresh token (or the loser of two racing refreshes) gets 401; an ended session too.
 */
export async function refresh(refreshToken: string): Promise<TokenPair> {
  const { userId, sessionId, refreshId } = await verifyRefreshToken(refreshToken);
  await consume(REFRESH_LIMITS(userId));
  const next = randomUUID();
  if (!(await store.rotateSession(userId, sessionId, refreshId, next, REFRESH_TTL_SECONDS))) throw unauthenticated('登录已失效，请重新登录');
  const u = await store.getUser(userId);
  if (!u) throw unauthenticated('用户不存在');
  return tokensFor(u, sessionId, next);
}

/** The live sockets those sessions opened close now, not when the gateway ends them. */
const closeSockets = (sessionIds: string[]) => Promise.all(sessionIds.map((sid) => closeTopic(sessionTopic(sid))));

/** Ends the session: refresh refused at once, its access and room tokens within seconds. */
export async function logout(refreshToken: string) {
  const { userId, sessionId } = await verifyRefreshToken(refreshToken).catch(() => ({ userId: '', sessionId: '' }));
  if (userId) {
    await store.endSession(userId, sessionId);
    await revokeSessions(userId, [sessionId]);
    await closeSockets([sessionId]);
  }
  return { ok: true as const };
}

/** Every session of the user (but `keep`) ends: the items go, and their tokens are revoked. */
async function endSessions(userId: string, keep?: string): Promise<number> {
  const ids = (await store.listSessionIds(userId)).filter((id) => id !== keep);
  // Revoked first: a token must not outlive its session in any container, even if a delete fails.
  await revokeSessions(userId, ids);
  await Promise.all(ids.map((id) => store.endSession(userId, id)));
  await closeSockets(ids);
  return ids.length;
}

/** 退出所有设备 from a logged-in device; `keepThisSession` keeps the caller's own session. */
export async function logoutEverywhere(p: Principal, keepThisSession: boolean) {
  const ended = await endSessions(p.userId, keepThisSession ? p.sessionId : undefined);
  logger.info('logout everywhere', { user: p.userId, ended });
  return { ended };
}

export async function me(userId: string) {
  const u = await store.getUser(userId);
  if (!u) throw notFound('用户不存在');
  return view(u);
}

export async function devUsers() {
  const users = await store.listDemoUsers();
  return { users: users.map((u) => ({ ...view(u), description: u.description ?? '' })) };
}


