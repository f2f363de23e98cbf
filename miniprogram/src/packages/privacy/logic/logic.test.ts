import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSENT_PURPOSE_TEXT, CorrectionField, RETAINED_AFTER_DELETION, ConsentPurpose } from '@hospital/shared';
import { PRIVACY_ENTRIES } from '../../../components/privacy-entries';
import { routes } from '../../../routes';
import { ACCEPT_POINTS, DECLINE_CONFIRMATION } from './acceptance';
import { changedToast, consentRows, grantedLabel, revokeConfirmation } from './consents';
import { CORRECTION_FIELDS, CORRECTION_STATUS_LABEL, checkCorrection, dayOf, detailPlaceholder, sortCorrections } from './correction';
import { DELETION_WORD, canConfirmDeletion, removedItems, retainedRows } from './deletion';
import { exportFileName, exportText, patientName, summarizeExport, summaryLines } from './export';

describe('授权管理', () => {
  it('lists the three consents in order; one never answered is off', () => {
    const rows = consentRows({ consents: [{ purpose: 'id_number', granted: true, at: '2026-12-04T01:00:00Z' }] });
    expect(rows.map((r) => r.purpose)).toEqual(ConsentPurpose.options);
    expect(rows.map((r) => r.granted)).toEqual([false, true, false]);
    expect(rows[1]).toMatchObject({ title: CONSENT_PURPOSE_TEXT.id_number.title, at: '2026-12-04T01:00:00Z' });
    expect(consentRows(undefined).every((r) => !r.granted)).toBe(true);
  });

  it('a revoked consent shows as off (the latest answer counts)', () => {
    expect(consentRows({ consents: [{ purpose: 'health_data', granted: false, at: 'x' }] })[0].granted).toBe(false);
  });

  it('revoking asks first, says what stops working and that an SOS is not affected', () => {
    const c = revokeConfirmation('precise_location');
    expect(c.title).toContain('精确位置');
    expect(c.content).toContain(CONSENT_PURPOSE_TEXT.precise_location.without);
    expect(c.content).toContain('紧急求助不受影响');
    expect(c.confirmText.length).toBeLessThanOrEqual(4); // WeChat's showModal limit
    expect(c.cancelText.length).toBeLessThanOrEqual(4);
  });

  it('the state is said in words', () => {
    expect(grantedLabel(true)).toBe('已同意');
    expect(grantedLabel(false)).toBe('未同意');
    expect(changedToast('health_data', false)).toBe('已关闭：健康医疗信息');
  });
});

describe('导出我的数据', () => {
  const bundle = {
    resourceType: 'Bundle' as const,
    type: 'collection' as const,
    timestamp: '2026-12-04T02:00:00Z',
    entry: [
      { resource: { resourceType: 'Patient', name: [{ text: '张三' }] } },
      { resource: { resourceType: 'Patient', name: [{ family: '李', given: ['小', '花'] }] } },
      { resource: { resourceType: 'DiagnosticReport' } },
      { resource: { resourceType: 'Observation' } },
      { resource: { resourceType: 'Observation' } },
      { resource: { resourceType: 'Appointment' } },
      { resource: { resourceType: 'AllergyIntolerance' } },
    ],
  };

  it('sums up people by name, reports, observations and appointments', () => {
    const s = summarizeExport(bundle);
    expect(s).toEqual({ people: ['张三', '李小花'], reports: 1, observations: 2, appointments: 1, other: 1, total: 7 });
    expect(summaryLines(s)).toEqual(['就诊人：2位（张三、李小花）', '检查检验报告：1份', '检验结果与测量记录：2条', '预约记录：1次', '其他记录：1条']);
  });

  it('an empty export says so', () => {
    const s = summarizeExport({ entry: [] });
    expect(s.total).toBe(0);
    expect(summaryLines(s)[0]).toBe('就诊人：无');
  });

  it('a person without a name does not break the summary', () => {
    expect(patientName({})).toBe('（未填写姓名）');
    expect(patientName({ name: [{}] })).toBe('（未填写姓名）');
  });

  it('the file is named by the Beijing date, in ASCII, and holds the bundle as JSON', () => {
    expect(exportFileName(new Date('2026-12-04T17:00:00Z'))).toBe('hospital-my-data-20261205.json');
    expect(JSON.parse(exportText(bundle))).toEqual(bundle);
  });
});

describe('更正申请', () => {
  it('offers every field of the contract with its Chinese label', () => {
    expect(CORRECTION_FIELDS.map((f) => f.value)).toEqual(CorrectionField.options);
    expect(CORRECTION_FIELDS.find((f) => f.value === 'id_number')?.label).toBe('身份证号');
  });

  it('asks for a person, a field and a description within the contract limits', () => {
    expect(checkCorrection({ detail: '' })).toEqual({ patientId: '请选择就诊人', field: '请选择需要更正的项目', detail: '请说明需要更正的内容' });
    expect(checkCorrection({ patientId: 'p1', field: 'name', detail: ' 姓名应为张三 ' })).toEqual({});
    expect(checkCorrection({ patientId: 'p1', field: 'other', detail: '字'.repeat(501) }).detail).toContain('500');
  });

  it('never asks for a full ID number in the text', () => {
    expect(detailPlaceholder('id_number')).toContain('请勿填写完整号码');
  });

  it('lists my requests newest first, each state in words, by Beijing date', () => {
    const items = [{ createdAt: '2026-12-01T00:00:00Z' }, { createdAt: '2026-12-03T00:00:00Z' }];
    expect(sortCorrections(items).map((i) => i.createdAt)).toEqual(['2026-12-03T00:00:00Z', '2026-12-01T00:00:00Z']);
    expect(Object.values(CORRECTION_STATUS_LABEL).every((l) => /[\u4e00-\u9fff]/.test(l))).toBe(true);
    expect(dayOf('2026-12-03T20:00:00Z')).toBe('2026-12-04');
  });
});

describe('注销账户', () => {
  it('only the typed word 注销 (spaces aside) confirms', () => {
    expect(canConfirmDeletion('注销')).toBe(true);
    expect(canConfirmDeletion(' 注销 ')).toBe(true);
    expect(canConfirmDeletion('注')).toBe(false);
    expect(canConfirmDeletion('注销账户')).toBe(false);
    expect(DELETION_WORD).toBe('注销');
  });

  it('shows what is removed and what the hospital keeps, for how long and why', () => {
    expect(removedItems()).toContain('账户与登录信息');
    expect(retainedRows()).toEqual(RETAINED_AFTER_DELETION.map((r) => ({ what: r.what, period: `保存${r.years}年`, basis: r.basis })));
  });
});

describe('first-login acceptance', () => {
  it('sums the policy up in a few lines and says 不同意 logs out but leaves 紧急求助', () => {
    expect(ACCEPT_POINTS.length).toBeLessThanOrEqual(5);
    expect(ACCEPT_POINTS.join('')).toContain('境内');
    expect(DECLINE_CONFIRMATION.content).toContain('退出登录');
    expect(DECLINE_CONFIRMATION.content).toContain('紧急求助');
    expect(DECLINE_CONFIRMATION.confirmText.length).toBeLessThanOrEqual(4);
  });
});

describe('entry points from 我的', () => {
  it('each row opens a privacy page, one tap from 我的', () => {
    expect(PRIVACY_ENTRIES.map((e) => e.title)).toEqual(['授权管理', '用户协议', '隐私政策', '导出我的数据', '更正申请', '注销账户']);
    for (const e of PRIVACY_ENTRIES) expect(routes[e.route].path.startsWith('/packages/privacy/')).toBe(true);
    const me = readFileSync(resolve(import.meta.dirname, '../../../pages/me/index.tsx'), 'utf8');
    expect(me).toContain('<PrivacySection');
  });

  it('the documents and the acceptance page need no login; the rights do', () => {
    for (const n of ['privacyAccept', 'privacyAgreement', 'privacyPolicy', 'privacyAuthorize'] as const) expect((routes[n] as { auth?: boolean }).auth).toBeUndefined();
    for (const n of ['privacyConsents', 'privacyExport', 'privacyCorrection', 'privacyDeletion'] as const) expect(routes[n].auth).toBe(true);
  });
});
