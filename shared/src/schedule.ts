/**
 * Doctor sessions (出诊时段) and the booking calendar: when places are released (放号), when
 * booking closes, until when an appointment may be cancelled (退号), on which day one checks in.
 * All in the hospital's calendar (Asia/Shanghai); instants are ISO-8601 with +08:00.
 */
import * as z from 'zod';
import { addDays, localDate, localIso } from './time';

export const Session = z.enum(['am', 'pm', 'evening']);
export type Session = z.infer<typeof Session>;

export const SESSION_INFO: Record<Session, { label: string; start: string; end: string; order: number }> = {
  am: { label: '上午', start: '08:00', end: '12:00', order: 1 },
  pm: { label: '下午', start: '13:30', end: '17:30', order: 2 },
  evening: { label: '夜间', start: '18:00', end: '21:00', order: 3 },
};

/** Places are released this many days ahead, at this local time (每天 08:00 放第 7 天的号). */
export const RELEASE_DAYS_AHEAD = 7;
export const RELEASE_TIME = '08:00';
/**
 * 签约居民优先号: a session may hold some places for residents contracted with the doctor's
 * family-doctor team. Unused ones are opened to everyone at 17:00 the day before the session.
 */
export const RESERVED_OPEN_TIME = '17:00';
export const defaultReservedUntil = (date: string) => localIso(addDays(date, -1), RESERVED_OPEN_TIME);

/** Booking closes this long before the session ends: the last half hour belongs to those waiting. */
export const BOOKING_CLOSES_BEFORE_END_MINUTES = 30;

/** A session's own hours (HH:mm, same day) when they differ from its period's, e.g. 延时门诊 18:00-22:30. */
export interface SessionHours {
  start: string;
  end: string;
}

export const sessionStartsAt = (date: string, s: Session, hours?: SessionHours) => localIso(date, hours?.start ?? SESSION_INFO[s].start);
export const sessionEndsAt = (date: string, s: Session, hours?: SessionHours) => localIso(date, hours?.end ?? SESSION_INFO[s].end);

/** The booking calendar of a session when the administrator does not set one. */
export function defaultBookingCalendar(date: string, s: Session, hours?: SessionHours) {
  const endsAt = new Date(sessionEndsAt(date, s, hours)).getTime();
  return {
    releaseAt: localIso(addDays(date, -RELEASE_DAYS_AHEAD), RELEASE_TIME),
    bookingClosesAt: toLocalIso(endsAt - BOOKING_CLOSES_BEFORE_END_MINUTES * 60_000),
    // 退号 until the session starts: after that the doctor may already be seeing patients.
    cancelCutoffAt: sessionStartsAt(date, s, hours),
  };
}

/** An instant as ISO-8601 in the hospital's offset (`2025-06-01T08:00:00+08:00`). */
export function toLocalIso(at: number | string | Date): string {
  const ms = new Date(at).getTime();
  const local = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

export type ScheduleState = 'open' | 'not_released' | 'full' | 'closed' | 'stopped';

export const SCHEDULE_STATE_LABEL: Record<ScheduleState, string> = {
  open: '可预约',
  not_released: '未放号',
  full: '约满',
  closed: '已停止预约',
  stopped: '停诊',
};

export interface BookingWindow {
  stopped: boolean;
  placesLeft: number;
  releaseAt: string;
  bookingClosesAt: string;
}

/** What a resident sees for a session now. */
export function scheduleState(s: BookingWindow, now: number = Date.now()): ScheduleState {
  if (s.stopped) return 'stopped';
  if (now < Date.parse(s.releaseAt)) return 'not_released';
  if (now >= Date.parse(s.bookingClosesAt)) return 'closed';
  if (s.placesLeft <= 0) return 'full';
  return 'open';
}

/** 409 reason codes of a refused booking, and what the resident is told. */
export const BookingRefusal = {
  SESSION_STOPPED: '该时段已停诊',
  NOT_RELEASED: '号源尚未开放，请在放号时间后预约',
  BOOKING_CLOSED: '该时段已停止预约',
  SLOT_FULL: '号源已约满',
  RESERVED_ONLY: '普通号已约满，剩余为签约居民优先号（仅限该医生团队的签约居民）',
  ALREADY_BOOKED: '该就诊人在此时段已有预约',
} as const;
export type BookingRefusalCode = keyof typeof BookingRefusal;

/** Why a booking must be refused by the calendar alone (places are checked by the write), or null. */
export function calendarRefusal(s: Omit<BookingWindow, 'placesLeft'>, now: number = Date.now()): BookingRefusalCode | null {
  if (s.stopped) return 'SESSION_STOPPED';
  if (now < Date.parse(s.releaseAt)) return 'NOT_RELEASED';
  if (now >= Date.parse(s.bookingClosesAt)) return 'BOOKING_CLOSED';
  return null;
}

/** Check-in (签到) is allowed on the session's own day (hospital calendar) until the session ends. */
export function checkInRefusal(date: string, endsAt: string, now: number = Date.now()): 'NOT_TODAY' | 'SESSION_OVER' | null {
  if (localDate(now) !== date) return now < Date.parse(endsAt) ? 'NOT_TODAY' : 'SESSION_OVER';
  if (now >= Date.parse(endsAt)) return 'SESSION_OVER';
  return null;
}

/** A schedule id from its natural key: one session per doctor per date and period. */
export const scheduleIdOf = (doctorId: string, date: string, s: Session) => `${doctorId}_${date.replaceAll('-', '')}_${s}`;
