/**
 * Follow-up records of contracted residents. The only code that knows these keys.
 *
 *   CONTRACT#<id> / FOLLOWUP#<date>#<followUpId>   one follow-up
 *   CONTRACT#<id> / FOLLOWUPS                      the last follow-up date per condition (`last_<condition>`)
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ChronicCondition, type FollowUpView } from '@hospital/shared';
import { cancellationReasons, db, isTransactionCancelled, table } from '#lib/table';
import { transactWrite } from '#lib/transact';

export type FollowUpItem = Omit<FollowUpView, 'id'> & { followUpId: string; recordedBy: string };

const summaryKey = (contractId: string) => ({ PK: `CONTRACT#${contractId}`, SK: 'FOLLOWUPS' });
const lastAttr = (c: ChronicCondition) => `last_${c}`;

export async function lastDates(contractId: string): Promise<Partial<Record<ChronicCondition, string>>> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: summaryKey(contractId), ConsistentRead: true }));
  return Object.fromEntries(ChronicCondition.options.flatMap((c) => (out.Item?.[lastAttr(c)] ? [[c, out.Item[lastAttr(c)] as string]] : [])));
}

export async function list(contractId: string): Promise<FollowUpItem[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND begins_with(SK, :f)',
      ExpressionAttributeValues: { ':p': `CONTRACT#${contractId}`, ':f': 'FOLLOWUP#' },
      ScanIndexForward: false,
      Limit: 100,
    }),
  );
  return (out.Items ?? []).map(({ PK: _p, SK: _s, ...rest }) => rest as FollowUpItem);
}

/**
 * The record, and the condition's last date moved forward (never back), in one transaction.
 * A concurrent later follow-up makes the summary condition fail: read again and retry once.
 */
export async function record(f: FollowUpItem, attempt = 0): Promise<void> {
  const last = (await lastDates(f.contractId))[f.condition];
  const moveForward = !last || last < f.date;
  const put = { Put: { TableName: table(), Item: { PK: `CONTRACT#${f.contractId}`, SK: `FOLLOWUP#${f.date}#${f.followUpId}`, ...f }, ConditionExpression: 'attribute_not_exists(PK)' } };
  const summary = {
    Update: {
      TableName: table(),
      Key: summaryKey(f.contractId),
      UpdateExpression: 'SET #a = :d',
      ConditionExpression: 'attribute_not_exists(#a) OR #a < :d',
      ExpressionAttributeNames: { '#a': lastAttr(f.condition) },
      ExpressionAttributeValues: { ':d': f.date },
    },
  };
  try {
    await transactWrite({ TransactItems: moveForward ? [put, summary] : [put] });
  } catch (e) {
    if (attempt === 0 && moveForward && isTransactionCancelled(e) && cancellationReasons(e)[1] === 'ConditionalCheckFailed') return record(f, 1);
    throw e;
  }
}
