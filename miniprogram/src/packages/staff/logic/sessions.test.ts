import { describe, expect, it } from 'vitest';
import { defaultSession } from './sessions';

const s = (scheduleId: string, session: 'am' | 'pm' | 'evening', stopped = false) => ({ scheduleId, session, stopped });

describe("the call screen opens on the session that is running", () => {
  const day = [s('pm', 'pm'), s('am', 'am'), s('eve', 'evening')];
  it('morning → 上午, afternoon → 下午, evening → 夜间', () => {
    expect(defaultSession(day, '07:30')?.scheduleId).toBe('am');
    expect(defaultSession(day, '11:59')?.scheduleId).toBe('am');
    expect(defaultSession(day, '12:00')?.scheduleId).toBe('pm');
    expect(defaultSession(day, '18:30')?.scheduleId).toBe('eve');
  });
  it('skips a stopped session, and after the last one stays on it', () => {
    expect(defaultSession([s('am', 'am', true), s('pm', 'pm')], '09:00')?.scheduleId).toBe('pm');
    expect(defaultSession([s('am', 'am'), s('pm', 'pm')], '22:00')?.scheduleId).toBe('pm');
    expect(defaultSession([], '09:00')).toBeUndefined();
  });
});
