/**
 * Kiosks, their bindings, readings and alerts. The only code that knows these keys.
 *
 *   KIOSK#<id> / KIOSK                 registry entry + active secrets; GSI1 KIOSKS / <orgId>#<id>
 *   KIOSK#<id> / SESSION               the person bound now (one at a time), ttl
 *   KIOSK#<id> / CODE                  the one-time code the kiosk shows now (used once), ttl
 *   KBIND#<userId> / KIOSK             where the account is bound now (binding elsewhere ends it)
 *   KPUSH#<id>#<sha(messageId)> / PUSH    marker of a stored push: content hash, who it went to
 *   KPUSH#<id>#<sha(messageId)> / NOTICE  its alert message was sent (once)
 *   READ#<patientId> / R#<code>#<effectiveAt>#<readingId>    a reading (by sign and time)
 *       GSI1 READT#<patientId> / <effectiveAt>#<readingId>   (all signs by time)
 *   READ#<patientId> / WAVE#<readingId>                      link to an ECG waveform blob
 *   ALERT#<patientId> / <at>#<alertId>  an alert; GSI2 ALERTS#<orgId> / <at>#<alertId>
 *   UNASSIGNED#<orgId> / PUSH#<pushId> a push with nobody bound (its readings inline)
 */
import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Severity } from '@hospital/shared';
import { cancellationReasons, conditionally, db, isConditionFailed, isTransactionCancelled, table, ttlIn } from '#lib/table';
import { transactWrite } from '#lib/transact';

export interface KioskSecret {
  id: string;
  value: string;
  createdAt: string;
}
export interface KioskItem {
  kioskId: string;
  orgId: string;
  orgName: string;
  label: string;
  qrCode: string;
  /** Newest first; at most two are active. */
  secrets: KioskSecret[];
  createdAt: string;
}

export interface SessionItem {
  kioskId: string;
  sessionId: string;
  userId: string;
  patientId: string;
  patientName: string;
  openedAt: string;
  expiresAt: string;
  /** Renewals used (absent: none). */
  renewals?: number;
}

export interface CodeItem {
  kioskId: string;
  code: string;
  issuedAt: string;
  expiresAt: string;
  /** Wrong codes typed against it so far. */
  tries?: number;
}

export interface ReadingItem {
  readingId: string;
  patientId?: string;
  code: string;
  value?: number;
  valueText?: string;
  systolic?: number;
  diastolic?: number;
  unit?: string;
  effectiveAt: string;
  receivedAt: string;
  kioskId: string;
  orgId: string;
  pushId: string;
  severity: Severity;
  label: string;
  source?: string;
  panel?: string;
  interpretation?: string;
  /** Blob key of the ECG waveform. */
  waveformKey?: string;
}

export interface AlertItem {
  alertId: string;
  patientId: string;
  patientName: string;
  userId: string;
  readingId: string;
  code: string;
  display: string;
  severity: Severity;
  label: string;
  source?: string;
  at: string;
  kioskId: string;
  orgId: string;
}

export interface UnassignedItem {
  pushId: string;
  orgId: string;
  kioskId: string;
  kioskLabel: string;
  receivedAt: string;
  readings: ReadingItem[];
}

const T = () => table();
const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
const strip = <X>(i: Record<string, unknown>): X => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ttl: _t, ...rest } = i;
  return rest as X;
};

// ── kiosks ───────────────────────────────────────────────────────────────────────────────────
const kioskKey = (id: string) => ({ PK: `KIOSK#${id}`, SK: 'KIOSK' });

export async function getKiosk(id: string): Promise<KioskItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: kioskKey(id) }));
  return out.Item ? strip<KioskItem>(out.Item) : undefined;
}

/** false when the id is taken (unless `overwrite`, used by the seed). */
export async function putKiosk(k: KioskItem, overwrite = false): Promise<boolean> {
  return conditionally(db.send(
    new PutCommand({
      TableName: T(),
      Item: { ...kioskKey(k.kioskId), ...k, GSI1PK: 'KIOSKS', GSI1SK: `${k.orgId}#${k.kioskId}` },
      ...(overwrite ? {} : { ConditionExpression: 'attribute_not_exists(PK)' }),
    }),
  ));
}

/** Replaces the secret list only if nobody rotated in between (compare the newest id). */
export async function setSecrets(id: string, secrets: KioskSecret[], expectNewest: string): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: T(),
      Key: kioskKey(id),
      UpdateExpression: 'SET secrets = :s',
      ConditionExpression: 'secrets[0].id = :n',
      ExpressionAttributeValues: { ':s': secrets, ':n': expectNewest },
    }),
  ));
}

export async function listKiosks(orgId?: string): Promise<KioskItem[]> {
  const out: KioskItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const r = await db.send(
      new QueryCommand({
        TableName: T(),
        IndexName: 'GSI1',
        KeyConditionExpression: orgId ? 'GSI1PK = :p AND begins_with(GSI1SK, :o)' : 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': 'KIOSKS', ...(orgId ? { ':o': `${orgId}#` } : {}) },
        ExclusiveStartKey,
      }),
    );
    out.push(...(r.Items ?? []).map((i) => strip<KioskItem>(i)));
    ExclusiveStartKey = r.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

// ── sessions ─────────────────────────────────────────────────────────────────────────────────
const sessionKey = (kioskId: string) => ({ PK: `KIOSK#${kioskId}`, SK: 'SESSION' });

/** The open session, if any (TTL deletion is lazy: the expiry is checked here). */
export async function getSession(kioskId: string, now = new Date().toISOString()): Promise<SessionItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: sessionKey(kioskId), ConsistentRead: true }));
  const s = out.Item ? strip<SessionItem>(out.Item) : undefined;
  return s && s.expiresAt > now ? s : undefined;
}

/**
 * Opens (or renews) a session, unless another account's session is still open: two families
 * never share a kiosk binding, so a reading can never land on the wrong account by a race.
 */
export async function openSession(s: SessionItem, now: string): Promise<boolean> {
  return conditionally(db.send(
    new PutCommand({
      TableName: T(),
      Item: { ...sessionKey(s.kioskId), ...s, ttl: Math.floor(Date.parse(s.expiresAt) / 1000) + 3600 },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now OR userId = :me',
      ExpressionAttributeValues: { ':now': now, ':me': s.userId },
    }),
  ));
}

export async function endSession(kioskId: string, userId: string): Promise<boolean> {
  const ended = await conditionally(db.send(new DeleteCommand({ TableName: T(), Key: sessionKey(kioskId), ConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': userId } })));
  // The account is bound nowhere now (only if the pointer still names this kiosk).
  await conditionally(db.send(new DeleteCommand({ TableName: T(), Key: bindingKey(userId), ConditionExpression: 'kioskId = :k', ExpressionAttributeValues: { ':k': kioskId } })));
  return ended;
}

const sessionTtl = (expiresAt: string) => Math.floor(Date.parse(expiresAt) / 1000) + 3600;

/**
 * One more measurement session from now for the account's own open binding, while renewals are
 * left. Undefined when the binding is not (or no longer) the account's, has ended, or has used
 * every renewal; the caller reads the session to say which.
 */
export async function renewSession(kioskId: string, userId: string, now: string, expiresAt: string, maxRenewals: number): Promise<SessionItem | undefined> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: T(),
        Key: sessionKey(kioskId),
        UpdateExpression: 'SET expiresAt = :e, #ttl = :ttl, renewals = if_not_exists(renewals, :zero) + :one',
        ConditionExpression: 'userId = :me AND expiresAt > :now AND (attribute_not_exists(renewals) OR renewals < :max)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':e': expiresAt, ':ttl': sessionTtl(expiresAt), ':zero': 0, ':one': 1, ':me': userId, ':now': now, ':max': maxRenewals },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<SessionItem>(out.Attributes!);
  } catch (e) {
    if (isConditionFailed(e)) return undefined;
    throw e;
  }
}

// ── the one-time code a kiosk shows, and binding with it ─────────────────────────────────────
const codeKey = (kioskId: string) => ({ PK: `KIOSK#${kioskId}`, SK: 'CODE' });
const bindingKey = (userId: string) => ({ PK: `KBIND#${userId}`, SK: 'KIOSK' });

/** The code the kiosk shows now, if any (expired ones included: the caller checks `expiresAt`). */
export async function getCode(kioskId: string): Promise<CodeItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: codeKey(kioskId), ConsistentRead: true }));
  return out.Item ? strip<CodeItem>(out.Item) : undefined;
}

/**
 * Puts a new code, replacing `replacing` (the code the caller saw, or none). False when another
 * request replaced it first: two kiosk polls at once end up showing the same code.
 */
export async function putCode(c: CodeItem, replacing: string | undefined): Promise<boolean> {
  return conditionally(db.send(
    new PutCommand({
      TableName: T(),
      Item: { ...codeKey(c.kioskId), ...c, tries: 0, ttl: Math.floor(Date.parse(c.expiresAt) / 1000) + 3600 },
      ConditionExpression: replacing === undefined ? 'attribute_not_exists(PK)' : 'code = :old',
      ...(replacing === undefined ? {} : { ExpressionAttributeValues: { ':old': replacing } }),
    }),
  ));
}

/** A wrong code was typed against `code`: counts it, and removes the code at `maxTries`. */
export async function failCode(kioskId: string, code: string, maxTries: number): Promise<void> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: T(),
        Key: codeKey(kioskId),
        UpdateExpression: 'ADD tries :one',
        ConditionExpression: 'code = :c',
        ExpressionAttributeValues: { ':one': 1, ':c': code },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (Number(out.Attributes?.tries ?? 0) >= maxTries) {
      await conditionally(db.send(new DeleteCommand({ TableName: T(), Key: codeKey(kioskId), ConditionExpression: 'code = :c', ExpressionAttributeValues: { ':c': code } })));
    }
  } catch (e) {
    if (!isConditionFailed(e)) throw e; // replaced meanwhile: nothing to count
  }
}

export interface Binding {
  kioskId: string;
  sessionId: string;
}

/** Where the account is bound now (the session there may have ended or been replaced since). */
export async function getBinding(userId: string): Promise<Binding | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: bindingKey(userId), ConsistentRead: true }));
  return out.Item ? { kioskId: out.Item.kioskId as string, sessionId: out.Item.sessionId as string } : undefined;
}

export type BindOutcome = 'bound' | 'code' | 'elsewhere';

/**
 * One transaction: uses up the code (it must still be the kiosk's code and unexpired), puts the
 * session — replacing whoever was bound (the person at the kiosk now proved presence) — and
 * records where the account is bound; when it was bound at another kiosk, that session ends in the
 * same write (only if it is still the one recorded). `code`: the code was used or replaced first;
 * `elsewhere`: the other kiosk's session changed meanwhile (call again without `previous`).
 */
export async function bindWithCode(s: SessionItem, code: string, now: string, previous?: Binding): Promise<BindOutcome> {
  const other = previous && previous.kioskId !== s.kioskId ? previous : undefined;
  try {
    await transactWrite({
      TransactItems: [
        {
          Delete: {
            TableName: T(),
            Key: codeKey(s.kioskId),
            ConditionExpression: 'code = :c AND expiresAt > :now',
            ExpressionAttributeValues: { ':c': code, ':now': now },
          },
        },
        { Put: { TableName: T(), Item: { ...sessionKey(s.kioskId), ...s, ttl: sessionTtl(s.expiresAt) } } },
        { Put: { TableName: T(), Item: { ...bindingKey(s.userId), kioskId: s.kioskId, sessionId: s.sessionId, ttl: sessionTtl(s.expiresAt) + 86_400 } } },
        ...(other
          ? [{ Delete: { TableName: T(), Key: sessionKey(other.kioskId), ConditionExpression: 'attribute_not_exists(PK) OR sessionId = :sid', ExpressionAttributeValues: { ':sid': other.sessionId } } }]
          : []),
      ],
    });
    return 'bound';
  } catch (e) {
    if (!isTransactionCancelled(e)) throw e;
    const reasons = cancellationReasons(e);
    if (reasons[0] === 'ConditionalCheckFailed') return 'code';
    if (reasons[3] === 'ConditionalCheckFailed') return 'elsewhere';
    throw e;
  }
}

// ── pushes: the marker of a stored push (idempotency by Bundle.identifier / MSH-10) ─────────
const markerKey = (kioskId: string, messageId: string) => ({ PK: `KPUSH#${kioskId}#${sha(messageId)}`, SK: 'PUSH' });
const MARKER_TTL_SECONDS = 90 * 24 * 3600;

/** Written in the same batch as the push's readings: its presence means the push was stored. */
export interface PushMarker {
  pushId: string;
  contentHash: string;
  receivedAt: string;
  /** Who the readings went to (absent: unassigned). */
  patientId?: string;
  userId?: string;
  patientName?: string;
  readings: number;
  alerts: number;
  /** Sort keys of the person's reading items, to check a stored push is whole. */
  readingKeys?: string[];
}

/**
 * One consistent BatchGetItem for everything a push needs to know: the binding at the kiosk,
 * whether this message was stored before, and whether this nonce was used.
 */
export async function lookupPush(kioskId: string, messageId: string, nonce: { PK: string; SK: string }, now = new Date().toISOString()) {
  const keys = [sessionKey(kioskId), markerKey(kioskId, messageId), nonce];
  let pending: Record<string, unknown>[] = keys;
  const found: Record<string, unknown>[] = [];
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 8) throw new Error('BatchGetItem left keys unprocessed after retries');
    if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * Math.random()));
    const out = await db.send(new BatchGetCommand({ RequestItems: { [T()]: { Keys: pending, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[T()] ?? []));
    pending = (out.UnprocessedKeys?.[T()]?.Keys ?? []) as Record<string, unknown>[];
  }
  const pick = (k: { PK: string; SK: string }) => found.find((i) => i.PK === k.PK && i.SK === k.SK);
  const session = pick(keys[0] as { PK: string; SK: string });
  const marker = pick(keys[1] as { PK: string; SK: string });
  const nonceRow = pick(nonce);
  const s = session ? strip<SessionItem>(session) : undefined;
  return {
    session: s && s.expiresAt > now ? s : undefined,
    marker: marker ? strip<PushMarker>(marker) : undefined,
    // TTL deletion is lazy: an expired row does not count.
    nonceUsed: !!nonceRow && Number(nonceRow.ttl) >= Math.floor(Date.parse(now) / 1000),
  };
}

export const markerPut = (kioskId: string, messageId: string, m: PushMarker) => ({
  PutRequest: { Item: { ...markerKey(kioskId, messageId), ...m, ttl: ttlIn(MARKER_TTL_SECONDS) } },
});

export const rowPut = (item: Record<string, unknown>) => ({ PutRequest: { Item: item } });

/** Once per push: true for the one caller that may send its alert message. */
export async function claimNotice(kioskId: string, messageId: string): Promise<boolean> {
  return conditionally(db.send(
    new PutCommand({ TableName: T(), Item: { PK: markerKey(kioskId, messageId).PK, SK: 'NOTICE', ttl: ttlIn(MARKER_TTL_SECONDS) }, ConditionExpression: 'attribute_not_exists(PK)' }),
  ));
}

/** How many of a stored push's readings are missing (a write that died half-way). */
export async function missingReadings(patientId: string, sortKeys: string[]): Promise<number> {
  let present = 0;
  for (let i = 0; i < sortKeys.length; i += 100) {
    let pending: Record<string, unknown>[] = sortKeys.slice(i, i + 100).map((SK) => ({ PK: `READ#${patientId}`, SK }));
    while (pending.length) {
      const out = await db.send(new BatchGetCommand({ RequestItems: { [T()]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'PK' } } }));
      present += out.Responses?.[T()]?.length ?? 0;
      pending = (out.UnprocessedKeys?.[T()]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return sortKeys.length - present;
}

export const readingSortKey = (r: Pick<ReadingItem, 'code' | 'effectiveAt' | 'readingId'>) => `R#${r.code}#${r.effectiveAt}#${r.readingId}`;

// ── readings, alerts, unassigned pushes ──────────────────────────────────────────────────────
type Put = { PutRequest: { Item: Record<string, unknown> } };
type Del = { DeleteRequest: { Key: Record<string, unknown> } };

export const readingPut = (r: ReadingItem & { patientId: string }): Put => ({
  PutRequest: {
    Item: {
      PK: `READ#${r.patientId}`,
      SK: readingSortKey(r),
      GSI1PK: `READT#${r.patientId}`,
      GSI1SK: `${r.effectiveAt}#${r.readingId}`,
      ...r,
    },
  },
});

export const waveformLinkPut = (patientId: string, readingId: string, key: string): Put => ({
  PutRequest: { Item: { PK: `READ#${patientId}`, SK: `WAVE#${readingId}`, readingId, waveformKey: key } },
});

export const alertPut = (a: AlertItem): Put => ({
  PutRequest: { Item: { PK: `ALERT#${a.patientId}`, SK: `${a.at}#${a.alertId}`, GSI2PK: `ALERTS#${a.orgId}`, GSI2SK: `${a.at}#${a.alertId}`, ...a } },
});

export const unassignedPut = (u: UnassignedItem): Put => ({ PutRequest: { Item: { PK: `UNASSIGNED#${u.orgId}`, SK: `PUSH#${u.pushId}`, ...u } } });
export const unassignedDelete = (orgId: string, pushId: string): Del => ({ DeleteRequest: { Key: { PK: `UNASSIGNED#${orgId}`, SK: `PUSH#${pushId}` } } });

/**
 * BatchWriteItem in chunks of 25, resending what the engine leaves unprocessed (with backoff).
 * Every write here is a put of a deterministic key, so sending one twice changes nothing.
 */
export async function batchWrite(requests: (Put | Del)[]): Promise<void> {
  const chunks: (Put | Del)[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: BatchWriteCommandInput['RequestItems'] = { [T()]: chunk };
      for (let attempt = 0; pending && Object.keys(pending).length; attempt++) {
        if (attempt > 8) throw new Error('BatchWriteItem left items unprocessed after retries');
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
        const out: { UnprocessedItems?: BatchWriteCommandInput['RequestItems'] } = await db.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = out.UnprocessedItems && Object.keys(out.UnprocessedItems).length ? out.UnprocessedItems : undefined;
      }
    }),
  );
}

export async function readingsOf(patientId: string, q: { code?: string; from?: string; to?: string }, limit = 2000): Promise<ReadingItem[]> {
  const lo = q.from ?? '0000';
  const hi = q.to ?? '9999';
  const out: ReadingItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const r = await db.send(
      q.code
        ? new QueryCommand({
            TableName: T(),
            KeyConditionExpression: 'PK = :p AND SK BETWEEN :lo AND :hi',
            ExpressionAttributeValues: { ':p': `READ#${patientId}`, ':lo': `R#${q.code}#${lo}`, ':hi': `R#${q.code}#${hi}\uffff` },
            ExclusiveStartKey,
          })
        : new QueryCommand({
            TableName: T(),
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :p AND GSI1SK BETWEEN :lo AND :hi',
            ExpressionAttributeValues: { ':p': `READT#${patientId}`, ':lo': lo, ':hi': `${hi}\uffff` },
            ExclusiveStartKey,
          }),
    );
    out.push(...(r.Items ?? []).map((i) => strip<ReadingItem>(i)));
    ExclusiveStartKey = out.length < limit ? r.LastEvaluatedKey : undefined;
  } while (ExclusiveStartKey);
  return out.slice(0, limit);
}

export async function latestOf(patientId: string, code: string): Promise<ReadingItem | undefined> {
  const r = await db.send(
    new QueryCommand({
      TableName: T(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :c)',
      ExpressionAttributeValues: { ':p': `READ#${patientId}`, ':c': `R#${code}#` },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return r.Items?.[0] ? strip<ReadingItem>(r.Items[0]) : undefined;
}

export async function waveformKeyOf(patientId: string, readingId: string): Promise<string | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: { PK: `READ#${patientId}`, SK: `WAVE#${readingId}` } }));
  return out.Item?.waveformKey as string | undefined;
}

export async function alertsOf(patientId: string, limit = 100): Promise<AlertItem[]> {
  const r = await db.send(
    new QueryCommand({ TableName: T(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `ALERT#${patientId}` }, ScanIndexForward: false, Limit: limit }),
  );
  return (r.Items ?? []).map((i) => strip<AlertItem>(i));
}

export async function alertsOfOrg(orgId: string, limit = 100): Promise<AlertItem[]> {
  const r = await db.send(
    new QueryCommand({ TableName: T(), IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `ALERTS#${orgId}` }, ScanIndexForward: false, Limit: limit }),
  );
  return (r.Items ?? []).map((i) => strip<AlertItem>(i));
}

export async function unassignedOf(orgId: string, limit = 100): Promise<UnassignedItem[]> {
  const r = await db.send(
    new QueryCommand({ TableName: T(), KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `UNASSIGNED#${orgId}` }, ScanIndexForward: false, Limit: limit }),
  );
  return (r.Items ?? []).map((i) => strip<UnassignedItem>(i));
}

export async function getUnassigned(orgId: string, pushId: string): Promise<UnassignedItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: { PK: `UNASSIGNED#${orgId}`, SK: `PUSH#${pushId}` }, ConsistentRead: true }));
  return out.Item ? strip<UnassignedItem>(out.Item) : undefined;
}

/** Removes the unassigned push once, after its readings were written to the person (false: already taken). */
export async function takeUnassigned(orgId: string, pushId: string): Promise<boolean> {
  return conditionally(db.send(new DeleteCommand({ TableName: T(), Key: { PK: `UNASSIGNED#${orgId}`, SK: `PUSH#${pushId}` }, ConditionExpression: 'attribute_exists(PK)' })));
}

/**
 * Reserves an unassigned push for one person (by person key) before its readings are copied, so
 * two staff giving it to two different people cannot both succeed. The same person again is fine.
 */
export async function reserveUnassigned(orgId: string, pushId: string, person: string): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: T(),
      Key: { PK: `UNASSIGNED#${orgId}`, SK: `PUSH#${pushId}` },
      UpdateExpression: 'SET assigningTo = :t',
      ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(assigningTo) OR assigningTo = :t)',
      ExpressionAttributeValues: { ':t': person },
    }),
  ));
}
