/**
 * The waiting queue of a session. The only code that knows these keys.
 *
 *   QUEUE#<scheduleId> / STATE        { issued, called }: numbers handed out, number being called
 *   QUEUE#<scheduleId> / N#<00001>    one checked-in person: { number, appointmentId, userId, patientName }
 *
 * Numbers come from an atomic counter; an entry is written in the same transaction as the
 * appointment's check-in, so a failed check-in leaves only a gap, which "call next" skips.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, db, table } from '#lib/table';

export interface QueueEntryItem {
  number: number;
  appointmentId: string;
  userId: string;
  patientName: string;
  checkedInAt: string;
}

const stateKey = (sid: string) => ({ PK: `QUEUE#${sid}`, SK: 'STATE' });
const entrySk = (n: number) => `N#${String(n).padStart(5, '0')}`;
const entryKey = (sid: string, n: number) => ({ PK: `QUEUE#${sid}`, SK: entrySk(n) });

export async function getState(sid: string): Promise<{ issued: number; called: number }> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: stateKey(sid), ConsistentRead: true }));
  return { issued: (out.Item?.issued as number) ?? 0, called: (out.Item?.called as number) ?? 0 };
}

/** The next queue number of the session. */
export async function allocateNumber(sid: string): Promise<number> {
  const out = await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: stateKey(sid),
      UpdateExpression: 'SET #issued = if_not_exists(#issued, :zero) + :one, #called = if_not_exists(#called, :zero)',
      ExpressionAttributeNames: { '#issued': 'issued', '#called': 'called' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return out.Attributes!.issued as number;
}

/** Transaction part: the entry of a number, written with the appointment's check-in. */
export const putEntry = (sid: string, e: QueueEntryItem) => ({
  Put: { TableName: table(), Item: { ...entryKey(sid, e.number), ...e }, ConditionExpression: 'attribute_not_exists(PK)' },
});

export async function listEntries(sid: string): Promise<QueueEntryItem[]> {
  const items: QueueEntryItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :p AND begins_with(SK, :n)',
        ExpressionAttributeValues: { ':p': `QUEUE#${sid}`, ':n': 'N#' },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...((out.Items ?? []) as QueueEntryItem[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The first entry after number `after` (numbers of failed check-ins are skipped). */
export async function entryAfter(sid: string, after: number): Promise<QueueEntryItem | undefined> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND SK BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': `QUEUE#${sid}`, ':a': entrySk(after + 1), ':b': 'N#~' },
      ConsistentRead: true,
      Limit: 1,
    }),
  );
  return out.Items?.[0] as QueueEntryItem | undefined;
}

export async function getEntry(sid: string, n: number): Promise<QueueEntryItem | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: entryKey(sid, n), ConsistentRead: true }));
  return out.Item as QueueEntryItem | undefined;
}

/** People waiting strictly between two numbers. */
export async function countBetween(sid: string, after: number, before: number): Promise<number> {
  if (before - after <= 1) return 0;
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :p AND SK BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': `QUEUE#${sid}`, ':a': entrySk(after + 1), ':b': entrySk(before - 1) },
      ConsistentRead: true,
      Select: 'COUNT',
    }),
  );
  return out.Count ?? 0;
}

/** Moves the called number from `from` to `to`; false when someone else called first. */
export async function advance(sid: string, from: number, to: number, at: string): Promise<boolean> {
  return conditionally(db.send(
    new UpdateCommand({
      TableName: table(),
      Key: stateKey(sid),
      UpdateExpression: 'SET #called = :to, calledAt = :at',
      ConditionExpression: '#called = :from',
      ExpressionAttributeNames: { '#called': 'called' },
      ExpressionAttributeValues: { ':to': to, ':from': from, ':at': at },
    }),
  ));
}
