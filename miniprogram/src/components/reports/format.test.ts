import { describe, expect, it } from 'vitest';
import { flagLabel, flagTone, localDateTime, localDay, rangeLine, resultStatusLabel, valueWithUnit } from './format';

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

describe('what the lab sent is what the patient reads', () => {
  it('values keep their digits, comparator, ratio, range and words', () => {
    expect(valueWithUnit({ value: 5.9, valueText: '5.90', unit: 'mmol/L' })).toBe('5.90 mmol/L');
    expect(valueWithUnit({ valueText: '<1', unit: '/uL' })).toBe('<1 /μL');
    expect(valueWithUnit({ valueText: '1:128' })).toBe('1:128');
    expect(valueWithUnit({ valueText: '4-6', unit: '/[HPF]' })).toBe('4-6 /HPF');
    expect(valueWithUnit({ valueText: '2+' })).toBe('2+');
    expect(valueWithUnit({ value: 140, unitText: 'pH' })).toBe('140 pH');
  });

  it('a cancelled or pending result shows no value, only why', () => {
    expect(valueWithUnit({ value: 6.3, status: 'cancelled', absentReason: 'Specimen unsatisfactory for evaluation' })).toBe('Specimen unsatisfactory for evaluation');
    expect(valueWithUnit({ status: 'cancelled' })).toBe('未能出结果');
    expect(valueWithUnit({ status: 'registered' })).toBe('结果未出');
    expect(resultStatusLabel('preliminary')).toBe('初步结果');
    expect(resultStatusLabel('final')).toBe('');
    expect(resultStatusLabel(undefined)).toBe('');
  });

  it('the lab’s range words are shown as written; a range in another unit says its unit', () => {
    expect(rangeLine({ high: 9, text: '<9 mcg/dL:  Acceptable background lead exposure' }, 'ug/dL')).toBe('参考范围 <9 mcg/dL:  Acceptable background lead exposure');
    expect(rangeLine({ low: 70, high: 110, unit: 'mg/dL' }, 'mmol/L')).toBe('参考范围 70–110 mg/dL');
    expect(rangeLine({ low: 0, high: 2 }, undefined, 'copies')).toBe('参考范围 0–2 copies');
  });

  it('a date the lab gave without a time is shown as that date, at the precision given', () => {
    expect(localDateTime('2025-06-08')).toBe('2025-06-08');
    expect(localDateTime('2025-06')).toBe('2025-06');
    expect(localDateTime('2025')).toBe('2025年');
    expect(localDay('2008-08-15T17:30:00.000Z')).toBe('2008-08-16');
  });
});
