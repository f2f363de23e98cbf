import { describe, expect, it } from 'vitest';
import { ageOn, idCardCheckChar, maskIdCard, maskName, maskPhone, validateIdCard } from './idcard';

const valid = (first17: string) => first17 + idCardCheckChar(first17);

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    // GB 11643-1999 appendix example: 11010519491231002X, a woman born 1949-12-31.
    expect(validateIdCard('11010519491231002X')).toEqual({ ok: true, idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female' });
    expect(validateIdCard('11010519491231002x')).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
    expect(validateIdCard(valid('37090219800101001'))).toMatchObject({ ok: true, sex: 'male', birthDate: '1980-01-01' });
  });

  it('refuses a wrong check character', () => {
    expect(validateIdCard('110105194912310021')).toMatchObject({ ok: false, problem: 'checksum' });
  });

  it('refuses wrong length, letters and an X anywhere but last', () => {
    for (const bad of ['', '1101051949123100', '1101051949123100211', '11010519491231X02X', 'abcdefghijklmnopqr']) {
      expect(validateIdCard(bad)).toMatchObject({ ok: false, problem: 'format' });
    }
  });

  it('refuses impossible and future birth dates, and unknown provinces', () => {
    expect(validateIdCard(valid('11010519490230002'))).toMatchObject({ ok: false, problem: 'birth_date' }); // 30 Feb
    expect(validateIdCard(valid('11010518991231002'))).toMatchObject({ ok: false, problem: 'birth_date' });
    expect(validateIdCard(valid('11010520300101002'), '2025-06-01')).toMatchObject({ ok: false, problem: 'birth_date' });
    expect(validateIdCard(valid('11010520000229002'))).toMatchObject({ ok: true }); // leap day
    expect(validateIdCard(valid('99010519491231002'))).toMatchObject({ ok: false, problem: 'region' });
  });

  it('every error has a Chinese message for the form', () => {
    const r = validateIdCard('110105194912310021');
    expect(!r.ok && r.message).toMatch(/校验位/);
  });
});

describe('masks', () => {
  it('shows only the first and last four of an ID number', () => {
    expect(maskIdCard('11010519491231002X')).toBe('1101**********002X');
  });
  it('shows 3 + 4 digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('masks names for lists others may see', () => {
    expect(maskName('张建国')).toBe('张*国');
    expect(maskName('王五')).toBe('王*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
  });
  it('computes age in whole years', () => {
    expect(ageOn('1990-06-02', '2025-06-01')).toBe(34);
    expect(ageOn('1990-06-01', '2025-06-01')).toBe(35);
  });
});
