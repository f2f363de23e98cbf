import { describe, expect, it } from 'vitest';
import { idCardCheckChar } from '@hospital/shared';
import { checkIdNumber, checkOverrideReason, heldLines, isNameMismatch, type HeldReport } from './held';

const first17 = '37090219650412003';
const valid = first17 + idCardCheckChar(first17);
const wrongCheck = first17 + (idCardCheckChar(first17) === '0' ? '1' : '0');

describe('the ID number is checked on the phone before a held report is matched', () => {
  it('accepts a valid number, trimmed, with a lower-case x made upper-case', () => {
    expect(checkIdNumber(` ${valid} `)).toEqual({ ok: true, idNumber: valid });
    // 11010519491231002's check character is X.
    expect(checkIdNumber('11010519491231002x')).toEqual({ ok: true, idNumber: '11010519491231002X' });
  });
  it('refuses a wrong length, a bad birth date and a wrong check character, in Chinese', () => {
    const short = checkIdNumber('3709021965');
    expect(short.ok).toBe(false);
    expect(!short.ok && short.message).toContain('18位');
    expect(checkIdNumber('')).toMatchObject({ ok: false });
    const badDate = '37090219651332003';
    expect(checkIdNumber(badDate + idCardCheckChar(badDate))).toMatchObject({ ok: false, message: expect.stringContaining('出生日期') });
    expect(checkIdNumber(wrongCheck)).toMatchObject({ ok: false, message: expect.stringContaining('校验位') });
  });
});

describe('a held report card', () => {
  const r: HeldReport = {
    id: 'r-1',
    source: 'city-lis',
    type: 'lab',
    title: '血常规',
    issuedAt: '2025-06-08T02:20:00.000Z',
    receivedAt: '2025-06-08T02:21:30.000Z',
    performer: '泰安市中心医院检验科',
    subjectName: '张建国',
    idNumberMasked: '3709**********0035',
    reason: 'unknown_person',
  };
  const text = (h: HeldReport) => Object.fromEntries(heldLines(h).map((l) => [l.label, l.value]));

  it('shows times in Beijing time, the lab, and the name and masked ID on the report', () => {
    expect(text(r)).toEqual({
      出具单位: '泰安市中心医院检验科（city-lis）',
      报告时间: '2025-06-08 10:20',
      收到时间: '2025-06-08 10:21',
      报告上的姓名: '张建国',
      报告上的身份证号: '3709**********0035',
    });
  });
  it('says so when the report carries no name, ID number or performer', () => {
    const t = text({ ...r, performer: undefined, subjectName: undefined, idNumberMasked: undefined, reason: 'no_id_number' });
    expect(t['出具单位']).toBe('city-lis');
    expect(t['报告上的姓名']).toBe('未写明');
    expect(t['报告上的身份证号']).toBe('未带身份证号');
  });
});

describe('a name that disagrees: the override and its reason', () => {
  it('is offered only when the server says the names disagree', () => {
    expect(isNameMismatch({ code: 'NAME_MISMATCH' })).toBe(true);
    expect(isNameMismatch({ code: 'NOT_FOUND' })).toBe(false);
    expect(isNameMismatch(null)).toBe(false);
  });
  it('needs a reason of at least 4 characters, trimmed', () => {
    expect(checkOverrideReason('  录入错字，已核对身份证  ')).toEqual({ ok: true, reason: '录入错字，已核对身份证' });
    expect(checkOverrideReason('改名')).toMatchObject({ ok: false, message: expect.stringContaining('至少4个字') });
  });
});
