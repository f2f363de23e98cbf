import { describe, expect, it } from 'vitest';
import { flagFromRange, flagOfInterpretation, isLoincCode, isSnomedCode, isUcumCode, joinName, LAB_TEST_NAMES, parseRangeText, rangeFromLab, rangeText, sameName, snText, testName, typeOfCategory, ucumOf, unitDisplay } from './reports';

describe('report rules', () => {
  it('LOINC codes carry a mod-10 check digit', () => {
    for (const c of ['6690-2', '718-7', '2345-7', '58410-2', '59776-5', '19005-8', '24558-9', '8480-6', '882-1']) expect(isLoincCode(c), c).toBe(true);
    for (const c of ['6690-3', '718-1', '58410', 'ABC-1', '', '12345678-9']) expect(isLoincCode(c), c).toBe(false);
  });

  it('UCUM units are ASCII codes; Chinese words are not units', () => {
    expect(['10*9/L', 'mmol/L', '%', 'mm[Hg]', 'g/L', 'U/L'].every(isUcumCode)).toBe(true);
    expect(isUcumCode('毫摩尔/升')).toBe(false);
    expect(isUcumCode('mmol / L')).toBe(false);
  });

  it('reference ranges are read from lab text', () => {
    expect(parseRangeText('3.5-9.5')).toEqual({ low: 3.5, high: 9.5 });
    expect(parseRangeText('3.5～9.5')).toEqual({ low: 3.5, high: 9.5 });
    expect(parseRangeText('<5.2')).toEqual({ high: 5.2 });
    expect(parseRangeText('≥60')).toEqual({ low: 60 });
    expect(parseRangeText('-1.5-2')).toEqual({ low: -1.5, high: 2 });
    expect(parseRangeText('阴性')).toEqual({ text: '阴性' });
    expect(parseRangeText('  ')).toBeUndefined();
    expect(rangeText({ low: 3.5, high: 9.5 })).toBe('3.5–9.5');
    expect(rangeText({ high: 5.2 })).toBe('≤5.2');
  });

  it('a value outside its range is high or low; the bounds themselves are normal', () => {
    const r = { low: 3.5, high: 9.5 };
    expect(flagFromRange(9.6, r)).toBe('high');
    expect(flagFromRange(3.4, r)).toBe('low');
    expect(flagFromRange(9.5, r)).toBe('normal');
    expect(flagFromRange(3.5, r)).toBe('normal');
    expect(flagFromRange(5, undefined)).toBeUndefined();
    expect(flagFromRange(5, { text: '阴性' })).toBeUndefined();
  });

  it('interpretation codes of HL7 v2 and FHIR map to flags; unknown ones are not guessed', () => {
    expect(flagOfInterpretation('H')).toBe('high');
    expect(flagOfInterpretation('hh')).toBe('critical_high');
    expect(flagOfInterpretation('LL')).toBe('critical_low');
    expect(flagOfInterpretation('A')).toBe('abnormal');
    expect(flagOfInterpretation('ZZ')).toBeUndefined();
  });

  it('units print as on a Chinese lab sheet; sections tell lab from exam', () => {
    expect(unitDisplay('10*9/L')).toBe('×10⁹/L');
    expect(unitDisplay('10*12/L')).toBe('×10¹²/L');
    expect(unitDisplay('umol/L')).toBe('μmol/L');
    expect(unitDisplay('Cel')).toBe('℃');
    expect(unitDisplay('mmol/L')).toBe('mmol/L');
    expect(typeOfCategory('US')).toBe('exam');
    expect(typeOfCategory('HM')).toBe('lab');
  });
});

describe('what a lab sends, kept as sent', () => {
  it('every code of the hospital’s test catalogue is a valid LOINC code, and names are Chinese', () => {
    for (const [code, t] of Object.entries(LAB_TEST_NAMES)) {
      expect(isLoincCode(code), code).toBe(true);
      expect(t.name, code).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(testName('6690-2', undefined, 'WBC')).toBe('白细胞计数');
    expect(testName('6690-2', 'L', 'WBC')).toBe('WBC');
    expect(testName('99999-9', undefined, 'Odd test')).toBe('Odd test');
  });

  it('names are joined by script and compared as a registration desk would', () => {
    expect(joinName('张', ['建国'])).toBe('张建国');
    expect(joinName('Johnson', ['Philip'])).toBe('Philip Johnson');
    expect(joinName('EVERYWOMAN', ['EVE', 'E'])).toBe('EVE E EVERYWOMAN');
    expect(sameName('JOHNSON PHILIP', 'Philip Johnson')).toBe(true);
    expect(sameName('阿依古丽·买买提', '阿依古丽买买提')).toBe(true);
    expect(sameName('Philip Johnson', 'Philip Jonson')).toBe(false);
    expect(sameName('张建国', '张建')).toBe(false);
  });

  it('units in words get their UCUM code; structured numbers print as the lab wrote them', () => {
    expect(ucumOf('x10*12/L')).toBe('10*12/L');
    expect(ucumOf('×10^9/L')).toBe('10*9/L');
    expect(ucumOf('mg/dl')).toBe('mg/dL');
    expect(ucumOf('毫摩尔/升')).toBe('mmol/L');
    expect(ucumOf('copies/mL')).toBeUndefined();
    expect(snText({ comparator: '<', num1: 0.5 })).toBe('<0.5');
    expect(snText({ num1: 1, separator: ':', num2: 128 })).toBe('1:128');
    expect(snText({ num1: 2, separator: '+' })).toBe('2+');
  });

  it('a range keeps the lab’s words unless it is a plain pair; `<` excludes its bound', () => {
    expect(rangeFromLab('3.5-9.5')).toEqual({ low: 3.5, high: 9.5 });
    expect(rangeFromLab('<5.2')).toEqual({ high: 5.2, text: '<5.2' });
    expect(rangeFromLab('阴性')).toEqual({ text: '阴性' });
    expect(flagFromRange(5.2, { high: 5.2, text: '<5.2' })).toBe('high');
    expect(flagFromRange(5.2, { high: 5.2, text: '≤5.2' })).toBe('normal');
    expect(flagFromRange(5.2, { high: 5.2 })).toBe('normal');
    expect(flagFromRange(5.2, { low: 3, high: 5, unit: 'mg/dL' })).toBeUndefined();
  });

  it('SNOMED CT concept ids carry a Verhoeff check digit', () => {
    for (const c of ['260385009', '104177005', '3092008', '66543000']) expect(isSnomedCode(c), c).toBe(true);
    expect(isSnomedCode('260385008')).toBe(false);
  });
});
