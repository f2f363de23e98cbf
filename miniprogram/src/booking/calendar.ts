/**
 * Dates and times as the hospital's residents read them (Asia/Shanghai, UTC+8, no daylight
 * saving). Plain arithmetic on the +08:00 offset instead of Intl time zones: older phones'
 * JS engines (an older person's old Android) may lack them. Pure: unit-tested directly.
 */
import { SESSION_INFO, type Session } from '@hospital/shared';

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
export const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

/** The hospital-local calendar date (YYYY-MM-DD) of an instant. */
export function hospitalDate(now: number = Date.now()): string {
  return new Date(now + OFFSET_MS).toISOString().slice(0, 10);
}

const utcOf = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));

export function addDaysTo(date: string, days: number): string {
  return new Date(utcOf(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcOf(to) - utcOf(from)) / DAY_MS);
}

export const weekday = (date: string) => WEEKDAYS[new Date(utcOf(date)).getUTCDay()];

/** `11月23日` */
export const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** 今天 / 明天 / 后天, else the weekday. */
export function dayLabel(date: string, today: string): string {
  const d = daysBetween(today, date);
  if (d === 0) return '今天';
  if (d === 1) return '明天';
  if (d === 2) return '后天';
  return weekday(date);
}

/** Wall-clock parts of an ISO instant in the hospital's calendar. */
function local(iso: string): { date: string; time: string } | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const s = new Date(ms + OFFSET_MS).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

/** `08:00` */
export const clock = (iso: string) => local(iso)?.time ?? '';

/** `今天 08:00`, `明天 08:00` or `11月29日 08:00`. */
export function dateTime(iso: string, today: string = hospitalDate()): string {
  const l = local(iso);
  if (!l) return '';
  const d = daysBetween(today, l.date);
  const day = d === 0 ? '今天' : d === 1 ? '明天' : monthDay(l.date);
  return `${day} ${l.time}`;
}

/** `上午 08:00-12:00` */
export function sessionTime(session: Session, startsAt?: string, endsAt?: string): string {
  const info = SESSION_INFO[session];
  const start = (startsAt && clock(startsAt)) || info.start;
  const end = (endsAt && clock(endsAt)) || info.end;
  return `${info.label} ${start}-${end}`;
}

/** `11月23日 周日 上午 08:00-12:00` */
export function sessionLine(s: { date: string; session: Session; startsAt?: string; endsAt?: string }): string {
  return `${monthDay(s.date)} ${weekday(s.date)} ${sessionTime(s.session, s.startsAt, s.endsAt)}`;
}
