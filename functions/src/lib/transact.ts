/**
 * TransactWriteItems with retries on `TransactionConflict`: real DynamoDB cancels a transaction
 * when another one holds one of its items at that instant (a busy place shard, an account's
 * counter). The SDK does not retry those; the write is safe to repeat because every item in it
 * is conditional. Other cancellations (a condition failed) are returned to the caller as is.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, db, isTransactionCancelled } from './table';

export const isConflictOnly = (e: unknown) => {
  if (!isTransactionCancelled(e)) return false;
  const reasons = cancellationReasons(e);
  return reasons.includes('TransactionConflict') && !reasons.includes('ConditionalCheckFailed');
};

export async function transactWrite(input: TransactWriteCommandInput, attempts = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await db.send(new TransactWriteCommand(input));
      return;
    } catch (e) {
      if (!isConflictOnly(e) || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** i));
    }
  }
}
