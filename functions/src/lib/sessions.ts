/**
 * Ending sessions everywhere, within seconds: the revocation list.
 *
 * A login is a session (auth/store.ts, `USER#<id> / SESSION#<sid>`); its access tokens and the
 * room tokens made from it carry the session id (`sid`). Logout and 退出所有设备 delete the session
 * items (so no refresh works again) and write one revocation per session here:
 *
 *   SESSION_REVOCATIONS / <epoch ms, 13 digits>#<sid>   { sid, userId, ttl }
 *
 * Every container keeps the revocations of the last REVOCATION_KEEP_SECONDS (any token older
 * than that has expired anyway) and brings its copy up to date with ONE Query at most every
 * REVOCATION_REFRESH_MS, shared by the requests in flight. Checking a token is then a Set lookup.
 *
 * Why this and not the two usual choices:
 * - a GetItem of the session per request, cached per container for a few seconds, costs one read
 *   per user per container: on a release morning (放号) two thousand different people book at
 *   once and each would pay a read on the hot path;
 * - an access token of a few seconds would make every client refresh all the time and still
 *   leave a revoked token working for as long as it lives.
 * Here the cost is one small Query per container every 3 s whatever the number of users (a
 * thousand warm containers read ~330 times a second, one RCU each, well inside one partition's
 * 3,000), and the bound is REVOCATION_REFRESH_MS — at once in the container that revoked. The
 * refresh path is checked in the table itself (the session item must still name the refresh token).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { HttpError } from './errors';
import { logger } from './logger';
import { db, queryAll, table } from './table';
import { ACCESS_TTL_SECONDS, type Principal } from './tokens';

/** A revoked session's tokens are refused everywhere within this (0 in the revoking container). */
export const REVOCATION_REFRESH_MS = 3000;
/** As long as the longest token that carries a session id lives (access and room tokens: 15 min). */
export const REVOCATION_KEEP_SECONDS = ACCESS_TTL_SECONDS + 60;
/** Re-read this much before the last read: a revocation written just as we read is not missed. */
const OVERLAP_MS = 10_000;
/** When the table cannot be read, the copy in hand is trusted this long before requests fail. */
const STALE_OK_MS = 60_000;
const PK = 'SESSION_REVOCATIONS';

/** sid → when the revocation stops mattering (epoch ms). */
const revoked = new Map<string, number>();
let readAt = 0;
let readFrom = 0;
let reading: Promise<void> | undefined;

const sk = (ms: number, sid = '') => `${String(Math.max(0, ms)).padStart(13, '0')}#${sid}`;

async function read(): Promise<void> {
  const started = Date.now();
  const since = readAt ? readFrom - OVERLAP_MS : started - REVOCATION_KEEP_SECONDS * 1000;
  const items = await queryAll({
    KeyConditionExpression: 'PK = :p AND SK > :s',
    ExpressionAttributeValues: { ':p': PK, ':s': sk(since) },
    ProjectionExpression: 'sid, #ttl',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ConsistentRead: true,
  });
  for (const i of items) revoked.set(String(i.sid), Number(i.ttl) * 1000);
  for (const [sid, until] of revoked) if (until <= started) revoked.delete(sid);
  readAt = Date.now();
  readFrom = started;
}

async function upToDate(): Promise<void> {
  if (Date.now() - readAt < REVOCATION_REFRESH_MS) return;
  reading ??= read()
    .catch((e: unknown) => {
      if (readAt && Date.now() - readAt < STALE_OK_MS) {
        logger.warn('session revocations not refreshed; using the copy in hand', { error: (e as Error)?.name });
        return;
      }
      throw e;
    })
    .finally(() => (reading = undefined));
  await reading;
}

/** 401 SESSION_REVOKED when the principal's session was ended (logout, 退出所有设备). */
export async function assertSessionLive(p: Pick<Principal, 'sessionId'>): Promise<void> {
  if (!p.sessionId) return;
  await upToDate();
  if (revoked.has(p.sessionId)) throw new HttpError(401, 'SESSION_REVOKED', '您已退出登录，请重新登录');
}

/** Ends the tokens of these sessions everywhere within REVOCATION_REFRESH_MS (here at once). */
export async function revokeSessions(userId: string, sessionIds: string[], now = Date.now()): Promise<void> {
  const ttl = Math.floor(now / 1000) + REVOCATION_KEEP_SECONDS;
  for (const sid of sessionIds) revoked.set(sid, ttl * 1000);
  await Promise.all(
    sessionIds.map((sid) => db.send(new PutCommand({ TableName: table(), Item: { PK, SK: sk(now, sid), sid, userId, ttl } }))),
  );
  if (sessionIds.length) logger.info('sessions revoked', { user: userId, count: sessionIds.length });
}
