import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from './table';
import { transactWrite } from './transact';

const cancelled = (...codes: string[]) => Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });

afterEach(() => vi.restoreAllMocks());

describe('transactions on busy items', () => {
  it('a transaction conflict is retried until it goes through', async () => {
    const send = vi.spyOn(db, 'send').mockRejectedValueOnce(cancelled('TransactionConflict', 'None')).mockResolvedValueOnce({} as never);
    await transactWrite({ TransactItems: [] });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('a failed condition is not retried', async () => {
    const send = vi.spyOn(db, 'send').mockRejectedValue(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
    await expect(transactWrite({ TransactItems: [] })).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('still contended after the retries: 429, try again in a moment', async () => {
    vi.spyOn(db, 'send').mockRejectedValue(cancelled('TransactionConflict'));
    await expect(transactWrite({ TransactItems: [] }, 3)).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    await expect(transactWrite({ TransactItems: [] }, 1)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
  });
});
