/**
 * Emergencies, the phone locks that join repeated presses, and rescue stations. The only code
 * that knows these keys.
 *
 *   EMERGENCY#<id> / META                  the request, its timeline and state (one item: a state
 *       GSI1 EMERGENCIES#OPEN / <createdAt>#<id>      change and its timeline entry are one write)
 *       GSI2 EMERGENCIES#DAY#<date> / <createdAt>#<id>
 *       A press from another device for the same number is its own item (status merged, link
 *       `linked`), named in the open request's `linkedIds`; a repeat from the same device is
 *       merged (link `repeat`) into it.
 *   EMERGENCY#PHONE#<sha256> / LOCK        which request a phone's presses join, until lockedUntil
 *                                          (a press without a number: its device, `device:<digest>`)
 *   STATION#<id> / PROFILE                 a rescue point; GSI1 RESCUE_STATIONS / <kind>#<id>
 *
 * Open emergencies are few (dozens a day for a city), so one GSI1 partition lists them all.
 * An emergency leaves it (REMOVE GSI1PK) in the same write that ends it.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localDate, OPEN_EMERGENCY_STATUSES, type CapturedLocation, type Complaint, type EmergencyStatus, type EmergencyTimelineKind } from '@hospital/shared';
import type * as z from 'zod';
import { conditionally, db, isConditionFailed, queryAll, table, ttlIn } from '#lib/table';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface TimelineItem {
  at: string;
  kind: z.infer<typeof EmergencyTimelineKind>;
  /** Neutral words both sides may read (已派出…，预计 15 分钟到达). */
  text: string;
  /** A dispatcher's note: the console only. */
  note?: string;
  by?: string;
  byId?: string;
}

export interface DispatchItem {
  team: string;
  etaMinutes: number;
  eta: string;
  dispatchedAt: string;
}

export interface EmergencyItem {
  id: string;
  status: EmergencyStatus;
  severity: number;
  complaints: Complaint[];
  text?: string;
  place?: string;
  stationId?: string;
  /** Full number (11 digits for a mainland mobile, else E.164): the dispatcher calls back. Masked in every caller-facing view. Absent until given. */
  phone?: string;
  /** The number's country (ISO alpha-2, absent for +800 and the like) and calling code; `foreign` when not mainland. */
  phoneCountry?: string;
  callingCode?: string;
  foreign?: boolean;
  userId?: string;
  patientId?: string;
  /** Kept on the request so the console list needs no second read. */
  patientName?: string;
  location?: CapturedLocation;
  wgs84?: LatLng;
  presses: number;
  dispatch?: DispatchItem;
  timeline: TimelineItem[];
  mergedInto?: string;
  /** How a merged press relates to `mergedInto`: the same device pressing again, or another device linked. */
  link?: 'repeat' | 'linked';
  /** Digest of the pressing device's secret (emergency/device.ts); absent when it sent none. */
  device?: string;
  /** Presses for the same number from other devices (at most MAX_LINKED ids; `linkedCount` counts all). */
  linkedIds?: string[];
  linkedCount?: number;
  /** Anonymous presses: the flood groups it would belong to, most specific first (emergency/flood.ts). */
  sources?: string[];
  /** The source past its threshold when this request was counted. */
  flood?: string;
  /** The flood group a dispatcher dismissed it with. */
  floodDismissed?: string;
  grantOpenedAt?: string;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
}

const key = (id: string) => ({ PK: `EMERGENCY#${id}`, SK: 'META' });
const OPEN_INDEX = 'EMERGENCIES#OPEN';
const dayIndex = (date: string) => `EMERGENCIES#DAY#${date}`;

// Complaints and linked ids are string sets in the table (ADD merges them atomically); lists in code.
type Stored = Omit<EmergencyItem, 'complaints' | 'linkedIds'> & { complaints?: Set<string>; linkedIds?: Set<string> };
function fromStored(i: Record<string, unknown>): EmergencyItem {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i as Stored & Record<string, unknown>;
  const out: EmergencyItem = { ...(rest as Omit<EmergencyItem, 'complaints' | 'linkedIds'>), complaints: [...(rest.complaints ?? [])] as Complaint[] };
  if (rest.linkedIds) out.linkedIds = [...rest.linkedIds].sort();
  return out;
}
const asSet = (c: readonly string[]) => (c.length ? new Set(c) : undefined);

/** The one durable write of a new request: nothing else happens before it succeeds. */
export async function putEmergency(e: EmergencyItem): Promise<void> {
  const sk = `${e.createdAt}#${e.id}`;
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...key(e.id),
        ...e,
        complaints: asSet(e.complaints),
        GSI1PK: OPEN_INDEX,
        GSI1SK: sk,
        GSI2PK: dayIndex(localDate(e.createdAt)),
        GSI2SK: sk,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function getEmergency(id: string): Promise<EmergencyItem | undefined> {
  if (!/^[\w-]{1,80}$/.test(id)) return undefined;
  const out = await db.send(new GetCommand({ TableName: table(), Key: key(id), ConsistentRead: true }));
  return out.Item ? fromStored(out.Item) : undefined;
}

/** Every open request, page after page: during a flood they exceed one 1 MB page, and none may be missed. */
export async function listOpen(): Promise<EmergencyItem[]> {
  const items = await queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': OPEN_INDEX }, ScanIndexForward: false });
  return items.map(fromStored);
}

/** Several requests by id (the presses linked to one), in no particular order. */
export async function getMany(ids: readonly string[]): Promise<EmergencyItem[]> {
  const out: EmergencyItem[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let pending: Record<string, unknown>[] = ids.slice(i, i + 100).map(key);
    for (let attempt = 0; pending.length && attempt < 8; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * Math.random()));
      const r = await db.send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending, ConsistentRead: true } } }));
      out.push(...(r.Responses?.[table()] ?? []).map(fromStored));
      pending = (r.UnprocessedKeys?.[table()]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}

/** Everything created on these hospital-local dates, newest first. */
export async function listByDays(dates: string[]): Promise<EmergencyItem[]> {
  const all: EmergencyItem[] = [];
  for (const d of dates) {
    const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': dayIndex(d) }, ScanIndexForward: false });
    all.push(...items.map(fromStored));
  }
  return all;
}

const OPEN = OPEN_EMERGENCY_STATUSES as readonly string[];
const inList = (prefix: string, values: readonly string[]) => ({
  expr: `(${values.map((_, i) => `:${prefix}${i}`).join(', ')})`,
  values: Object.fromEntries(values.map((v, i) => [`:${prefix}${i}`, v])),
});

export interface Transition {
  from: readonly EmergencyStatus[];
  to: EmergencyStatus;
  entry: TimelineItem;
  dispatch?: DispatchItem;
  /** Dismissed with this flood group (a dispatcher's one action over a suspected flood). */
  floodGroup?: string;
}

/**
 * Moves the request to `to` if it is still in one of `from`, appending the timeline entry in
 * the same write. Undefined when the state had changed (or the item is missing).
 */
export async function transition(id: string, t: Transition): Promise<EmergencyItem | undefined> {
  const from = inList('f', t.from);
  const ending = !OPEN.includes(t.to);
  const sets = ['#status = :to', 'updatedAt = :at', 'timeline = list_append(timeline, :entry)'];
  if (t.dispatch) sets.push('dispatch = :dispatch');
  if (t.floodGroup) sets.push('floodDismissed = :flood');
  if (ending) sets.push('endedAt = :at');
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: key(id),
        UpdateExpression: `SET ${sets.join(', ')}${ending ? ' REMOVE GSI1PK, GSI1SK' : ''}`,
        ConditionExpression: `attribute_exists(PK) AND #status IN ${from.expr}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...from.values,
          ':to': t.to,
          ':at': t.entry.at,
          ':entry': [t.entry],
          ...(t.dispatch ? { ':dispatch': t.dispatch } : {}),
          ...(t.floodGroup ? { ':flood': t.floodGroup } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromStored(out.Attributes!);
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}

export interface Addition {
  entry: TimelineItem;
  complaints?: readonly Complaint[];
  /** A repeated press: counts one more. */
  press?: boolean;
}

/** Adds what the caller says to an OPEN request; false when it is no longer open. */
export async function addToOpen(id: string, a: Addition): Promise<boolean> {
  const open = inList('o', OPEN);
  const sets = ['updatedAt = :at', 'timeline = list_append(timeline, :entry)'];
  const adds: string[] = [];
  if (a.press) adds.push('presses :one');
  if (a.complaints?.length) adds.push('complaints :c');
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: key(id),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(PK) AND #status IN ${open.expr}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ...open.values,
        ':at': a.entry.at,
        ':entry': [a.entry],
        ...(a.press ? { ':one': 1 } : {}),
        ...(a.complaints?.length ? { ':c': new Set(a.complaints) } : {}),
      },
    }),
  ));
}

/** Raises the severity (1 is the most severe); never lowers it, whatever order writes land in. */
export async function raiseSeverity(id: string, severity: number): Promise<void> {
  await conditional({
    Key: key(id),
    UpdateExpression: 'SET severity = :s',
    ConditionExpression: 'attribute_exists(PK) AND severity > :s',
    ExpressionAttributeValues: { ':s': severity },
  });
}

/** Keeps the newest fix: a late-arriving older fix never replaces a newer one. */
export async function updateLocation(id: string, location: CapturedLocation, wgs84: LatLng): Promise<void> {
  await conditional({
    Key: key(id),
    UpdateExpression: 'SET #loc = :l, wgs84 = :w',
    ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(#loc) OR #loc.capturedAt < :t)',
    ExpressionAttributeNames: { '#loc': 'location' },
    ExpressionAttributeValues: { ':l': location, ':w': wgs84, ':t': location.capturedAt },
  });
}

/** A press that joined another request: kept for the record, out of the open list. */
export async function markMerged(id: string, into: string, at: string, link: 'repeat' | 'linked' = 'repeat'): Promise<void> {
  await conditional({
    Key: key(id),
    UpdateExpression: 'SET #status = :m, mergedInto = :into, #link = :link, updatedAt = :at, endedAt = :at REMOVE GSI1PK, GSI1SK',
    ConditionExpression: '#status = :r',
    ExpressionAttributeNames: { '#status': 'status', '#link': 'link' },
    ExpressionAttributeValues: { ':m': 'merged', ':into': into, ':link': link, ':at': at, ':r': 'received' },
  });
}

/** Ids of linked presses kept on the request (more are counted, not listed). */
export const MAX_LINKED = 50;

/**
 * Links another device's press to an OPEN request, for the dispatcher: the request's own content
 * (location, words, timeline) is not touched. False when the request is no longer open.
 */
export async function linkPress(id: string, pressId: string, at: string): Promise<boolean> {
  const open = inList('o', OPEN);
  const write = (listed: boolean) =>
    conditionally(db.send(
      new UpdateCommand({
        TableName: table(),
        Key: key(id),
        UpdateExpression: `SET updatedAt = :at ADD linkedCount :one${listed ? ', linkedIds :ids' : ''}`,
        ConditionExpression: `attribute_exists(PK) AND #status IN ${open.expr}${listed ? ' AND (attribute_not_exists(linkedIds) OR size(linkedIds) < :max)' : ''}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...open.values, ':at': at, ':one': 1, ...(listed ? { ':ids': new Set([pressId]), ':max': MAX_LINKED } : {}) },
      }),
    ));
  return (await write(true)) || write(false);
}

/** A linked press's own caller adds to it (never to the request it is linked to). False unless it is a linked press. */
export async function addToLinked(id: string, a: Omit<Addition, 'press'>, location?: { location: CapturedLocation; wgs84: LatLng }): Promise<boolean> {
  const sets = ['updatedAt = :at', 'timeline = list_append(timeline, :entry)'];
  if (location) sets.push('#loc = :l', 'wgs84 = :w');
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: key(id),
      UpdateExpression: `SET ${sets.join(', ')}${a.complaints?.length ? ' ADD complaints :c' : ''}`,
      ConditionExpression: `#status = :m AND #link = :linked${location ? ' AND (attribute_not_exists(#loc) OR #loc.capturedAt < :t)' : ''}`,
      ExpressionAttributeNames: { '#status': 'status', '#link': 'link', ...(location ? { '#loc': 'location' } : {}) },
      ExpressionAttributeValues: {
        ':m': 'merged',
        ':linked': 'linked',
        ':at': a.entry.at,
        ':entry': [a.entry],
        ...(a.complaints?.length ? { ':c': new Set(a.complaints) } : {}),
        ...(location ? { ':l': location.location, ':w': location.wgs84, ':t': location.location.capturedAt } : {}),
      },
    }),
  ));
}

/** Something changed that the console shows (a linked press's details): the list row's time moves on. */
export async function touch(id: string, at: string): Promise<void> {
  await conditional({ Key: key(id), UpdateExpression: 'SET updatedAt = :at', ConditionExpression: 'attribute_exists(PK) AND updatedAt < :at', ExpressionAttributeValues: { ':at': at } });
}

/** The call-back number given after the press (or a corrected one), with its country. */
export async function setPhone(id: string, p: { phone: string; phoneCountry?: string; callingCode: string; foreign: boolean }): Promise<void> {
  await conditional({
    Key: key(id),
    UpdateExpression: `SET phone = :p, callingCode = :cc, #foreign = :f${p.phoneCountry ? ', phoneCountry = :c' : ' REMOVE phoneCountry'}`,
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeNames: { '#foreign': 'foreign' },
    ExpressionAttributeValues: { ':p': p.phone, ':cc': p.callingCode, ':f': p.foreign, ...(p.phoneCountry ? { ':c': p.phoneCountry } : {}) },
  });
}

export async function setPlace(id: string, place: string): Promise<void> {
  await conditional({ Key: key(id), UpdateExpression: 'SET #place = :p', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeNames: { '#place': 'place' }, ExpressionAttributeValues: { ':p': place } });
}

/** Counted past a source's threshold: the request is listed in that source's flood group. */
export async function markFlood(id: string, group: string): Promise<void> {
  await conditional({ Key: key(id), UpdateExpression: 'SET flood = :g', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':g': group } });
}

export async function markGrantOpened(id: string, at: string): Promise<void> {
  await conditional({ Key: key(id), UpdateExpression: 'SET grantOpenedAt = :at', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':at': at } });
}

async function conditional(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
  return conditionally(db.send(new UpdateCommand({ TableName: table(), ...input })));
}

// ── phone locks: repeated presses from one phone within the window join one request ──

// Hashed so the number is not in a key (keys show up in metrics, traces and error messages).
const lockKey = (phone: string) => ({ PK: `EMERGENCY#PHONE#${createHash('sha256').update(phone).digest('hex')}`, SK: 'LOCK' });

export type LockOutcome = { taken: true } | { taken: false; holder: string };

/**
 * Takes the phone's lock for `emergencyId` if nobody holds it (or it lapsed). When `replacing`
 * is given, takes it only from that holder (whose request has ended). A conditional write:
 * of two presses racing, exactly one takes it; the other learns who holds it.
 */
export async function takePhoneLock(phone: string, emergencyId: string, windowSeconds: number, replacing?: string, now = Date.now()): Promise<LockOutcome> {
  const nowS = Math.floor(now / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...lockKey(phone), emergencyId, lockedUntil: nowS + windowSeconds, ttl: ttlIn(windowSeconds + 3600, now) },
        ConditionExpression: replacing ? 'emergencyId = :old' : 'attribute_not_exists(PK) OR lockedUntil < :now',
        ExpressionAttributeValues: replacing ? { ':old': replacing } : { ':now': nowS },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { taken: true };
  } catch (e) {
    if (!isConditionFailed(e)) throw e;
    // The failed item comes back unconverted (AttributeValue map).
    const held = (e as { Item?: { emergencyId?: { S?: string } } }).Item?.emergencyId?.S;
    if (held) return { taken: false, holder: held };
    const again = await db.send(new GetCommand({ TableName: table(), Key: lockKey(phone), ConsistentRead: true }));
    return { taken: false, holder: (again.Item?.emergencyId as string | undefined) ?? '' };
  }
}

/** Another press joined: the window runs on from now (only while the same request holds it). */
export async function extendPhoneLock(phone: string, emergencyId: string, windowSeconds: number, now = Date.now()): Promise<void> {
  const nowS = Math.floor(now / 1000);
  await conditional({
    Key: lockKey(phone),
    UpdateExpression: 'SET lockedUntil = :until, #ttl = :ttl',
    ConditionExpression: 'emergencyId = :id',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':until': nowS + windowSeconds, ':ttl': ttlIn(windowSeconds + 3600, now), ':id': emergencyId },
  });
}

// ── rescue stations ──

export interface StationItem {
  id: string;
  name: string;
  kind: 'station' | 'hospital' | 'rescue';
  phone?: string;
  wgs84: LatLng;
  createdAt: string;
}

const stationKey = (id: string) => ({ PK: `STATION#${id}`, SK: 'PROFILE' });

export async function putStation(s: StationItem, onlyIfNew = false): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...stationKey(s.id), ...s, GSI1PK: 'RESCUE_STATIONS', GSI1SK: `${s.kind}#${s.id}` },
        ...(onlyIfNew ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

export async function getStation(id: string): Promise<StationItem | undefined> {
  if (!/^[\w-]{1,80}$/.test(id)) return undefined;
  const out = await db.send(new GetCommand({ TableName: table(), Key: stationKey(id) }));
  return out.Item as StationItem | undefined;
}

export async function listStations(): Promise<StationItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': 'RESCUE_STATIONS' } }),
  );
  return (out.Items ?? []).map((i) => {
    const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, ...rest } = i;
    return rest as StationItem;
  });
}
