/**
 * 实名认证 items. The only code that knows these keys.
 *
 *   PERSON#<personKey> / PHONE               the phone on record for a person (phoneEnc), set by
 *       the hospital's patient index (HIS) or when the person verified themself; SMS codes go here
 *   PERSON#<personKey> / ACCOUNT#<userId>    this account has tried to add the ID number
 *   PERSON#<personKey> / ACCOUNTS            { count } of such accounts
 *   PERSON#<personKey> / FLAG                added on many accounts: GSI1 IDENTITY_FLAGS / <lastAt>
 *   IDV#FACE#<bizToken> / SESSION            which account and person a FaceID BizToken was made for
 *   IDV#SMS#<patientId> / CODE               the one live SMS code of a person entry (HMAC of the code)
 *   IDV#CODE#<code> / PERSONCODE             a window code → account and person
 *   IDV#GUARDIAN#<patientId> / CONSENT       a guardian's declaration and consent (PIPL Art 31)
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ID_NUMBER_FLAG_ACCOUNTS, type GuardianRelationship } from '@hospital/shared';
import { decryptField, encryptField } from '#lib/identity-keys';
import { conditionally, db, table, ttlIn } from '#lib/table';

const get = async (Key: { PK: string; SK: string }) => (await db.send(new GetCommand({ TableName: table(), Key, ConsistentRead: true }))).Item;

// ── phone on record ──
export type PhoneSource = 'his' | 'self_verified';
const phoneKey = (personKey: string) => ({ PK: `PERSON#${personKey}`, SK: 'PHONE' });

export async function phoneOnRecord(personKey: string): Promise<string | undefined> {
  const item = await get(phoneKey(personKey));
  return item ? decryptField(String(item.phoneEnc), `person:${personKey}:phone`) : undefined;
}

/** The hospital's index wins over a self-registered phone; a self-verified phone never replaces it. */
export async function recordPhone(personKey: string, phone: string, source: PhoneSource, at = new Date().toISOString()): Promise<boolean> {
  return conditionally(
    db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...phoneKey(personKey), phoneEnc: encryptField(phone, `person:${personKey}:phone`), source, at },
        ...(source === 'self_verified' ? { ConditionExpression: 'attribute_not_exists(PK) OR #source <> :his', ExpressionAttributeNames: { '#source': 'source' }, ExpressionAttributeValues: { ':his': 'his' } } : {}),
      }),
    ),
  );
}

// ── the same ID number on many accounts ──
export interface FlagItem { idMasked: string; accounts: number; firstAt: string; lastAt: string }

/** Counts distinct accounts that tried this ID number; flags it at ID_NUMBER_FLAG_ACCOUNTS. */
export async function noteAccountTried(personKey: string, userId: string, idMasked: string, at = new Date().toISOString()): Promise<number | undefined> {
  const fresh = await conditionally(
    db.send(new PutCommand({ TableName: table(), Item: { PK: `PERSON#${personKey}`, SK: `ACCOUNT#${userId}`, at }, ConditionExpression: 'attribute_not_exists(PK)' })),
  );
  if (!fresh) return undefined;
  const out = await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: { PK: `PERSON#${personKey}`, SK: 'ACCOUNTS' },
      UpdateExpression: 'ADD #count :one',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const accounts = Number(out.Attributes?.count ?? 1);
  if (accounts >= ID_NUMBER_FLAG_ACCOUNTS) {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: { PK: `PERSON#${personKey}`, SK: 'FLAG' },
        UpdateExpression: 'SET idMasked = :m, accounts = :n, lastAt = :at, firstAt = if_not_exists(firstAt, :at), GSI1PK = :g, GSI1SK = :at',
        ExpressionAttributeValues: { ':m': idMasked, ':n': accounts, ':at': at, ':g': 'IDENTITY_FLAGS' },
      }),
    );
  }
  return accounts;
}

export async function listFlags(limit = 100): Promise<FlagItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :g', ExpressionAttributeValues: { ':g': 'IDENTITY_FLAGS' }, ScanIndexForward: false, Limit: limit }),
  );
  return (out.Items ?? []).map((i) => ({ idMasked: String(i.idMasked), accounts: Number(i.accounts), firstAt: String(i.firstAt), lastAt: String(i.lastAt) }));
}

// ── FaceID sessions ──
export interface FaceSession { bizToken: string; userId: string; patientId: string; createdAt: string; usedAt?: string }
const faceKey = (bizToken: string) => ({ PK: `IDV#FACE#${bizToken}`, SK: 'SESSION' });

export async function putFaceSession(s: FaceSession, ttlSeconds: number) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...faceKey(s.bizToken), ...s, ttl: ttlIn(ttlSeconds) } }));
}

export async function getFaceSession(bizToken: string): Promise<FaceSession | undefined> {
  const i = await get(faceKey(bizToken));
  return i && Number(i.ttl) > Date.now() / 1000 ? (i as unknown as FaceSession) : undefined;
}

/** A BizToken proves a person once: the second use is a replay. */
export const useFaceSession = (bizToken: string, at: string) =>
  conditionally(
    db.send(new UpdateCommand({ TableName: table(), Key: faceKey(bizToken), UpdateExpression: 'SET usedAt = :at', ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(usedAt)', ExpressionAttributeValues: { ':at': at } })),
  );

// ── SMS codes ──
export interface SmsCode { userId: string; codeDigest: string; serialNo: string; sentAt: string; expiresAt: number; attempts: number }
const smsKey = (patientId: string) => ({ PK: `IDV#SMS#${patientId}`, SK: 'CODE' });

export async function putSmsCode(patientId: string, c: SmsCode) {
  await db.send(new PutCommand({ TableName: table(), Item: { ...smsKey(patientId), ...c, ttl: c.expiresAt + 60 } }));
}

export async function getSmsCode(patientId: string): Promise<SmsCode | undefined> {
  return (await get(smsKey(patientId))) as SmsCode | undefined;
}

/** One more wrong try; undefined when the code is gone or already at the limit. */
export async function countWrongTry(patientId: string, digest: string, max: number): Promise<number | undefined> {
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: smsKey(patientId),
        UpdateExpression: 'ADD attempts :one',
        ConditionExpression: 'codeDigest = :d AND attempts < :max',
        ExpressionAttributeValues: { ':one': 1, ':d': digest, ':max': max },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(out.Attributes?.attempts);
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
}

/** Uses the code: true once, for the code as sent, before it expired or ran out of tries. */
export const useSmsCode = (patientId: string, digest: string, max: number, nowS: number) =>
  conditionally(
    db.send(
      new DeleteCommand({
        TableName: table(),
        Key: smsKey(patientId),
        ConditionExpression: 'codeDigest = :d AND attempts < :max AND expiresAt > :now',
        ExpressionAttributeValues: { ':d': digest, ':max': max, ':now': nowS },
      }),
    ),
  );

// ── window codes ──
export interface PersonCode { code: string; userId: string; patientId: string; expiresAt: number }
const codeKey = (code: string) => ({ PK: `IDV#CODE#${code}`, SK: 'PERSONCODE' });

/** False when the code is taken by a live one (the caller draws another). */
export const putPersonCode = (c: PersonCode) =>
  conditionally(
    db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...codeKey(c.code), ...c, ttl: c.expiresAt + 60 },
        ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      }),
    ),
  );

export async function getPersonCode(code: string): Promise<PersonCode | undefined> {
  const i = (await get(codeKey(code))) as PersonCode | undefined;
  return i && i.expiresAt > Date.now() / 1000 ? i : undefined;
}

export const deletePersonCode = (code: string) => db.send(new DeleteCommand({ TableName: table(), Key: codeKey(code) }));

// ── guardians ──
export async function putGuardianConsent(patientId: string, g: { userId: string; guardianPatientId: string; relationship: GuardianRelationship; consentAt: string }) {
  await db.send(new PutCommand({ TableName: table(), Item: { PK: `IDV#GUARDIAN#${patientId}`, SK: 'CONSENT', ...g } }));
}
