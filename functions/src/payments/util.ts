/** Small helpers of the payments feature. */
import { createHash, randomInt } from 'node:crypto';
import { dayjs, HOSPITAL_TZ } from '@hospital/shared';

/** An instant as ISO-8601 with the hospital's +08:00 offset (what responses show). */
export const stamp = (at: number | string | Date = Date.now()) => dayjs(at).tz(HOSPITAL_TZ).format('YYYY-MM-DDTHH:mm:ss.SSSZ');

/** Order numbers: `HP` + Beijing yyyyMMddHHmmss + 8 random digits (WeChat/Alipay: ≤ 32 of [A-Z0-9]). */
export function newOrderNo(now = Date.now()): string {
  const digits = Array.from({ length: 8 }, () => randomInt(10)).join('');
  return `HP${dayjs(now).tz(HOSPITAL_TZ).format('YYYYMMDDHHmmss')}${digits}`;
}

/** Spread of the sweep indexes (a hot key would otherwise take every pending order). */
export const SWEEP_SHARDS = 4;
export const shardOf = (key: string) => createHash('sha256').update(key).digest()[0] % SWEEP_SHARDS;

/** Retries `fn` while it reports a transaction conflict (other writers on the same item). */
export async function withConflictRetry<T>(fn: () => Promise<T | 'conflict'>, attempts = 8): Promise<T | 'conflict'> {
  for (let i = 0; i < attempts; i++) {
    const out = await fn();
    if (out !== 'conflict') return out;
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 20 * (i + 1)));
  }
  return 'conflict';
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
