/**
 * Short-lived access JWTs and rotating refresh JWTs (jose, HS256). A login is a session: the
 * refresh token names its session item and the refresh id the item holds now; rotating replaces
 * that id (the session stays), so a stolen refresh token works once at most. Access tokens (and
 * room tokens) carry the session id, so ending the session ends them (lib/sessions.ts).
 */
import { SignJWT, decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import { OrgRoleSchema, ParticipantRole, RoleSchema, type Membership, type Role } from '@hospital/shared';
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
  /** The login session the token belongs to: logout ends it everywhere (lib/sessions.ts). */
  sessionId?: string;
  /** Only from a room token: the one visit it opens, and the caller's place in it. */
  room?: RoomScope;
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

/** One HS256 token of ours: claims, subject, expiry (epoch s), issued now. */
async function sign(claims: Record<string, unknown>, subject: string, exp: number, now: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(exp)
    .sign(await signingKey());
}

/** Memberships, compactly: `{ "<orgId>": ["doctor", "pharmacist"] }`. */
const MembershipClaim = z.record(z.string().min(1).max(120), z.array(OrgRoleSchema).min(1).max(8));
const AccessClaims = z.object({
  sub: z.string(),
  roles: z.array(RoleSchema).min(1),
  m: MembershipClaim.optional(),
  name: z.string(),
  typ: z.literal('access'),
  /** The session; tokens issued before sessions were named lack it and are refreshed once. */
  sid: z.string().optional(),
});
const membershipClaim = (ms: Principal['memberships']) => (ms.length ? Object.fromEntries(ms.map((m) => [m.orgId, m.roles])) : undefined);
/** `rid`: the refresh id the session holds now (absent in refresh tokens made before rotation kept the session). */
const RefreshClaims = z.object({ sub: z.string(), sid: z.string(), rid: z.string().optional(), typ: z.literal('refresh') });

/** What an access token (and a room token) says about its holder. */
const accessPayload = (p: Principal & { sessionId: string }) => ({ roles: p.roles, m: membershipClaim(p.memberships), name: p.name, sid: p.sessionId });

export async function issueAccessToken(p: Principal & { sessionId: string }, now = Date.now()) {
  const exp = Math.floor(now / 1000) + ACCESS_TTL_SECONDS;
  const token = await sign({ ...accessPayload(p), typ: 'access' }, p.userId, exp, now);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** `refreshId`: the id the session item holds (a new session starts with its own id). */
export async function issueRefreshToken(userId: string, sessionId: string, refreshId = sessionId, now = Date.now()) {
  return sign({ sid: sessionId, rid: refreshId, typ: 'refresh' }, userId, Math.floor(now / 1000) + REFRESH_TTL_SECONDS, now);
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
  // Made before access tokens named their session: "expired", so the client refreshes once.
  if (!c.sid) throw new HttpError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
  return principalFrom(c);
}

function principalFrom(c: z.output<typeof AccessClaims> | z.output<typeof RoomClaims>): Principal {
  const memberships = Object.entries(c.m ?? {}).map(([orgId, roles]) => ({ orgId, roles }));
  return { userId: c.sub, roles: [...new Set([...c.roles, ...memberships.flatMap((m) => m.roles)])], memberships, name: c.name, sessionId: c.sid };
}

export async function verifyRefreshToken(token: string): Promise<{ userId: string; sessionId: string; refreshId?: string }> {
  const claims = RefreshClaims.safeParse(await verify(token));
  if (!claims.success) throw new HttpError(401, 'UNAUTHENTICATED', '登录凭证无效，请重新登录');
  return { userId: claims.data.sub, sessionId: claims.data.sid, refreshId: claims.data.rid };
}

/** Which kind of token this claims to be (`access`, `room`, …), unverified: only to pick the verifier. */
export function tokenKind(token: string): string | undefined {
  try {
    const typ = decodeJwt(token).typ;
    return typeof typ === 'string' ? typ : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The H5 video room's token (visits/rooms.ts): what the room ticket is exchanged for in a
 * mini-program's web-view. It names one visit and the holder's place in it, carries the session
 * it was made from (logout ends it too) and lives as long as an access token. Its own `typ`, so
 * no verifier but `verifyRoomToken` accepts it, and the shared stack lets it through only on the
 * routes marked `roomToken` in the contract, for that visit (lib/http/caller.ts).
 */
export const ROOM_TOKEN_TTL_SECONDS = ACCESS_TTL_SECONDS;
export interface RoomScope {
  visitId: string;
  role: ParticipantRole;
}
const RoomClaims = AccessClaims.extend({ typ: z.literal('room'), sid: z.string(), vid: z.string(), vrole: ParticipantRole });

export async function issueRoomToken(p: Principal & { sessionId: string }, room: RoomScope, now = Date.now()) {
  const exp = Math.floor(now / 1000) + ROOM_TOKEN_TTL_SECONDS;
  // Only the role the room needs: the patient's account, or a doctor taking part.
  const narrowed = room.role === 'patient' ? { ...p, roles: ['patient'] as Role[], memberships: [] } : { ...p, roles: ['doctor'] as Role[] };
  const token = await sign({ ...accessPayload(narrowed), typ: 'room', vid: room.visitId, vrole: room.role }, p.userId, exp, now);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyRoomToken(token: string): Promise<Principal & { room: RoomScope }> {
  const claims = RoomClaims.safeParse(await verify(token));
  if (!claims.success) throw new HttpError(401, 'TICKET_INVALID', '入室凭证已失效，请返回重新进入诊室');
  const c = claims.data;
  return { ...principalFrom(c), roles: c.roles, room: { visitId: c.vid, role: c.vrole } };
}

/**
 * A capability for one emergency (紧急求助): the caller — often a tourist without an account —
 * may read it, add details, cancel (only the first presser: `cancel`) and listen on its
 * WebSocket topic. Its own `typ`, so it is never accepted as an access token, nor the reverse.
 */
export const EMERGENCY_TOKEN_TTL_SECONDS = 24 * 3600;
const EmergencyClaims = z.object({ sub: z.string(), typ: z.literal('emergency'), eid: z.string(), cancel: z.boolean(), dev: z.string().optional() });
export interface EmergencyCapability {
  emergencyId: string;
  mayCancel: boolean;
  /**
   * The digest of the secret of the device that pressed (emergency/device.ts): the token works
   * only together with that secret, so a token that leaks or is replayed opens nothing elsewhere.
   */
  device?: string;
}

export async function issueEmergencyToken(c: EmergencyCapability, now = Date.now()) {
  const exp = Math.floor(now / 1000) + EMERGENCY_TOKEN_TTL_SECONDS;
  const token = await sign({ typ: 'emergency', eid: c.emergencyId, cancel: c.mayCancel, ...(c.device ? { dev: c.device } : {}) }, `emergency:${c.emergencyId}`, exp, now);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifyEmergencyToken(token: string): Promise<EmergencyCapability> {
  const claims = EmergencyClaims.safeParse(await verify(token));
  if (!claims.success) throw new HttpError(401, 'UNAUTHENTICATED', '求助凭证无效');
  return { emergencyId: claims.data.eid, mayCancel: claims.data.cancel, device: claims.data.dev };
}
