/**
 * Short-lived access JWTs and rotating refresh JWTs (jose, HS256). The refresh token names a
 * session item; rotating it deletes the old session, so a stolen refresh token works once at most.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { OrgRoleSchema, RoleSchema, type Membership, type Role } from '@hospital/shared';
import * as z from 'zod';
import { secret } from './config';
import { HttpError } from './errors';

export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 30 * 24 * 3600;
const ISSUER = 'internet-hospital';

/**
 * Who is calling. `roles` is every role held anywhere (the route's `access` is checked against
 * it); what a staff member may do to an organisation's data is decided by `memberships`, through
 * the helpers in `authority.ts` — never by `roles` alone.
 */
export interface Principal {
  userId: string;
  roles: Role[];
  /** Organisations and the roles held in each (the name is not carried in the token). */
  memberships: Pick<Membership, 'orgId' | 'roles'>[];
  name: string;
}

let key: Uint8Array | undefined;
async function signingKey(): Promise<Uint8Array> {
  if (!key) {
    const s = await secret('JWT_SECRET', 'jwt-secret');
    if (s.length < 32) throw new Error('JWT secret must be at least 32 characters');
    key = new TextEncoder().encode(s);
  }
  return key;
}

/** Memberships, compactly: `{ "<orgId>": ["doctor", "pharmacist"] }`. */
const MembershipClaim = z.record(z.string().min(1).max(120), z.array(OrgRoleSchema).min(1).max(8));
const AccessClaims = z.object({
  sub: z.string(),
  roles: z.array(RoleSchema).min(1),
  m: MembershipClaim.optional(),
  name: z.string(),
  typ: z.literal('access'),
});
const membershipClaim = (ms: Principal['memberships']) => (ms.length ? Object.fromEntries(ms.map((m) => [m.orgId, m.roles])) : undefined);
const RefreshClaims = z.object({ sub: z.string(), sid: z.string(), typ: z.literal('refresh') });

export async function issueAccessToken(p: Principal, now = Date.now()) {
  const exp = Math.floor(now / 1000) + ACCESS_TTL_SECONDS;
  const token = await new SignJWT({ roles: p.roles, m: membershipClaim(p.memberships), name: p.name, typ: 'access' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(p.userId)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(exp)
    .sign(await signingKey());
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function issueRefreshToken(userId: string, sessionId: string, now = Date.now()) {
  return new SignJWT({ sid: sessionId, typ: 'refresh' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + REFRESH_TTL_SECONDS)
    .sign(await signingKey());
}

async function verify(token: string) {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), { issuer: ISSUER, algorithms: ['HS256'] });
    return payload;
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new HttpError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
    throw new HttpError(401, 'UNAUTHENTICATED', '登录凭证无效，请重新登录');
  }
}

export async function verifyAccessToken(token: string): Promise<Principal> {
  const claims = AccessClaims.safeParse(await verify(token));
  if (!claims.success) throw new HttpError(401, 'UNAUTHENTICATED', '登录凭证无效，请重新登录');
  const c = claims.data;
  const memberships = Object.entries(c.m ?? {}).map(([orgId, roles]) => ({ orgId, roles }));
  return { userId: c.sub, roles: [...new Set([...c.roles, ...memberships.flatMap((m) => m.roles)])], memberships, name: c.name };
}

export async function verifyRefreshToken(token: string): Promise<{ userId: string; sessionId: string }> {
  const claims = RefreshClaims.safeParse(await verify(token));
  if (!claims.success) throw new HttpError(401, 'UNAUTHENTICATED', '登录凭证无效，请重新登录');
  return { userId: claims.data.sub, sessionId: claims.data.sid };
}

/**
 * A capability for one emergency (紧急求助): the caller — often a tourist without an account —
 * may read it, add details, cancel (only the first presser: `cancel`) and listen on its
 * WebSocket topic. Its own `typ`, so it is never accepted as an access token, nor the reverse.
 */
export const EMERGENCY_TOKEN_TTL_SECONDS = 24 * 3600;
const EmergencyClaims = z.object({ sub: z.string(), typ: z.literal('emergency'), eid: z.string(), cancel: z.boolean() });
export interface EmergencyCapability {
  emergencyId: string;
  mayCancel: boolean;
}

export async function issueEmergencyToken(c: EmergencyCapability, now = Date.now()) {
  const exp = Math.floor(now / 1000) + EMERGENCY_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ typ: 'emergency', eid: c.emergencyId, cancel: c.mayCancel })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`emergency:${c.emergencyId}`)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(exp)
    .sign(await signingKey());
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyEmergencyToken(token: string): Promise<EmergencyCapability> {
  const claims = EmergencyClaims.safeParse(await verify(token));
  if (!claims.success) throw new HttpError(401, 'UNAUTHENTICATED', '求助凭证无效');
  return { emergencyId: claims.data.eid, mayCancel: claims.data.cancel };
}
