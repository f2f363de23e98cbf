/** 门诊缴费: which unpaid bills are ticked, and what they add up to (integer fen). */
import { sumFen, MAX_BILLS_PER_ORDER, type BillView } from '@hospital/shared';

/** Ticked ids that are still unpaid bills of the list (a refresh may have paid some). */
export function keepSelectable(selected: readonly string[], bills: readonly BillView[]): string[] {
  const unpaid = new Set(bills.filter((b) => b.status === 'unpaid').map((b) => b.id));
  return selected.filter((id) => unpaid.has(id));
}

/** Everything unpaid ticked, as a family usually pays all of a visit at once (at most one order's worth). */
export function selectAll(bills: readonly BillView[]): string[] {
  return bills.filter((b) => b.status === 'unpaid').slice(0, MAX_BILLS_PER_ORDER).map((b) => b.id);
}

export function toggle(selected: readonly string[], id: string): string[] {
  if (selected.includes(id)) return selected.filter((x) => x !== id);
  if (selected.length >= MAX_BILLS_PER_ORDER) return [...selected];
  return [...selected, id];
}

export function selectionTotal(selected: readonly string[], bills: readonly BillView[]): { count: number; total: number } {
  const chosen = bills.filter((b) => selected.includes(b.id) && b.status === 'unpaid');
  return { count: chosen.length, total: sumFen(chosen.map((b) => b.total)) };
}

/** `2 × ¥12.80` for a line with a quantity other than 1; the unit when the hospital sends one. */
export function quantityText(line: { quantity: number; unit?: string }): string {
  const q = Number.isInteger(line.quantity) ? String(line.quantity) : String(Number(line.quantity.toFixed(3)));
  return `${q}${line.unit ?? ''}`;
}
