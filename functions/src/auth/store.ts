/** Users, their login identities and refresh sessions. The only code that knows these keys. */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership, Role } from '@hospital/shared';
import { db, isConditionFailed, isTransactionCancelled, table, ttlIn } from '#lib/table';

export interface UserItem {
  userId: string;
  name: string;
  /**
   * Every role the user holds anywhere: those outside any organisation (patient, platform_admin)
   * and those of each membership (`putUser` keeps them in step). Authority on an organisation's
   * data comes from `memberships` only.
   */
  roles: Role[];
  /** Staff: the organisations the user belongs to, with the roles held in each. */
  memberships?: Membership[];
  demo?: boolean;
  description?: string;
  createdAt: string;
}

const userKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'PROFILE' });
const identityKey = (provider: string, subject: string) => ({ PK: `IDENTITY#${provider}#${subject}`, SK: 'IDENTITY' });
const sessionKey = (userId: string, sessionId: string) => ({ PK: `USER#${userId}`, SK: `SESSION#${sessionId}` });

export async function getUser(userId: string): Promise<UserItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: userKey(userId) }));
  return out.Item as UserItem | undefined;
}

/** Writes a user (seed and admin use); demo users are listed through GSI1. */
export async function putUser(u: UserItem) {
  const roles = [...new Set([...u.roles, ...(u.memberships ?? []).flatMap((m) => m.roles)])];
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...userKey(u.userId), ...u, roles, ...(u.demo ? { GSI1PK: 'DEMO_USERS', GSI1SK: u.userId } : {}) },
    }),
  );
}

export async function listDemoUsers(): Promise<UserItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :p', ExpressionAttributeValues: { ':p': 'DEMO_USERS' } }),
  );
  return (out.Items ?? []) as UserItem[];
}

/**
 * The user behind a WeChat openid / Alipay user id, created on first login. Identity and user
 * are written in one transaction so two first logins racing end with one user.
 */
export async function findOrCreateUserByIdentity(provider: string, subject: string, name: string): Promise<UserItem> {
  const existing = await db.send(new GetCommand({ TableName: table(), Key: identityKey(provider, subject), ConsistentRead: true }));
  if (existing.Item) {
    const u = await getUser(existing.Item.userId as string);
    if (u) return u;
  }
  const user: UserItem = { userId: `u_${randomUUID()}`, name, roles: ['patient'], createdAt: new Date().toISOString() };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table(), Item: { ...identityKey(provider, subject), userId: user.userId, provider }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: table(), Item: { ...userKey(user.userId), ...user }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
    return user;
  } catch (e) {
    if (!isTransactionCancelled(e)) throw e;
    const again = await db.send(new GetCommand({ TableName: table(), Key: identityKey(provider, subject), ConsistentRead: true }));
    const u = again.Item && (await getUser(again.Item.userId as string));
    if (!u) throw e;
    return u;
  }
}

/**
 * The user's id at the payment/message platform (WeChat openid, Alipay user id), kept on the
 * profile at each login: payments need it as the payer, messages as the recipient.
 */
export async function rememberPlatformId(userId: string, provider: 'wechat' | 'alipay', subject: string) {
  const attr = provider === 'wechat' ? 'wechatOpenId' : 'alipayUserId';
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: userKey(userId),
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#a': attr },
      ExpressionAttributeValues: { ':v': subject },
    }),
  );
}

/** The payer id stored by `rememberPlatformId`, if the user ever logged in on that platform. */
export async function platformIdOf(userId: string, provider: 'wechat' | 'alipay'): Promise<string | undefined> {
  const attr = provider === 'wechat' ? 'wechatOpenId' : 'alipayUserId';
  const out = await db.send(new GetCommand({ TableName: table(), Key: userKey(userId), ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': attr } }));
  return out.Item?.[attr] as string | undefined;
}

/**
 * A login session: `rid` is the refresh id its current refresh token carries (the first is the
 * session's own id); `ttl` slides with every refresh. Access tokens name the session (`sid`).
 */
export async function createSession(userId: string, ttlSeconds: number): Promise<string> {
  const sessionId = randomUUID();
  await db.send(
    new PutCommand({ TableName: table(), Item: { ...sessionKey(userId, sessionId), rid: sessionId, createdAt: new Date().toISOString(), ttl: ttlIn(ttlSeconds) } }),
  );
  return sessionId;
}

/**
 * Refresh: the live session moves from the presented refresh id to a new one, in one conditional
 * write; false when it was already rotated (a replay, or the loser of two racing refreshes),
 * ended or expired. A refresh token from before sessions kept their id (no `rid`) rotates a
 * session item of that time once.
 */
export async function rotateSession(userId: string, sessionId: string, refreshId: string | undefined, nextRefreshId: string, ttlSeconds: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: sessionKey(userId, sessionId),
        UpdateExpression: 'SET rid = :next, #ttl = :ttl, refreshedAt = :at',
        ConditionExpression: `attribute_exists(PK) AND #ttl > :now AND ${refreshId ? 'rid = :rid' : 'attribute_not_exists(rid)'}`,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':next': nextRefreshId,
          ':ttl': ttlIn(ttlSeconds),
          ':at': new Date().toISOString(),
          ':now': Math.floor(Date.now() / 1000),
          ...(refreshId ? { ':rid': refreshId } : {}),
        },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailed(e)) return false;
    throw e;
  }
}

/** Ends a session (logout): no refresh works again. True when it was there. */
export async function endSession(userId: string, sessionId: string): Promise<boolean> {
  const out = await db.send(new DeleteCommand({ TableName: table(), Key: sessionKey(userId, sessionId), ReturnValues: 'ALL_OLD' }));
  return !!out.Attributes;
}

/** The ids of the user's sessions (expired ones included until TTL removes them). */
export async function listSessionIds(userId: string): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
        ExpressionAttributeValues: { ':p': `USER#${userId}`, ':s': 'SESSION#' },
        ProjectionExpression: 'SK',
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? []) items.push(String(i.SK).slice('SESSION#'.length));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
