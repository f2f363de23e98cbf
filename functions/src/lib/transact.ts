/**
 * TransactWriteItems with retries on `TransactionConflict`: real DynamoDB cancels a transaction
 * when another one holds one of its items at that instant (a busy place shard, an account's
 * counter). The SDK does not retry those; the write is safe to repeat because every item in it
 * is conditional. Other cancellations (a condition failed) are returned to the caller as is;
 * with `attempts` 1 a conflict is too (the caller chooses another item).
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { HttpError } from './errors';
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
      if (!isConflictOnly(e)) throw e;
      // Still contended after the retries: the caller may try again in a moment (429, not 500).
      if (i >= attempts) throw attempts > 1 ? new HttpError(429, 'RATE_LIMITED', '当前人数较多，请稍后重试', undefined, { 'retry-after': '1' }) : e;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** i));
    }
  }
}
