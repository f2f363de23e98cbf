/**
 * Rate limits with their counters in the table, so a limit holds across Lambda containers.
 * Fixed windows: one conditional ADD per check (`count < limit`), the counter expiring by TTL.
 *
 * Written here rather than with rate-limiter-flexible: its DynamoDB store wants a table of its
 * own keyed by `key`, and this product keeps one table; the one conditional update is all it needs.
 *
 *   RATE#<bucket> / W#<windowStart>   { count, ttl }
 *
 * A container remembers the buckets it saw full until their window ends (a counter only grows
 * within its window, so that is never wrong): a flood against a full bucket costs no write.
 * Every other check is one conditional write; the shared HTTP stack adds the default limits of
 * every write and public route (lib/http/rate-limits.ts). On the hottest route (booking) the
 * counters ride in the route's own transaction instead (`Admission`): no extra round trip.
 */
import { UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { HttpError, rateLimited } from './errors';
import { db, isConditionFailed, table } from './table';

export interface Limit {
  /** What is limited, e.g. `sms:account:<userId>`; never a clear phone or ID number. */
  bucket: string;
  max: number;
  windowSeconds: number;
}

/** Buckets this container saw full: `bucket window` → the window's end (epoch s). */
const full = new Map<string, number>();
const FULL_REMEMBERED = 10_000;

function rememberFull(key: string, until: number, now: number) {
  if (full.size >= FULL_REMEMBERED) {
    for (const [k, end] of full) if (end <= now) full.delete(k);
    if (full.size >= FULL_REMEMBERED) full.delete(full.keys().next().value!);
  }
  full.set(key, until);
}

export const DEFAULT_LIMIT_MESSAGE = '操作过于频繁，请稍后再试';

const windowOf = (l: Limit, now: number) => {
  const start = Math.floor(now / 1000 / l.windowSeconds) * l.windowSeconds;
  return { start, end: start + l.windowSeconds, seen: `${l.bucket} ${l.windowSeconds}` };
};

/** 429 at once when this container already saw the bucket full in this window. */
function refuseIfKnownFull(l: Limit, message: string, now: number) {
  const until = full.get(windowOf(l, now).seen);
  if (until !== undefined && until > now / 1000) throw rateLimited(message, until - now / 1000);
}

/** The conditional ADD of one use (`count < max`), as an UpdateItem or a transaction item. */
function counterUpdate(l: Limit, now: number) {
  const { start, end } = windowOf(l, now);
  return {
    TableName: table(),
    Key: { PK: `RATE#${l.bucket}`, SK: `W#${start}` },
    UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
    ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
    ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':one': 1, ':max': l.max, ':ttl': end + 60 },
  };
}

function refusedBy(l: Limit, message: string, now: number): HttpError {
  const { end, seen } = windowOf(l, now);
  rememberFull(seen, end, now / 1000);
  return rateLimited(message, end - now / 1000);
}

/** Counts one use against each limit in turn; the first that is full answers 429 with Retry-After. */
export async function consume(limits: Limit[], message = DEFAULT_LIMIT_MESSAGE, now = Date.now()): Promise<void> {
  for (const l of limits) {
    refuseIfKnownFull(l, message, now);
    try {
      await db.send(new UpdateCommand(counterUpdate(l, now)));
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
      throw refusedBy(l, message, now);
    }
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Per-container fixed windows, for answers an `Admission` route gave without writing. */
const local = new Map<string, { start: number; count: number }>();

function consumeLocally(limits: Limit[], message: string, now: number) {
  if (local.size >= FULL_REMEMBERED) local.clear();
  for (const l of limits) {
    const { start, end, seen } = windowOf(l, now);
    const c = local.get(seen);
    if (!c || c.start !== start) local.set(seen, { start, count: 1 });
    else if (c.count >= l.max) throw rateLimited(message, end - now / 1000);
    else c.count++;
  }
}

/**
 * One request's limits, counted in the write they limit: the route's store appends `items()` to
 * its own TransactWriteItems (at the end), calls `took()` when it went through and asks
 * `refusal(reasons, offset)` when it was cancelled — a counter that refused makes it a 429, and
 * nothing else was written. So the limit on writes is exact across containers, and a booking that
 * takes a place pays no extra round trip.
 *
 * What the route answers without such a write (a full session's 409, a replay) costs the table
 * nothing: it costs one read, and a counter write would cost more than the refusal it limits. It is
 * counted in this container (`settle()`, called by the shared stack once the route has answered,
 * turns the answer into a 429 over the limit), and an account any container saw over its limit
 * in the table is refused there before anything runs.
 */
export class Admission {
  private counted = false;

  constructor(
    readonly limits: Limit[],
    private readonly message = DEFAULT_LIMIT_MESSAGE,
    private readonly now = Date.now(),
  ) {
    for (const l of limits) {
      refuseIfKnownFull(l, message, now);
      const { start, end, seen } = windowOf(l, now);
      const c = local.get(seen);
      if (c && c.start === start && c.count >= l.max) throw rateLimited(message, end - now / 1000);
    }
  }

  items(): TransactItem[] {
    return this.limits.map((l) => ({ Update: counterUpdate(l, this.now) }));
  }

  /** The write with `items()` went through: this request is counted. */
  took(): void {
    this.counted = true;
  }

  /** After the write with `items()` at `offset` was cancelled: the 429 when a counter refused. */
  refusal(reasons: string[], offset: number): HttpError | undefined {
    const i = this.limits.findIndex((_, k) => reasons[offset + k] === 'ConditionalCheckFailed');
    return i < 0 ? undefined : refusedBy(this.limits[i], this.message, this.now);
  }

  /** Counts an answer given without the write (in this container), once. */
  async settle(): Promise<void> {
    if (this.counted) return;
    this.counted = true;
    consumeLocally(this.limits, this.message, this.now);
  }
}

/**
 * Counts one event in a fixed window and returns how many the window holds now, never refusing:
 * for signals that must not turn anyone away (an SOS flood is stored and grouped, not refused).
 * Same counter items as `consume`, under buckets of its own.
 */
export async function count(bucket: string, windowSeconds: number, now = Date.now()): Promise<number> {
  const start = Math.floor(now / 1000 / windowSeconds) * windowSeconds;
  const out = await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: { PK: `RATE#${bucket}`, SK: `W#${start}` },
      UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':ttl': start + windowSeconds + 60 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.count ?? 1);
}
