/**
 * PIPL on the account: accepted agreement, separate consents and their history, correction
 * requests. The only code that knows these keys.
 *
 *   PRIVACY#<userId> / AGREEMENT                     the versions accepted last, and when
 *   PRIVACY#<userId> / CONSENT#<purpose>             the current decision for one purpose
 *   PRIVACY#<userId> / HISTORY#<at>#<uuid>           one per change of a decision (who, purpose,
 *                                                    granted, at): proves a revocation later
 *   PRIVACY#<userId> / CORRECTION#<createdAt>#<id>   a correction request (newest first by SK)
 *       GSI1 CORRECTIONS#<status> / <createdAt>#<id>  the staff worklist (`CORRECTIONS#submitted`)
 *
 * Everything of the account lives in one partition, so deletion is one query and its deletes.
 *
 * Also `removeLogin`: the profile, sessions and identities are auth's items
 * (functions/src/auth/store.ts); account deletion removes them here in one place.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentPurpose, CorrectionField } from '@hospital/shared';
import { conditionally, db, queryAll, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

const pk = (userId: string) => `PRIVACY#${userId}`;
const agreementKey = (userId: string) => ({ PK: pk(userId), SK: 'AGREEMENT' });
const consentKey = (userId: string, purpose: ConsentPurpose) => ({ PK: pk(userId), SK: `CONSENT#${purpose}` });
const historyKey = (userId: string, at: string) => ({ PK: pk(userId), SK: `HISTORY#${at}#${randomUUID()}` });
const correctionKey = (userId: string, createdAt: string, id: string) => ({ PK: pk(userId), SK: `CORRECTION#${createdAt}#${id}` });
const worklist = (status: CorrectionItem['status']) => `CORRECTIONS#${status}`;

const strip = <T>(i: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, ...rest } = i;
  return rest as T;
};

// ── agreement ──
export interface AgreementItem {
  agreementVersion: string;
  privacyVersion: string;
  at: string;
}

export async function getAgreement(userId: string): Promise<AgreementItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: agreementKey(userId), ConsistentRead: true }));
  return out.Item ? strip<AgreementItem>(out.Item) : undefined;
}

/** Records the versions; accepting the same versions again keeps the first time (false). */
export async function putAgreement(userId: string, a: AgreementItem): Promise<boolean> {
  return conditionally(
    db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...agreementKey(userId), ...a },
        ConditionExpression: 'attribute_not_exists(PK) OR agreementVersion <> :a OR privacyVersion <> :p',
        ExpressionAttributeValues: { ':a': a.agreementVersion, ':p': a.privacyVersion },
      }),
    ),
  );
}

// ── consents ──
export interface ConsentItem {
  purpose: ConsentPurpose;
  granted: boolean;
  at: string;
}
export interface ConsentChangeItem extends ConsentItem {
  /** Who decided: the account holder (the only one who may). */
  userId: string;
}

export async function getConsent(userId: string, purpose: ConsentPurpose): Promise<ConsentItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: consentKey(userId, purpose), ConsistentRead: true }));
  return out.Item ? strip<ConsentItem>(out.Item) : undefined;
}

export async function listConsents(userId: string): Promise<ConsentItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :c)',
      ExpressionAttributeValues: { ':p': pk(userId), ':c': 'CONSENT#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => strip<ConsentItem>(i));
}

/**
 * The decision and its history item in one transaction, only when the decision changes:
 * granting what is granted writes nothing (false), so the history holds real changes only.
 */
export async function setConsent(userId: string, c: ConsentItem): Promise<boolean> {
  const change: ConsentChangeItem = { ...c, userId };
  return conditionally(
    transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...consentKey(userId, c.purpose), ...c },
            ConditionExpression: 'attribute_not_exists(PK) OR granted <> :g',
            ExpressionAttributeValues: { ':g': c.granted },
          },
        },
        { Put: { TableName: table(), Item: { ...historyKey(userId, c.at), ...change } } },
      ],
    }),
  );
}

/** Every change of the account's consents, oldest first. */
export async function consentHistory(userId: string): Promise<ConsentChangeItem[]> {
  const items = await queryAll({
    KeyConditionExpression: 'PK = :p AND begins_with(SK, :h)',
    ExpressionAttributeValues: { ':p': pk(userId), ':h': 'HISTORY#' },
  });
  return items.map((i) => strip<ConsentChangeItem>(i));
}

// ── correction requests ──
export interface CorrectionItem {
  id: string;
  userId: string;
  patientId: string;
  field: CorrectionField;
  detail: string;
  status: 'submitted' | 'done' | 'rejected';
  createdAt: string;
}

export async function putCorrection(c: CorrectionItem): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...correctionKey(c.userId, c.createdAt, c.id), ...c, GSI1PK: worklist(c.status), GSI1SK: `${c.createdAt}#${c.id}` },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** The account's requests, newest first. */
export async function listCorrections(userId: string, limit = 100): Promise<CorrectionItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :c)',
      ExpressionAttributeValues: { ':p': pk(userId), ':c': 'CORRECTION#' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => strip<CorrectionItem>(i));
}

/** The staff worklist: submitted requests of every account, oldest first (first come, first served). */
export async function listSubmittedCorrections(limit = 100): Promise<CorrectionItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :w',
      ExpressionAttributeValues: { ':w': worklist('submitted') },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => strip<CorrectionItem>(i));
}

// ── deletion ──
/** Removes every item of the account's partition (agreement, consents, history, corrections); the count removed. */
export async function removeAll(userId: string): Promise<number> {
  const keys = (await queryAll({ KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': pk(userId) }, ProjectionExpression: 'PK, SK' })) as { PK: string; SK: string }[];
  await deleteKeys(keys);
  return keys.length;
}

/**
 * Removes the login: every item of auth's `USER#<userId>` partition (profile, refresh sessions)
 * and the platform identities that point at it (`IDENTITY#<provider>#<subject>`), so the next
 * WeChat/Alipay login starts a new, empty account. The count removed.
 */
export async function removeLogin(userId: string): Promise<number> {
  const profile = (await db.send(new GetCommand({ TableName: table(), Key: { PK: `USER#${userId}`, SK: 'PROFILE' } }))).Item;
  const identities = [
    ...(profile?.wechatOpenId ? [{ PK: `IDENTITY#wechat#${profile.wechatOpenId}`, SK: 'IDENTITY' }] : []),
    ...(profile?.alipayUserId ? [{ PK: `IDENTITY#alipay#${profile.alipayUserId}`, SK: 'IDENTITY' }] : []),
  ];
  const own = (await queryAll({ KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `USER#${userId}` }, ProjectionExpression: 'PK, SK' })) as { PK: string; SK: string }[];
  await deleteKeys([...identities, ...own]);
  return identities.length + own.length;
}

async function deleteKeys(keys: { PK: string; SK: string }[]) {
  for (let i = 0; i < keys.length; i += 25) {
    let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length && attempt < 8; attempt++) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table()]: requests } }));
      requests = (out.UnprocessedItems?.[table()] ?? []) as typeof requests;
      if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    if (requests.length) throw new Error('could not delete every item');
  }
}
