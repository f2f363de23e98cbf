/**
 * PIPL consent and the person's rights. The user agreement and privacy policy are accepted at
 * first login (version recorded); sensitive personal information (Art 28–29) has its own consent at
 * the point of use, revocable under 授权管理. An SOS never waits for consent (Art 13(4)).
 */
import * as z from 'zod';

/** Bump when the text changes: every account is asked again at its next login. (AGREEMENT_VERSION is the care contract's.) */
export const USER_AGREEMENT_VERSION = '2026-12-04';
export const PRIVACY_POLICY_VERSION = '2026-12-04';

/** Separate consents for sensitive personal information (PIPL Art 29). */
export const ConsentPurpose = z.enum(['health_data', 'id_number', 'precise_location']);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

export const CONSENT_PURPOSE_TEXT: Record<ConsentPurpose, { title: string; why: string; without: string }> = {
  health_data: {
    title: '健康医疗信息',
    why: '查看化验报告、健康档案、一体机测量记录、住院与缴费信息，以及与医生共享档案',
    without: '不同意时无法查看报告和档案，挂号与紧急求助不受影响',
  },
  id_number: {
    title: '身份证号码',
    why: '添加就诊人、实名认证，以及医院按身份证号为您归档报告和账单',
    without: '不同意时无法添加就诊人',
  },
  precise_location: {
    title: '精确位置',
    why: '查找附近的医院和工作站',
    without: '不同意时可手动选择医院；紧急求助时仍会发送位置以便救援（《个人信息保护法》第十三条）',
  },
};

/**
 * What account deletion keeps, and for how long: medical records and prescriptions belong to the
 * hospital's record (医疗机构病历管理规定 Art 29; 处方管理办法 Art 50; 会计档案管理办法).
 */
export const RETAINED_AFTER_DELETION = [
  { what: '门（急）诊病历、电子病历与视频问诊记录', years: 15, basis: '《医疗机构病历管理规定》第二十九条' },
  { what: '住院病历', years: 30, basis: '《医疗机构病历管理规定》第二十九条' },
  { what: '处方', years: 3, basis: '《处方管理办法》第五十条（普通处方1年，麻醉与精神药品处方至多3年）' },
  { what: '缴费、退款与发票记录', years: 30, basis: '《会计档案管理办法》第十四条' },
  { what: '化验与检查报告', years: 15, basis: '由出具报告的医院保存，随病历保存期限' },
] as const;

/** Removed at deletion: the account, its people (就诊人) and their links, sessions, consents and messages to the account. */
export const REMOVED_AT_DELETION = ['账户与登录信息', '就诊人及其实名认证', '授权与同意记录', '消息与提醒'] as const;

export const CorrectionField = z.enum(['name', 'sex', 'birth_date', 'id_number', 'phone', 'record', 'report', 'other']);
export type CorrectionField = z.infer<typeof CorrectionField>;
export const CORRECTION_FIELD_LABEL: Record<CorrectionField, string> = {
  name: '姓名', sex: '性别', birth_date: '出生日期', id_number: '身份证号', phone: '手机号', record: '健康档案', report: '化验/检查报告', other: '其他',
};

/** The text of the documents lives in the app (pages 用户协议 / 隐私政策); their versions are here. */
export const LEGAL_DOCUMENTS = { agreement: USER_AGREEMENT_VERSION, privacy: PRIVACY_POLICY_VERSION } as const;
