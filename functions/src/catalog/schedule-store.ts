/**
 * Sessions (出诊) and their places (号源). The only code that knows these keys.
 *
 *   SCHED#<id> / PROFILE            the session: doctor, date, fee, booking calendar, stopped?
 *                                   GSI1 DOCTOR#<doctorId>#SCHEDS / <date>#<order>   (a doctor's days)
 *                                   GSI2 DAY#<date> / <orgId>#<deptId>#<order>#<id>  (a day's sessions)
 *   PLACES#<id>#<n> / PLACES        place shard n of PLACE_SHARDS: { cap, left, open }
 *   PLACES#<id>#<PLACE_SHARDS>      the reserved places (签约居民优先号), when the session has any:
 *                                   { cap, left, open, priority: true }. Booking them needs a
 *                                   contract check in the same transaction until `reservedUntil`.
 *
 * Why shards (release-morning arithmetic, real DynamoDB): one item accepts at most 1,000 WCU/s,
 * and a transactional write costs 2 WCU per item (≤ 1 KB), so a single counter tops out at
 * ~500 transactional bookings/s. A booking touches exactly one shard, so S shards give
 * S × 500/s: 8 shards ≈ 4,000/s, twice the 2,000 bookings/s target — the margin pays for
 * failed conditional writes (they are charged too) and transaction conflicts retried on another
 * shard. Refusals cost no write at all: a booking first reads the shards (eventually
 * consistent, 0.5 RCU each; 2,000/s × 0.5 = 1,000 RCU/s per shard, a third of the 3,000 RCU/s
 * item limit) and a session with no open shard left is refused without writing. Every other
 * item of a booking (appointment, per-person mark) has its own key, and the appointments'
 * schedule index is sharded the same way (GSI2 APPTS#<id>#<n>), so nothing else is hot.
 */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Session } from '@hospital/shared';
import { SESSION_INFO } from '@hospital/shared';
import { transactWrite } from '#lib/transact';
import { db, table } from '#lib/table';

export const PLACE_SHARDS = 8;

export interface ScheduleItem {
  id: string;
  orgId: string;
  orgName: string;
  deptId: string;
  deptName: string;
  doctorId: string;
  doctorName: string;
  doctorTitle: string;
  date: string;
  session: Session;
  startsAt: string;
  endsAt: string;
  capacity: number;
  fee: number;
  releaseAt: string;
  bookingClosesAt: string;
  cancelCutoffAt: string;
  shards: number;
  stopped: boolean;
  stoppedReason?: string;
  /** Places of `capacity` held for contracted residents (the reserved shard). */
  reserved?: number;
  /** Until then the reserved shard needs a contract; after, it is open to everyone. */
  reservedUntil?: string;
  /** 'video': held online (视频问诊); absent: at the clinic. */
  mode?: 'clinic' | 'video';
  stoppedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface PlaceShard {
  scheduleId: string;
  shard: number;
  cap: number;
  left: number;
  open: boolean;
  /** The reserved shard. */
  priority?: boolean;
}

export interface ScheduleWithPlaces {
  schedule: ScheduleItem;
  shards: PlaceShard[];
}

const profileKey = (id: string) => ({ PK: `SCHED#${id}`, SK: 'PROFILE' });
const placesKey = (id: string, n: number) => ({ PK: `PLACES#${id}#${n}`, SK: 'PLACES' });
const indexes = (s: Pick<ScheduleItem, 'id' | 'orgId' | 'deptId' | 'doctorId' | 'date' | 'session'>) => {
  const order = SESSION_INFO[s.session].order;
  return {
    GSI1PK: `DOCTOR#${s.doctorId}#SCHEDS`,
    GSI1SK: `${s.date}#${order}`,
    GSI2PK: `DAY#${s.date}`,
    GSI2SK: `${s.orgId}#${s.deptId}#${order}#${s.id}`,
  };
};
const strip = <T>(item: Record<string, unknown> | undefined) => {
  if (!item) return undefined;
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = item;
  return rest as T;
};

/** Places spread evenly: 50 over 8 shards → 7,7,6,6,6,6,6,6. */
export function splitPlaces(capacity: number, shards = PLACE_SHARDS): number[] {
  return Array.from({ length: shards }, (_, i) => Math.floor(capacity / shards) + (i < capacity % shards ? 1 : 0));
}

/** Shards a session has: the public ones, and the reserved one after them. */
export const shardCount = (s: Pick<ScheduleItem, 'shards' | 'reserved'>) => s.shards + (s.reserved ? 1 : 0);

/** Reserved places are still held for contracted residents (not yet open to everyone). */
export const reservedHeld = (s: Pick<ScheduleItem, 'reserved' | 'reservedUntil'>, now = Date.now()) =>
  !!s.reserved && !!s.reservedUntil && now < Date.parse(s.reservedUntil);

/** Which pool a shard belongs to now: reserved ones join the public pool once opened. */
export const poolOf = (shard: PlaceShard, s: ScheduleItem, now = Date.now()): 'public' | 'reserved' =>
  shard.priority && reservedHeld(s, now) ? 'reserved' : 'public';

/** Places left in a pool (closed shards count none). */
export function placesLeft({ schedule, shards }: ScheduleWithPlaces, pool: 'public' | 'reserved' = 'public', now = Date.now()): number {
  return shards.reduce((n, p) => n + (p.open && poolOf(p, schedule, now) === pool ? p.left : 0), 0);
}

/** The shards a new session starts with: the public places spread, the reserved ones after. */
export function initialShards(s: ScheduleItem): PlaceShard[] {
  const reserved = s.reserved ?? 0;
  const shards: PlaceShard[] = splitPlaces(s.capacity - reserved, s.shards).map((cap, shard) => ({ scheduleId: s.id, shard, cap, left: cap, open: true }));
  if (reserved) shards.push({ scheduleId: s.id, shard: s.shards, cap: reserved, left: reserved, open: true, priority: true });
  return shards;
}

/** Creates the session and its shards at once; false when the session already exists. */
export async function createSchedule(s: ScheduleItem): Promise<boolean> {
  try {
    await transactWrite({
      TransactItems: [
        { Put: { TableName: table(), Item: { ...profileKey(s.id), ...s, ...indexes(s) }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...initialShards(s).map((p) => ({
          Put: { TableName: table(), Item: { ...placesKey(s.id, p.shard), ...p }, ConditionExpression: 'attribute_not_exists(PK)' },
        })),
      ],
    });
    return true;
  } catch (e) {
    if ((e as Error).name === 'TransactionCanceledException') return false;
    throw e;
  }
}

/** The session and its shards in one BatchGet. */
export async function getSchedule(id: string, consistent = false): Promise<ScheduleWithPlaces | undefined> {
  // Every possible shard, the reserved one included (absent ones are simply not returned).
  const keys = [profileKey(id), ...Array.from({ length: PLACE_SHARDS + 1 }, (_, n) => placesKey(id, n))];
  const items = await batchGet(keys, consistent);
  const schedule = strip<ScheduleItem>(items.find((i) => i.SK === 'PROFILE'));
  if (!schedule) return undefined;
  const shards = items.filter((i) => i.SK === 'PLACES').map((i) => strip<PlaceShard>(i)!).sort((a, b) => a.shard - b.shard);
  return { schedule, shards };
}

async function batchGet(keys: Record<string, string>[], consistent: boolean): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, string>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending?.length && attempt < 5; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res = await db.send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending, ConsistentRead: consistent } } }));
      out.push(...((res.Responses?.[table()] ?? []) as Record<string, unknown>[]));
      pending = res.UnprocessedKeys?.[table()]?.Keys as Record<string, string>[] | undefined;
    }
    if (pending?.length) throw new Error('BatchGet left keys unprocessed');
  }
  return out;
}

/** A doctor's sessions between two dates (inclusive), with their places. */
export async function listDoctorSchedules(doctorId: string, from: string, to: string): Promise<ScheduleWithPlaces[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :p AND GSI1SK BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': `DOCTOR#${doctorId}#SCHEDS`, ':a': from, ':b': `${to}#~` },
    }),
  );
  return withPlaces((out.Items ?? []).map((i) => strip<ScheduleItem>(i)!));
}

/** A day's sessions, optionally of one organisation (staff lists, day-before reminders). */
export async function listDaySchedules(date: string, orgId?: string): Promise<ScheduleItem[]> {
  const items: ScheduleItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'GSI2',
        KeyConditionExpression: orgId ? 'GSI2PK = :p AND begins_with(GSI2SK, :o)' : 'GSI2PK = :p',
        ExpressionAttributeValues: { ':p': `DAY#${date}`, ...(orgId ? { ':o': `${orgId}#` } : {}) },
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []).map((i) => strip<ScheduleItem>(i)!));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function withPlaces(schedules: ScheduleItem[]): Promise<ScheduleWithPlaces[]> {
  const keys = schedules.flatMap((s) => Array.from({ length: shardCount(s) }, (_, n) => placesKey(s.id, n)));
  const shards = (await batchGet(keys, false)).map((i) => strip<PlaceShard>(i)!);
  return schedules.map((schedule) => ({ schedule, shards: shards.filter((p) => p.scheduleId === schedule.id).sort((a, b) => a.shard - b.shard) }));
}

// Transaction parts used by booking: a place taken or given back rides on the same write as the
// appointment's state change, so it happens exactly once.

export const takePlace = (id: string, n: number) => ({
  Update: {
    TableName: table(),
    Key: placesKey(id, n),
    UpdateExpression: 'SET #left = #left - :one',
    ConditionExpression: '#open = :true AND #left > :zero',
    ExpressionAttributeNames: { '#left': 'left', '#open': 'open' },
    ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':true': true },
  },
});

export const returnPlace = (id: string, n: number) => ({
  Update: {
    TableName: table(),
    Key: placesKey(id, n),
    UpdateExpression: 'SET #left = #left + :one',
    ConditionExpression: 'attribute_exists(PK) AND #left < #cap',
    ExpressionAttributeNames: { '#left': 'left', '#cap': 'cap' },
    ExpressionAttributeValues: { ':one': 1 },
  },
});

/** 停诊, step 1: no shard accepts a booking any more. Idempotent. */
export async function stopSchedule(s: ScheduleItem, reason: string, at: string): Promise<void> {
  await transactWrite(
    {
      TransactItems: [
        {
          Update: {
            TableName: table(),
            Key: profileKey(s.id),
            UpdateExpression: 'SET #stopped = :true, stoppedReason = if_not_exists(stoppedReason, :r), stoppedAt = if_not_exists(stoppedAt, :at), updatedAt = :at',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#stopped': 'stopped' },
            ExpressionAttributeValues: { ':true': true, ':r': reason, ':at': at },
          },
        },
        ...Array.from({ length: shardCount(s) }, (_, n) => ({
          Update: { TableName: table(), Key: placesKey(s.id, n), UpdateExpression: 'SET #open = :false', ExpressionAttributeNames: { '#open': 'open' }, ExpressionAttributeValues: { ':false': false } },
        })),
      ],
    },
    // Shards are hot on a release morning; closing them must get through.
    10,
  );
}

export type ProfileChanges = Partial<Pick<ScheduleItem, 'fee' | 'releaseAt' | 'bookingClosesAt' | 'cancelCutoffAt'>>;

/**
 * Changes the profile and, for a new capacity, the shards, all or nothing. `shardDeltas[n]`
 * adds to shard n's cap and left; a negative delta is conditional on that many free places,
 * so a booking racing the change makes it fail (the caller answers 409) instead of overbooking.
 */
export async function updateSchedule(s: ScheduleItem, changes: ProfileChanges & { capacity?: number }, shardDeltas: number[], at: string): Promise<boolean> {
  const sets = Object.entries({ ...changes, updatedAt: at }).filter(([, v]) => v !== undefined);
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: table(),
            Key: profileKey(s.id),
            UpdateExpression: `SET ${sets.map(([k]) => `#${k} = :${k}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(PK) AND #stopped = :false AND updatedAt = :seen',
            ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k]) => [`#${k}`, k])), '#stopped': 'stopped' },
            ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([k, v]) => [`:${k}`, v])), ':false': false, ':seen': s.updatedAt },
          },
        },
        ...shardDeltas.flatMap((d, n) =>
          d === 0
            ? []
            : [
                {
                  Update: {
                    TableName: table(),
                    Key: placesKey(s.id, n),
                    UpdateExpression: 'SET #cap = #cap + :d, #left = #left + :d',
                    ConditionExpression: '#left >= :need',
                    ExpressionAttributeNames: { '#left': 'left', '#cap': 'cap' },
                    ExpressionAttributeValues: { ':d': d, ':need': Math.max(0, -d) },
                  },
                },
              ],
        ),
      ],
    });
    return true;
  } catch (e) {
    if ((e as Error).name === 'TransactionCanceledException') return false;
    throw e;
  }
}

