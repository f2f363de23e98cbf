import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONSENT_PURPOSE_TEXT,
  ConsentPurpose,
  LEGAL_DOCUMENTS,
  PRIVACY_POLICY_VERSION,
  REMOVED_AT_DELETION,
  RETAINED_AFTER_DELETION,
  USER_AGREEMENT_VERSION,
} from '@hospital/shared';
import { PRIVACY_ENTRIES, privacyPath } from '../../../components/privacy-entries';
import { AGREEMENT, OPERATOR, PRIVACY_POLICY, consentLines, retainedLines } from './documents';

const text = (d: typeof AGREEMENT) => [d.title, d.lead, ...d.sections.flatMap((s) => [s.heading, ...s.paragraphs])].join('\n');
const policy = text(PRIVACY_POLICY);
const agreement = text(AGREEMENT);

describe('用户协议 and 隐私政策 show the versions the server records', () => {
  it('each document carries its shared version constant', () => {
    expect(AGREEMENT.version).toBe(USER_AGREEMENT_VERSION);
    expect(PRIVACY_POLICY.version).toBe(PRIVACY_POLICY_VERSION);
    expect({ agreement: AGREEMENT.version, privacy: PRIVACY_POLICY.version }).toEqual(LEGAL_DOCUMENTS);
  });

  it('every section has a heading and at least one paragraph of Chinese text', () => {
    for (const d of [AGREEMENT, PRIVACY_POLICY]) {
      expect(d.sections.length).toBeGreaterThan(5);
      for (const s of d.sections) {
        expect(s.heading).toMatch(/^[一二三四五六七八九十]+、/);
        expect(s.paragraphs.length).toBeGreaterThan(0);
        for (const p of s.paragraphs) expect(p).toMatch(/[\u4e00-\u9fff]{4,}/);
      }
    }
  });
});

describe('the privacy policy says what PIPL asks it to say', () => {
  it('who we are: the hospital that operates the Internet hospital, and how to reach it', () => {
    expect(PRIVACY_POLICY.sections[0].heading).toContain('我们是谁');
    expect(policy).toContain(OPERATOR.name);
    expect(policy).toContain(OPERATOR.contact);
  });

  it('what is collected and why: account, 就诊人 identity with ID number and phone, health data, location', () => {
    for (const w of ['账号信息', '身份证号', '手机号', '化验与检查报告', '健康档案', '一体机', '视频问诊', '紧急求助', '附近的医院和工作站']) expect(policy).toContain(w);
  });

  it('the legal bases: Art 13, sensitive information under Art 28–29, children under 14 (Art 31), emergencies (Art 13(4))', () => {
    for (const w of ['第十三条', '第二十八条', '第二十九条', '第三十一条', '第十三条第一款第四项', '不满十四周岁']) expect(policy).toContain(w);
  });

  it('names each separate consent with its purpose and what happens without it', () => {
    for (const p of ConsentPurpose.options) {
      const t = CONSENT_PURPOSE_TEXT[p];
      expect(policy).toContain(t.title);
      expect(policy).toContain(t.why);
      expect(policy).toContain(t.without);
    }
    expect(consentLines()).toHaveLength(ConsentPurpose.options.length);
  });

  it('storage in China (the deployment region) and what deletion removes and keeps, with the basis', () => {
    const serverless = readFileSync(resolve(import.meta.dirname, '../../../../../serverless.yml'), 'utf8');
    expect(serverless).toContain(`'${OPERATOR.region}'`);
    expect(policy).toContain(OPERATOR.region);
    expect(policy).toContain('境内');
    for (const w of REMOVED_AT_DELETION) expect(policy).toContain(w);
    for (const r of RETAINED_AFTER_DELETION) {
      expect(policy).toContain(r.what);
      expect(policy).toContain(`${r.years}年`);
      expect(policy).toContain(r.basis);
    }
    expect(retainedLines()).toHaveLength(RETAINED_AFTER_DELETION.length);
  });

  it('who it is shared with: the HIS, labs, 120 dispatch, payment providers', () => {
    for (const w of ['HIS', '检验', '120调度', '微信支付', '支付宝']) expect(policy).toContain(w);
  });

  it('each right says where in the app it is exercised, by the rows 我的 shows', () => {
    for (const w of ['查阅', '复制', '更正', '删除', '撤回同意']) expect(policy).toContain(w);
    for (const key of ['consents', 'export', 'correction', 'deletion'] as const) expect(policy).toContain(privacyPath(key));
    for (const e of PRIVACY_ENTRIES) expect(privacyPath(e.key)).toContain(e.title);
  });
});

describe('the user agreement', () => {
  it('says an SOS needs no login and does not replace calling 120, and points to the privacy policy', () => {
    expect(agreement).toContain('无需登录');
    expect(agreement).toContain('拨打120');
    expect(agreement).toContain('《隐私政策》');
    expect(agreement).toContain('不满十四周岁');
  });
});
