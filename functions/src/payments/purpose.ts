/**
 * What a purpose is: it prices an order (never trusting a client amount, except a deposit top-up
 * inside the admission's limits), reserves what it must in the order's own write, applies the
 * payment exactly once, releases the reservation when an order closes unpaid, and runs its own
 * after-effect once applied (so the generic credit path knows no purpose by name).
 */
import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderItem } from './orders-store';

export type TxItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface QuoteInput {
  userId: string;
  orderNo: string;
  refIds: string[];
  amount?: number;
  now: number;
}

export interface Quote {
  amount: number;
  description: string;
  patientId?: string;
  /** When the payer must have paid (never later than what is paid for allows). */
  expiresAt: number;
  /** Same-transaction writes with the order (a deposit order is registered on its admission). */
  reserve: TxItem[];
  /** Explains a refused reservation (the state changed between reading and writing). */
  refused: () => Error;
}

export type ApplyOutcome = { outcome: 'applied' | 'duplicate' | 'conflict' } | { outcome: 'rejected'; note: string };

export interface Purpose {
  quote(q: QuoteInput, ttlSeconds: number): Promise<Quote>;
  apply(o: OrderItem): Promise<ApplyOutcome>;
  /** Writes that undo the reservation when the order closes unpaid. */
  release(o: OrderItem): TxItem[];
  /** After the payment is applied (or found applied): tell whoever follows it, finish what it completes. */
  applied?(o: OrderItem): Promise<void>;
}
