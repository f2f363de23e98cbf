import { describe, expect, it } from 'vitest';
import type { KioskSessionView } from '@hospital/shared';
import { codeFromParam, endedNotice, isCompleteKioskCode, kioskCodeInput, renewLabel } from './kiosk-binding';

const base = { kioskId: 'k1', label: '一体机', orgId: 'o1', orgName: '站' };
const mine: KioskSessionView = { ...base, state: 'mine', patientName: '张建国', renewals: 0, renewalsLeft: 2 };

describe('the kiosk page', () => {
  it('takes only the digits of the code shown on the kiosk, six of them', () => {
    expect(kioskCodeInput(' 12-34 567')).toBe('123456');
    expect(isCompleteKioskCode('123456')).toBe(true);
    expect(isCompleteKioskCode('12345')).toBe(false);
  });

  it('fills the code in from the kiosk’s on-screen QR, and ignores anything else', () => {
    expect(codeFromParam('654321')).toBe('654321');
    expect(codeFromParam('65432x')).toBe('');
    expect(codeFromParam(undefined)).toBe('');
  });

  it('offers renewals while some are left, then none', () => {
    expect(renewLabel(mine, 15)).toBe('再测 15 分钟（还可延长 2 次）');
    expect(renewLabel({ renewalsLeft: 0 }, 15)).toBeUndefined();
  });

  it('says plainly when my binding ended, and why', () => {
    expect(endedNotice(mine, { ...base, state: 'busy' })).toContain('下一位');
    expect(endedNotice(mine, { ...base, state: 'none' })).toContain('已结束');
    expect(endedNotice(mine, mine)).toBeUndefined();
    expect(endedNotice(undefined, { ...base, state: 'none' })).toBeUndefined();
  });
});
