import { describe, expect, it } from 'vitest';
import { calendarRefusal, checkInRefusal, defaultBookingCalendar, scheduleIdOf, scheduleState, sessionEndsAt, sessionStartsAt, toLocalIso } from './schedule';

const at = (iso: string) => Date.parse(iso);

describe('the booking calendar in Asia/Shanghai', () => {
  it('session times carry the +08:00 offset', () => {
    expect(sessionStartsAt('2025-06-08', 'am')).toBe('2025-06-08T08:00:00+08:00');
    expect(sessionEndsAt('2025-06-08', 'evening')).toBe('2025-06-08T21:00:00+08:00');
  });

  it('places are released 7 days ahead at 08:00, booking closes 30 min before the end, cancel until the start', () => {
    expect(defaultBookingCalendar('2025-06-08', 'pm')).toEqual({
      releaseAt: '2025-06-01T08:00:00+08:00',
      bookingClosesAt: '2025-06-08T17:00:00+08:00',
      cancelCutoffAt: '2025-06-08T13:30:00+08:00',
    });
  });

  it('release time is exact to the millisecond', () => {
    const s = { stopped: false, releaseAt: '2025-06-01T08:00:00+08:00', bookingClosesAt: '2025-06-08T11:30:00+08:00' };
    expect(calendarRefusal(s, at('2025-06-01T08:00:00+08:00') - 1)).toBe('NOT_RELEASED');
    expect(calendarRefusal(s, at('2025-06-01T08:00:00+08:00'))).toBeNull();
    // 00:00 UTC on the 1st is already 08:00 in Beijing.
    expect(calendarRefusal(s, at('2025-06-01T00:00:00Z'))).toBeNull();
    expect(calendarRefusal(s, at('2025-06-08T11:30:00+08:00'))).toBe('BOOKING_CLOSED');
    expect(calendarRefusal({ ...s, stopped: true }, at('2025-06-03T08:00:00+08:00'))).toBe('SESSION_STOPPED');
  });

  it('shows full, open, not released, closed and stopped', () => {
    const s = { stopped: false, placesLeft: 3, releaseAt: '2025-06-01T08:00:00+08:00', bookingClosesAt: '2025-06-08T11:30:00+08:00' };
    const now = at('2025-06-02T09:00:00+08:00');
    expect(scheduleState(s, now)).toBe('open');
    expect(scheduleState({ ...s, placesLeft: 0 }, now)).toBe('full');
    expect(scheduleState(s, at('2025-05-31T23:59:59+08:00'))).toBe('not_released');
    expect(scheduleState(s, at('2025-06-09T00:00:00+08:00'))).toBe('closed');
    expect(scheduleState({ ...s, stopped: true }, now)).toBe('stopped');
  });

  it('check-in is on the hospital day, not the UTC day', () => {
    const endsAt = '2025-06-02T21:00:00+08:00';
    // 2025-06-01T16:30Z is 00:30 on 2 June in Beijing: the evening session of the 2nd is "today".
    expect(checkInRefusal('2025-06-02', endsAt, at('2025-06-01T16:30:00Z'))).toBeNull();
    expect(checkInRefusal('2025-06-02', endsAt, at('2025-06-01T15:59:59Z'))).toBe('NOT_TODAY');
    expect(checkInRefusal('2025-06-02', endsAt, at('2025-06-02T13:00:00Z'))).toBe('SESSION_OVER');
    expect(checkInRefusal('2025-06-01', '2025-06-01T21:00:00+08:00', at('2025-06-01T16:30:00Z'))).toBe('SESSION_OVER');
  });

  it('formats instants in the hospital offset', () => {
    expect(toLocalIso('2025-06-01T16:30:00Z')).toBe('2025-06-02T00:30:00+08:00');
  });

  it('schedule ids are topic- and path-safe', () => {
    expect(scheduleIdOf('doc-li', '2025-06-08', 'am')).toMatch(/^[\w-]{1,80}$/);
  });
});
