import { describe, expect, it } from 'vitest';
import { flagLabel, flagTone, localDateTime, rangeLine, valueWithUnit } from './format';

describe('how a report reads', () => {
  it('a flag is an arrow and words, not only a colour', () => {
    expect(flagLabel('high')).toBe('↑ 偏高');
    expect(flagLabel('low')).toBe('↓ 偏低');
    expect(flagLabel('critical_high')).toBe('↑↑ 危急值（极高）');
    expect(flagLabel('normal')).toBe('正常');
    expect(flagLabel(undefined)).toBe('');
    expect(flagTone('critical_low')).toBe('critical');
  });

  it('values carry their unit; ranges say what they are', () => {
    expect(valueWithUnit({ value: 11.2, unit: '10*9/L' })).toBe('11.2 ×10⁹/L');
    expect(valueWithUnit({ valueText: '阴性' })).toBe('阴性');
    expect(rangeLine({ low: 3.5, high: 9.5 }, '10*9/L')).toBe('参考范围 3.5–9.5 ×10⁹/L');
    expect(rangeLine({ text: '阴性' }, undefined)).toBe('参考范围 阴性');
    expect(rangeLine(undefined, 'g/L')).toBe('');
  });

  it('times are the hospital’s (Asia/Shanghai)', () => {
    expect(localDateTime('2025-06-08T02:20:00.000Z')).toBe('2025-06-08 10:20');
    expect(localDateTime('2025-06-08')).toBe('2025-06-08');
  });
});
