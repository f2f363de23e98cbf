import { describe, expect, it } from 'vitest';
import { shortDay, when } from './format';

describe('reading times', () => {
  it('a reading dated by the kiosk to the day only is shown as that day, never as a time', () => {
    expect(when('2025-06-08')).toBe('6月8日');
    expect(shortDay('2025-06-08')).toBe('6/8');
    expect(when('2025-06-08T02:20:00.000Z')).toBe('6月8日 10:20');
  });
});
