import { describe, expect, it } from 'vitest';
import { maskIdCard } from '@hospital/shared';
import { agreesWithMask, checkStaffInput, defaultPlace, lookupLines, relationText } from './staff';

// A valid number (GB 11643 checksum) and its mask as the server shows it.
const ID = '11010519491231002X';
const MASK = maskIdCard(ID);

describe('the person card at the window', () => {
  it('shows name, sex, birth date, the masked number and the account relation — never the full number', () => {
    const lines = lookupLines({
      name: '张秀英',
      sex: 'female',
      birthDate: '1949-12-31',
      idNumberMasked: MASK,
      relation: 'parent',
      verification: { state: 'unverified' },
    });
    expect(lines.map((l) => `${l.label}：${l.value}`)).toEqual([
      '姓名：张秀英',
      '性别：女',
      '出生日期：1949-12-31',
      `身份证号：${MASK}`,
      '与账户关系：父母',
      '实名状态：未实名',
    ]);
    expect(lines.some((l) => l.value.includes(ID))).toBe(false);
  });

  it('a relation the server already worded is kept', () => {
    expect(relationText('本人')).toBe('本人');
    expect(relationText('self')).toBe('本人');
  });
});

describe('checking the number typed from the card', () => {
  it('a valid number that agrees with the mask is sent upper-cased, the place trimmed', () => {
    expect(checkStaffInput({ idNumber: ` ${ID.toLowerCase()} `, place: ' 南天门工作站窗口 ' }, MASK)).toEqual({
      ok: true,
      value: { idNumber: ID, place: '南天门工作站窗口' },
    });
  });

  it('a typo is caught by the checksum before anything is sent', () => {
    const r = checkStaffInput({ idNumber: '110105194912310021', place: '窗口' }, MASK);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.idNumber).toBeTruthy();
  });

  it('a valid number of someone else is refused: it does not agree with the mask on record', () => {
    const other = '110101199003074514';
    expect(agreesWithMask(other, MASK)).toBe(false);
    const r = checkStaffInput({ idNumber: other, place: '窗口' }, MASK);
    expect(r).toEqual({ ok: false, errors: { idNumber: '与该就诊人登记的身份证号不一致，请核对证件' } });
  });

  it('the place is required, and empty inputs say what is missing', () => {
    expect(checkStaffInput({ idNumber: '', place: ' ' }, MASK)).toEqual({
      ok: false,
      errors: { idNumber: '请输入证件上的身份证号', place: '请填写核验地点' },
    });
  });

  it('the place defaults to the staff member’s organisation when known', () => {
    expect(defaultPlace('南天门远程医疗工作站')).toBe('南天门远程医疗工作站');
    expect(defaultPlace(undefined)).toBe('');
  });
});
