/** Words and numbers of the family-doctor and medication pages, shared by the resident and staff packages. */
import { CONTRACT_STATUS_LABEL, formatYuan, type ContractStatus } from '@hospital/shared';
import { hospitalDate } from '../booking/calendar';

export const contractStatusText = (s: ContractStatus) => CONTRACT_STATUS_LABEL[s];

/** A class per status, so a state is shown by a word and a colour, never a colour alone. */
export const contractTone = (s: ContractStatus) => (s === 'active' ? 'ok' : s === 'pending' ? 'wait' : 'off');

export const priceText = (fen: number) => (fen === 0 ? '免费' : `${formatYuan(fen)}/年`);

/** `2025-06-01` → `2025年6月1日` */
export const dateText = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** An ISO instant as Beijing `6月1日 08:30`. */
export function instantText(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${Number(local.slice(5, 7))}月${Number(local.slice(8, 10))}日 ${local.slice(11, 16)}`;
}

/** Whole years of age on the hospital's today. */
export function age(birthDate: string, today = hospitalDate()): number {
  let a = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) a--;
  return a;
}

export const percentText = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${p}%`);

/** Digits for a phone call (landlines keep their area code). */
export const dialable = (phone: string) => phone.replace(/[^\d]/g, '');
