/** 住院押金: which admission the page opens on, and whether it is still moving (worth refreshing). */
import type { AdmissionView } from '@hospital/shared';

/** The one asked for, else the first still open (在院 / 结算中 / 待补缴), else the newest. */
export function pickAdmission<A extends Pick<AdmissionView, 'id' | 'status'>>(items: readonly A[], wanted?: string): A | undefined {
  return items.find((a) => a.id === wanted) ?? items.find((a) => a.status !== 'settled') ?? items[0];
}

/** Money may still move: an open account, or settlement refunds the providers have not finished. */
export function isMoving(a: Pick<AdmissionView, 'status' | 'settlement' | 'ledger'>): boolean {
  if (a.status !== 'settled') return true;
  const open = (s?: string) => s === 'requested' || s === 'processing';
  return !!a.settlement?.refunds.some((r) => open(r.status)) || !!a.ledger?.some((e) => open(e.refundStatus));
}

/** `04:59` left of an appointment hold; null once it is over. */
export function holdLeft(expiresAt: string | undefined, now: number): string | null {
  const ms = expiresAt ? Date.parse(expiresAt) - now : NaN;
  if (!(ms > 0)) return null;
  const s = Math.ceil(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
