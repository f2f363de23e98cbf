/**
 * A doctor's sessions as the resident sees them: the date strip (14 days from today) and one
 * card per session. The state is recomputed from the release/closing times on every render, so
 * a page left open flips from 放号时间 to 可预约 at 08:00 without a reload.
 */
import { scheduleState, SESSION_INFO, type ScheduleState, type ScheduleView } from '@hospital/shared';
import { addDaysTo, dateTime, dayLabel, sessionTime } from '../../../booking/calendar';
import { feeText } from '../../../booking/text';

export interface DayChip {
  date: string;
  /** 今天 / 明天 / 后天 / 周四 */
  label: string;
  /** 11/23 */
  short: string;
  sessions: number;
  /** Sessions that can be booked now. */
  open: number;
}

type Dated = Pick<ScheduleView, 'date' | 'placesLeft' | 'reservedLeft' | 'reservedUntil' | 'releaseAt' | 'bookingClosesAt' | 'state'>;

/**
 * Places now: those anyone may book, and 签约居民优先号 still held for contracted residents
 * (at `reservedUntil` the held ones join the others, as on the server).
 */
export function placesNow(s: Pick<ScheduleView, 'placesLeft' | 'reservedLeft' | 'reservedUntil'>, now: number = Date.now()) {
  const held = s.reservedLeft > 0 && !!s.reservedUntil && now < Date.parse(s.reservedUntil);
  return held ? { open: s.placesLeft, reserved: s.reservedLeft } : { open: s.placesLeft + s.reservedLeft, reserved: 0 };
}

/** The live state of a session for everyone (the server's `stopped` is final; the rest is the calendar). */
export function liveState(s: Dated, now: number = Date.now()): ScheduleState {
  return scheduleState({ stopped: s.state === 'stopped', placesLeft: placesNow(s, now).open, releaseAt: s.releaseAt, bookingClosesAt: s.bookingClosesAt }, now);
}

/** Only reserved places are left, and the calendar allows booking: a contracted resident may still book. */
export const reservedOnly = (s: Dated, now: number = Date.now()) => liveState(s, now) === 'full' && placesNow(s, now).reserved > 0;

export function dateStrip(today: string, days: number, schedules: readonly Dated[], now: number = Date.now()): DayChip[] {
  return Array.from({ length: days }, (_, i) => {
    const date = addDaysTo(today, i);
    const mine = schedules.filter((s) => s.date === date);
    return {
      date,
      label: dayLabel(date, today),
      short: `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`,
      sessions: mine.length,
      open: mine.filter((s) => liveState(s, now) === 'open').length,
    };
  });
}

/** The date to show: the one asked for if it is on the strip, else the first bookable day, else the first day with sessions. */
export function pickDate(strip: readonly DayChip[], wanted?: string): string | undefined {
  if (wanted && strip.some((d) => d.date === wanted)) return wanted;
  return (strip.find((d) => d.open > 0) ?? strip.find((d) => d.sessions > 0) ?? strip[0])?.date;
}

export interface SessionCard {
  id: string;
  /** 上午 08:00-12:00 */
  time: string;
  fee: string;
  state: ScheduleState;
  /** Open sessions (and those with only 签约居民优先号 left) can be tapped; the others are greyed. */
  bookable: boolean;
  /** 剩余 5 个 / 号源已满 / 停诊 / 未放号 / 已停止预约 */
  badge: string;
  /** 放号时间 明天 08:00, the reason for 停诊, … */
  note?: string;
}

export function sessionCard(s: ScheduleView, now: number = Date.now(), today?: string): SessionCard {
  const state = liveState(s, now);
  const places = placesNow(s, now);
  const base = { id: s.id, time: sessionTime(s.session, s.startsAt, s.endsAt), fee: feeText(s.fee), state, bookable: state === 'open' };
  const reservedNote = `另有签约居民优先号 ${places.reserved} 个`;
  switch (state) {
    case 'open':
      return { ...base, badge: `剩余 ${places.open} 个`, ...(places.reserved ? { note: reservedNote } : {}) };
    case 'full':
      if (places.reserved) return { ...base, bookable: true, badge: `签约优先号 剩${places.reserved}个`, note: '普通号已满，仅限该医生团队的签约居民预约' };
      return { ...base, badge: '号源已满', note: '可选择其他日期或医生' };
    case 'not_released':
      return { ...base, badge: '未放号', note: `放号时间 ${dateTime(s.releaseAt, today)}` };
    case 'stopped':
      return { ...base, badge: '停诊', note: s.stoppedReason ? `停诊原因：${s.stoppedReason}` : '医生本时段停诊' };
    default:
      return { ...base, badge: '已停止预约', note: '本时段已停止预约' };
  }
}

/** Sessions of one day in the order of the day (上午, 下午, 夜间). */
export const sessionsOn = (items: readonly ScheduleView[], date: string) =>
  items.filter((s) => s.date === date).sort((a, b) => SESSION_INFO[a.session].order - SESSION_INFO[b.session].order);
