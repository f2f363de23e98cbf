/**
 * Amounts typed in yuan → integer fen: the family's custom top-up (checked against the
 * admission's limits before anything is sent; the server checks again and names the field) and
 * the cashier's last charges at discharge. Pure: unit-tested.
 */
import { formatYuan } from '@hospital/shared';

/** `1000`, `1000.5`, `1,000.50`, `¥1000` → fen; null when it is not an amount of money. */
export function parseYuan(text: string): number | null {
  let t = text.trim().replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '');
  // Thousands separators only where they belong (`1,000.50`, not `1,0`).
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export type AmountCheck = { ok: true; fen: number } | { ok: false; message: string };

/** A top-up in [min, max] fen, or the sentence that says what is wrong. */
export function checkTopUp(text: string, limits: { min: number; max: number }): AmountCheck {
  if (text.trim() === '') return { ok: false, message: '请输入预交金额' };
  const fen = parseYuan(text);
  if (fen === null) return { ok: false, message: '金额格式不正确，请输入数字，最多两位小数' };
  if (fen < limits.min) return { ok: false, message: `单次预交不少于 ${formatYuan(limits.min)}` };
  if (fen > limits.max) return { ok: false, message: `单次预交不超过 ${formatYuan(limits.max)}` };
  return { ok: true, fen };
}

/** What the custom field shows for a chosen preset (`1000` for 100000 fen, `1000.5` for 100050). */
export function yuanInput(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** What a discharge settlement will do with the balance after the last charges: refund or shortfall. */
export function settlementPreview(balance: number, lastCharges: number): { refund: number; shortfall: number } {
  const after = balance - lastCharges;
  return { refund: Math.max(0, after), shortfall: Math.max(0, -after) };
}
