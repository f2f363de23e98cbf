/** The hospital's calendar is Asia/Shanghai (UTC+8, no daylight saving). */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const HOSPITAL_TZ = 'Asia/Shanghai';

/** The hospital-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date | string | number = Date.now()): string {
  return dayjs(at).tz(HOSPITAL_TZ).format('YYYY-MM-DD');
}

/** An ISO-8601 string with the +08:00 offset for a hospital-local date and time. */
export function localIso(date: string, time = '00:00'): string {
  return dayjs.tz(`${date} ${time}`, 'YYYY-MM-DD HH:mm', HOSPITAL_TZ).format();
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return dayjs.tz(date, 'YYYY-MM-DD', HOSPITAL_TZ).add(days, 'day').format('YYYY-MM-DD');
}

/** Whole days from `from` to `to` (YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export { dayjs };
