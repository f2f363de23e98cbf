/**
 * 费用冲红 on the staff admission page: which charges can still be corrected and by how much, and
 * the amount typed in yuan checked against that (the server checks again, under its own lock).
 * Pure: unit-tested.
 */
import { formatYuan, type LedgerEntryView } from '@hospital/shared';
import { parseYuan, type AmountCheck } from './amount';

export interface Reversible {
  chargeId: string;
  seq: number;
  /** What was charged, as entered (without the date the ledger puts in front). */
  description: string;
  date: string;
  charged: number;
  /** Fen still reversible. */
  left: number;
}

/** `2025-06-02 CT 检查` → `CT 检查` (a correction's description; at most 60 characters). */
export function chargeName(description: string): string {
  return description.replace(/^\d{4}-\d{2}-\d{2} /, '').slice(0, 60);
}

/** Charges with something left to correct, newest first. */
export function reversibleCharges(ledger: readonly LedgerEntryView[]): Reversible[] {
  return ledger
    .filter((e) => e.type === 'charge' && e.chargeId && -e.amount - (e.reversed ?? 0) > 0)
    .sort((a, b) => b.seq - a.seq)
    .map((e) => ({
      chargeId: e.chargeId as string,
      seq: e.seq,
      description: chargeName(e.description),
      date: /^\d{4}-\d{2}-\d{2}/.exec(e.description)?.[0] ?? '',
      charged: -e.amount,
      left: -e.amount - (e.reversed ?? 0),
    }));
}

/** A correction of at most what is left of the charge. */
export function checkReversal(text: string, left: number): AmountCheck {
  if (text.trim() === '') return { ok: false, message: '请输入冲红金额' };
  const fen = parseYuan(text);
  if (fen === null) return { ok: false, message: '金额格式不正确，请输入数字，最多两位小数' };
  if (fen <= 0) return { ok: false, message: '冲红金额须大于0' };
  if (fen > left) return { ok: false, message: `冲红金额不能超过 ${formatYuan(left)}（原费用尚未冲红的金额）` };
  return { ok: true, fen };
}
