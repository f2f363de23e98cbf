/**
 * Care-team threads: one per contract, in the contract's partition, so a thread can only ever be
 * reached through its contract. The only code that knows these keys.
 *
 *   CONTRACT#<id> / THREAD                      last message, unread counts of both sides
 *       GSI1 TEAM#<teamId>#THREADS / <lastAt>#<id>        the team's inbox, latest first
 *       GSI2 ACCOUNT#<userId>#THREADS / <lastAt>#<id>     the resident's threads
 *   CONTRACT#<id> / MSG#<createdAt>#<messageId> a message (text and/or an image id)
 */
import { QueryCommand, UpdateCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

export type Side = 'resident' | 'team';

export interface ThreadItem {
  contractId: string;
  teamId: string;
  teamName: string;
  userId: string;
  patientId: string;
  patientName: string;
  lastFrom?: Side;
  lastPreview?: string;
  lastAt?: string;
  /** Messages from the team the resident has not read, and the other way round. */
  unreadResident: number;
  unreadTeam: number;
}

export interface MessageItem {
  messageId: string;
  contractId: string;
  from: Side;
  senderId: string;
  senderName: string;
  text?: string;
  imageId?: string;
  createdAt: string;
}

const threadKey = (contractId: string) => ({ PK: `CONTRACT#${contractId}`, SK: 'THREAD' });
const strip = <T>(i: Record<string, unknown>) => {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, ...rest } = i;
  return rest as T;
};

export async function getThread(contractId: string): Promise<ThreadItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: threadKey(contractId), ConsistentRead: true }));
  return out.Item ? strip<ThreadItem>(out.Item) : undefined;
}

async function threads(index: 'GSI1' | 'GSI2', pk: string): Promise<ThreadItem[]> {
  const out = await db.send(
    new QueryCommand({ TableName: table(), IndexName: index, KeyConditionExpression: `${index}PK = :p`, ExpressionAttributeValues: { ':p': pk }, ScanIndexForward: false, Limit: 200 }),
  );
  return (out.Items ?? []).map((i) => strip<ThreadItem>(i));
}
export const teamThreads = (teamId: string) => threads('GSI1', `TEAM#${teamId}#THREADS`);
export const accountThreads = (userId: string) => threads('GSI2', `ACCOUNT#${userId}#THREADS`);

/** A page of messages, newest first; `before` is the sort key of the oldest one already shown. */
export async function messages(contractId: string, limit: number, before?: string): Promise<{ items: MessageItem[]; more: boolean }> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: before ? 'PK = :p AND SK BETWEEN :lo AND :hi' : 'PK = :p AND begins_with(SK, :lo)',
      ExpressionAttributeValues: before ? { ':p': `CONTRACT#${contractId}`, ':lo': 'MSG#', ':hi': `MSG#${before}` } : { ':p': `CONTRACT#${contractId}`, ':lo': 'MSG#' },
      ScanIndexForward: false,
      Limit: limit + 1,
    }),
  );
  const rows = (out.Items ?? []).map((i) => strip<MessageItem>(i)).filter((m) => !before || `${m.createdAt}#${m.messageId}` < before);
  return { items: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * The message and the thread's summary in one transaction: the other side's unread count goes
 * up by one, and the thread is created with the first message.
 */
export async function post(thread: Omit<ThreadItem, 'unreadResident' | 'unreadTeam' | 'lastFrom' | 'lastPreview' | 'lastAt'>, m: MessageItem, preview: string) {
  const unread = m.from === 'resident' ? 'unreadTeam' : 'unreadResident';
  const sortKey = `${m.createdAt}#${thread.contractId}`;
  await transactWrite({
    TransactItems: [
      { Put: { TableName: table(), Item: { PK: `CONTRACT#${m.contractId}`, SK: `MSG#${m.createdAt}#${m.messageId}`, ...m }, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Update: {
          TableName: table(),
          Key: threadKey(thread.contractId),
          UpdateExpression:
            'SET contractId = :c, teamId = :t, teamName = :tn, userId = :u, patientId = :p, patientName = :pn, lastFrom = :f, lastPreview = :pv, lastAt = :at, ' +
            'GSI1PK = :g1, GSI1SK = :sk, GSI2PK = :g2, GSI2SK = :sk, #other = if_not_exists(#other, :zero), #unread = if_not_exists(#unread, :zero) + :one',
          ExpressionAttributeNames: { '#unread': unread, '#other': unread === 'unreadTeam' ? 'unreadResident' : 'unreadTeam' },
          ExpressionAttributeValues: {
            ':c': thread.contractId, ':t': thread.teamId, ':tn': thread.teamName, ':u': thread.userId, ':p': thread.patientId, ':pn': thread.patientName,
            ':f': m.from, ':pv': preview, ':at': m.createdAt, ':g1': `TEAM#${thread.teamId}#THREADS`, ':g2': `ACCOUNT#${thread.userId}#THREADS`, ':sk': sortKey,
            ':zero': 0, ':one': 1,
          },
        },
      },
    ],
  });
}

/** The side has read everything: its unread count is zero. */
export async function markRead(contractId: string, side: Side): Promise<ThreadItem | undefined> {
  const field = side === 'resident' ? 'unreadResident' : 'unreadTeam';
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: threadKey(contractId),
        UpdateExpression: 'SET #f = :zero',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':zero': 0 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip<ThreadItem>(out.Attributes) : undefined;
  } catch (e) {
    if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
}
