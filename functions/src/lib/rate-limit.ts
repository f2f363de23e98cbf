/**
 * Rate limits with their counters in the table, so a limit holds across Lambda containers.
 * Fixed windows: one conditional ADD per check (`count < limit`), the counter expiring by TTL.
 *
 * Written here rather than with rate-limiter-flexible: its DynamoDB store wants a table of its
 * own keyed by `key`, and this product keeps one table; the one conditional update is all it needs.
 *
 *   RATE#<bucket> / W#<windowStart>   { count, ttl }
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { rateLimited } from './errors';
import { db, isConditionFailed, table } from './table';

export interface Limit {
  /** What is limited, e.g. `sms:account:<userId>`; never a clear phone or ID number. */
  bucket: string;
  max: number;
  windowSeconds: number;
}

/** Counts one use against each limit in turn; the first that is full answers 429 with Retry-After. */
export async function consume(limits: Limit[], message = '操作过于频繁，请稍后再试', now = Date.now()): Promise<void> {
  for (const l of limits) {
    const start = Math.floor(now / 1000 / l.windowSeconds) * l.windowSeconds;
    try {
      await db.send(
        new UpdateCommand({
          TableName: table(),
          Key: { PK: `RATE#${l.bucket}`, SK: `W#${start}` },
          UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':max': l.max, ':ttl': start + l.windowSeconds + 60 },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
      throw rateLimited(message, start + l.windowSeconds - now / 1000);
    }
  }
}
