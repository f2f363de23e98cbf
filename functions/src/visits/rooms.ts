/**
 * Opening the H5 video room inside a mini-program's <web-view>: the mini-program asks for a
 * one-time ticket (random 256 bits, stored only as its SHA-256, 60 s), puts it in the web-view
 * URL, and the H5 page exchanges it once for a room token (15 minutes, no refresh token). A
 * long-lived token never travels in a URL; a replayed or expired ticket is refused.
 *
 * The room token (lib/tokens.ts `issueRoomToken`) names the visit, the holder's place in it
 * (patient, host, specialist) and the session the ticket was asked from: the shared stack accepts
 * it only on the routes the room page calls — `GET /v1/visits/{visitId}` (status) and
 * `POST /v1/visits/{visitId}/join` (the video token), marked `roomToken` in the contract — for
 * that visit, and logout of that session ends it. Anything else answers 403 ROOM_TOKEN_SCOPE.
 */
import { randomBytes } from 'node:crypto';
import { toLocalIso } from '@hospital/shared';
import { config } from '#lib/config';
import { HttpError } from '#lib/errors';
import { logger } from '#lib/logger';
import { issueRoomToken, type Principal } from '#lib/tokens';
import { principalOf, view as userView } from '../auth/service';
import { getUser } from '../auth/store';
import { loadVisit } from './service';
import * as store from './store';

export const TICKET_SECONDS = 60;
export const ROOM_PATH = '/packages/visits/pages/room/index';

export async function ticket(p: Principal, visitId: string) {
  const { visit, me } = await loadVisit(p, visitId);
  const t = randomBytes(32).toString('base64url');
  const expiresAt = toLocalIso(Date.now() + TICKET_SECONDS * 1000);
  await store.putTicket(t, { visitId: visit.id, userId: p.userId, role: me.role, sessionId: p.sessionId, expiresAt }, TICKET_SECONDS);
  logger.info('room ticket', { visit: visit.id, user: p.userId });
  const url = `${config.h5Origin}${ROOM_PATH}?id=${encodeURIComponent(visit.id)}&ticket=${t}`;
  return { ticket: t, expiresAt, url };
}

const refused = () => new HttpError(401, 'TICKET_INVALID', '入室凭证已失效，请返回重新进入诊室');

export async function session(ticketValue: string) {
  const t = await store.consumeTicket(ticketValue);
  // TTL deletion is lazy: the expiry is checked here too.
  if (!t || Date.parse(t.expiresAt) <= Date.now() || !t.role || !t.sessionId) throw refused();
  const user = await getUser(t.userId);
  if (!user) throw refused();
  const { token, expiresAt } = await issueRoomToken({ ...principalOf(user), sessionId: t.sessionId }, { visitId: t.visitId, role: t.role });
  logger.info('room session', { visit: t.visitId, user: user.userId });
  return { accessToken: token, expiresAt, visitId: t.visitId, user: userView(user) };
}
