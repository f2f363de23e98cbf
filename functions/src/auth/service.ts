import type { TokenPair, UserView } from '@hospital/shared';
import type * as z from 'zod';
import type { LoginRequest } from '@hospital/shared';
import { config } from '#lib/config';
import { HttpError, notFound, unauthenticated } from '#lib/errors';
import { logger } from '#lib/logger';
import { loginProvider } from './identity';
import { REFRESH_TTL_SECONDS, issueAccessToken, issueRefreshToken, verifyRefreshToken, type Principal } from '#lib/tokens';
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

async function tokensFor(u: store.UserItem): Promise<TokenPair> {
  const sessionId = await store.createSession(u.userId, REFRESH_TTL_SECONDS);
  const access = await issueAccessToken(principalOf(u));
  return { accessToken: access.token, expiresAt: access.expiresAt, refreshToken: await issueRefreshToken(u.userId, sessionId), user: view(u) };
}

export async function login({ provider, code }: z.output<typeof LoginRequest>): Promise<TokenPair> {
  if (provider === 'dev') {
    // Picking any demo user exists only on a local stage; elsewhere it is as if unknown.
    if (!config.isLocal) throw new HttpError(400, 'VALIDATION_FAILED', '不支持的登录方式', [{ path: 'body.provider', message: 'dev login exists only locally' }]);
    const u = await store.getUser(code);
    if (!u?.demo) throw unauthenticated('演示用户不存在');
    logger.info('login', { provider, user: u.userId });
    return tokensFor(u);
  }
  const identity = await loginProvider(provider).exchange(code);
  const u = await store.findOrCreateUserByIdentity(provider, identity.subject, provider === 'wechat' ? '微信用户' : '支付宝用户');
  await store.rememberPlatformId(u.userId, provider, identity.subject);
  logger.info('login', { provider, user: u.userId });
  return tokensFor(u);
}

/** Rotates: the presented refresh token's session is consumed; a replayed one gets 401. */
export async function refresh(refreshToken: string): Promise<TokenPair> {
  const { userId, sessionId } = await verifyRefreshToken(refreshToken);
  if (!(await store.consumeSession(userId, sessionId))) throw unauthenticated('登录已失效，请重新登录');
  const u = await store.getUser(userId);
  if (!u) throw unauthenticated('用户不存在');
  return tokensFor(u);
}

export async function logout(refreshToken: string) {
  const { userId, sessionId } = await verifyRefreshToken(refreshToken).catch(() => ({ userId: '', sessionId: '' }));
  if (userId) await store.consumeSession(userId, sessionId);
  return { ok: true as const };
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


