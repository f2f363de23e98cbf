/** The one DynamoDB table; the client is built once per container and reused. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from './config';

// Locally AWS_ENDPOINT_URL_DYNAMODB points the SDK at DynamoDB Local with no code change.
export const dynamo = new DynamoDBClient({ region: config.region, maxAttempts: 3 });
export const db = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});

export const table = () => config.tableName;

/** Epoch seconds for the table's TTL attribute. */
export const ttlIn = (seconds: number, now = Date.now()) => Math.floor(now / 1000) + seconds;

export const isConditionFailed = (e: unknown) =>
  (e as { name?: string })?.name === 'ConditionalCheckFailedException';

export const isTransactionCancelled = (e: unknown) =>
  (e as { name?: string })?.name === 'TransactionCanceledException';

/** Reasons of a cancelled transaction, one per item (`ConditionalCheckFailed`, `None`, …). */
export const cancellationReasons = (e: unknown): string[] =>
  ((e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');

/**
 * A conditional write (or transaction) whose refusal is an answer, not an error: true when it
 * was written, false when its condition did not hold.
 */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (e) {
    if (isConditionFailed(e) || isTransactionCancelled(e)) return false;
    throw e;
  }
}

/** Every item of a query on the table, page after page. */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ TableName: table(), ...input, ExclusiveStartKey: start }));
    items.push(...((out.Items ?? []) as Record<string, unknown>[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
