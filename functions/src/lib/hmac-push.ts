/**
 * Pushes from systems we trust by shared secret (the hospital's HIS; kiosks and labs use the same
 * form): `X-Signature = base64(HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" + rawBody + "\n"))`
 * with `X-Source`, `X-Timestamp` (epoch seconds) and `X-Nonce`. Checks: known source, ±300 s,
 * constant-time compare against each active secret (two during a rotation), nonce used once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { HttpError } from './errors';
import { config } from './config';
import { isPublishedSecret } from './deploy-config';
import { logger } from './logger';
import { db, isConditionFailed, table, ttlIn } from './table';

export const PUSH_WINDOW_SECONDS = 300;

export const signPush = (secret: string, timestamp: string, nonce: string, rawBody: string) =>
  createHmac('sha256', secret).update(`${timestamp}\n${nonce}\n${rawBody}\n`, 'utf8').digest('base64');

export interface PushHeaders {
  source: string;
  timestamp: number;
  nonce: string;
}

/** 401 with a reason code the sender's operators can act on; never echoes what was sent. */
const refuse = (code: string, message: string) => new HttpError(401, code, message);

/**
 * Verifies the signature (no state is touched). `secretsFor` returns the source's active
 * secrets, or undefined for an unknown source.
 */
export async function verifyPush(
  headers: Record<string, string>,
  rawBody: string,
  secretsFor: (source: string) => Promise<string[] | undefined>,
  now = Date.now(),
): Promise<PushHeaders> {
  const source = headers['x-source'];
  const timestamp = headers['x-timestamp'];
  const nonce = headers['x-nonce'];
  const signature = headers['x-signature'];
  if (!source || !timestamp || !nonce || !signature) throw refuse('SIGNATURE_MISSING', '缺少签名请求头');
  if (!/^[\w-]{1,40}$/.test(source) || !/^[\w-]{8,64}$/.test(nonce)) throw refuse('SIGNATURE_INVALID', '签名请求头格式错误');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > PUSH_WINDOW_SECONDS) {
    throw refuse('SIGNATURE_EXPIRED', '请求时间戳超出允许范围');
  }
  let secrets = await secretsFor(source);
  // Off the local stages a development secret published in the repository (the demo kiosk's, a
  // lab's fallback) signs nothing: anyone could have computed the signature.
  if (!config.isLocal && secrets?.some(isPublishedSecret)) {
    logger.error('configuration error: a push source has a published development secret', { source });
    secrets = secrets.filter((s) => !isPublishedSecret(s));
  }
  if (!secrets?.length) throw refuse('SIGNATURE_INVALID', '签名校验失败');
  const given = Buffer.from(signature, 'utf8');
  let ok = false;
  for (const s of secrets) {
    const expected = Buffer.from(signPush(s, timestamp, nonce, rawBody), 'utf8');
    // Equal lengths first (timingSafeEqual requires it); the length of an HMAC is public anyway.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  if (!ok) throw refuse('SIGNATURE_INVALID', '签名校验失败');
  return { source, timestamp: Number(timestamp), nonce };
}

/** The nonce row (for a caller that writes it in one batch with its own items, e.g. kiosk readings). */
export const nonceKey = (scope: string, nonce: string) => ({ PK: `NONCE#${scope}#${nonce}`, SK: 'NONCE' });
/** The row outlives the window, so a replay is caught until its timestamp is stale anyway. */
export const NONCE_TTL_SECONDS = 2 * PUSH_WINDOW_SECONDS + 60;

/**
 * Records the nonce; a second use inside its life is refused (409 replay). The row outlives the
 * window, so a replay is caught until its timestamp is stale anyway. TTL deletion is lazy, so an
 * expired row is overwritten rather than trusted.
 */
export async function claimNonce(scope: string, nonce: string, now = Date.now()): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...nonceKey(scope, nonce), ttl: ttlIn(NONCE_TTL_SECONDS, now) },
        ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
      }),
    );
  } catch (e) {
    if (isConditionFailed(e)) throw new HttpError(409, 'REPLAYED', '重复的请求（nonce 已使用）');
    throw e;
  }
}
