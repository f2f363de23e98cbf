/**
 * Money and times of the payment pages. Amounts stay integer fen until shown (`formatYuan` of
 * shared/); times in the hospital's calendar (UTC+8). Pure: unit-tested.
 */
import { formatYuan, type LedgerEntryView } from '@hospital/shared';
import { dateTime, hospitalDate } from '../booking/calendar';

export const yuan = formatYuan;

/** `+¥1000.00` / `-¥1280.50`: a ledger amount with its sign always written. */
export const signedYuan = (fen: number) => (fen > 0 ? `+${formatYuan(fen)}` : formatYuan(fen));

/** `2026-11-22`: the Beijing date of an instant. */
export const dayOf = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : hospitalDate(ms);
};

/** `今天 08:00` / `11月29日 08:00`. */
export const whenText = (iso: string, now = Date.now()) => dateTime(iso, hospitalDate(now));

/** The ledger newest first (the account's latest movement on top). */
export const newestFirst = (entries: readonly LedgerEntryView[]) => [...entries].sort((a, b) => b.seq - a.seq);

/** `…3F7A`: enough of an order number to match it on a bank statement, not all of it. */
export const shortRef = (ref: string) => (ref.length > 8 ? `…${ref.slice(-8)}` : ref);

/** Money coming back to the account (deposit, 冲红, a refund that bounced): shown like a deposit. */
export const isMoneyIn = (e: Pick<LedgerEntryView, 'type' | 'amount'>) =>
  e.type === 'deposit' || e.type === 'charge_reversal' || e.type === 'refund_reversal' || e.amount > 0;

/** Under a charge that was corrected (冲红): `已全额冲红` / `已冲红 ¥40.00`; null otherwise. */
export function reversedNote(e: Pick<LedgerEntryView, 'type' | 'amount' | 'reversed'>): string | null {
  if (e.type !== 'charge' || !e.reversed || e.reversed <= 0) return null;
  return e.reversed >= -e.amount ? '已全额冲红' : `已冲红 ${formatYuan(e.reversed)}`;
}
