import { describe, expect, it } from 'vitest';
import { addDaysTo, clock, dateTime, dayLabel, daysBetween, hospitalDate, monthDay, sessionLine, sessionTime, weekday } from './calendar';
import { feeText, sortAppointments } from './text';
import type { AppointmentView } from '@hospital/shared';

describe('the hospital calendar (Asia/Shanghai) without Intl', () => {
  it('a day starts at midnight in Shanghai, not UTC', () => {
    expect(hospitalDate(Date.parse('2026-11-21T15:59:59Z'))).toBe('2026-11-21');
    expect(hospitalDate(Date.parse('2026-11-21T16:00:00Z'))).toBe('2026-11-22');
  });

  it('adds days across months and years, and counts them', () => {
    expect(addDaysTo('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDaysTo('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
  });

  it('names days the way people say them', () => {
    expect(weekday('2026-11-22')).toBe('周日');
    expect(monthDay('2026-01-05')).toBe('1月5日');
    expect(dayLabel('2026-11-22', '2026-11-22')).toBe('今天');
    expect(dayLabel('2026-11-23', '2026-11-22')).toBe('明天');
    expect(dayLabel('2026-11-24', '2026-11-22')).toBe('后天');
    expect(dayLabel('2026-11-26', '2026-11-22')).toBe('周四');
  });

  it('shows instants in Shanghai time whatever offset they carry', () => {
    expect(clock('2026-11-29T08:00:00+08:00')).toBe('08:00');
    expect(clock('2026-11-29T00:00:00Z')).toBe('08:00');
    expect(dateTime('2026-11-22T13:30:00+08:00', '2026-11-22')).toBe('今天 13:30');
    expect(dateTime('2026-11-23T08:00:00+08:00', '2026-11-22')).toBe('明天 08:00');
    expect(dateTime('2026-11-29T08:00:00+08:00', '2026-11-22')).toBe('11月29日 08:00');
    expect(dateTime('not a time', '2026-11-22')).toBe('');
  });

  it('writes a session as date, weekday, period and hours', () => {
    expect(sessionTime('pm')).toBe('下午 13:30-17:30');
    expect(sessionLine({ date: '2026-11-22', session: 'am', startsAt: '2026-11-22T08:00:00+08:00', endsAt: '2026-11-22T12:00:00+08:00' })).toBe(
      '11月22日 周日 上午 08:00-12:00',
    );
  });
});

describe('appointment words', () => {
  it('a free session says 免费, others the yuan amount from fen', () => {
    expect(feeText(0)).toBe('免费');
    expect(feeText(5000)).toBe('¥50.00');
    expect(feeText(1)).toBe('¥0.01');
  });

  it('lists ongoing appointments soonest first, then past ones latest first; an active one whose session is over is past', () => {
    const a = (id: string, status: AppointmentView['status'], startsAt: string) =>
      ({ id, status, schedule: { startsAt, endsAt: startsAt.replace('T08:00', 'T12:00').replace('T13:30', 'T17:30') } }) as AppointmentView;
    const now = Date.parse('2026-11-22T09:00:00+08:00');
    const { active, past } = sortAppointments(
      [
        a('late', 'confirmed', '2026-11-25T08:00:00+08:00'),
        a('old', 'completed', '2026-11-01T08:00:00+08:00'),
        a('soon', 'pending_payment', '2026-11-22T13:30:00+08:00'),
        a('recent', 'cancelled', '2026-11-20T08:00:00+08:00'),
        a('missed', 'confirmed', '2026-11-21T08:00:00+08:00'),
      ],
      now,
    );
    expect(active.map((x) => x.id)).toEqual(['soon', 'late']);
    expect(past.map((x) => x.id)).toEqual(['missed', 'recent', 'old']);
  });
});
