/**
 * The rows of 我的 → 隐私与授权, in one list: the 我的 page draws them, and the privacy policy
 * (packages/privacy/logic/documents.ts) names the same rows when it says where each right is
 * exercised, so the text cannot point at a row that is not there.
 */
import type { RouteName } from '../routes';

export const PRIVACY_SECTION_TITLE = '隐私与授权';

export interface PrivacyEntry {
  route: RouteName;
  title: string;
  hint: string;
  /** Stable id for e2e tests: `#me-privacy-<key>`. */
  key: string;
}

export const PRIVACY_ENTRIES = [
  { route: 'privacyConsents', title: '授权管理', hint: '健康信息、身份证号、精确位置的单独授权，以及定位、相机权限', key: 'consents' },
  { route: 'privacyAgreement', title: '用户协议', hint: '使用本互联网医院的约定', key: 'agreement' },
  { route: 'privacyPolicy', title: '隐私政策', hint: '我们如何收集、使用和保护您的信息', key: 'policy' },
  { route: 'privacyExport', title: '导出我的数据', hint: '获取已实名认证就诊人的报告、档案和预约记录', key: 'export' },
  { route: 'privacyCorrection', title: '更正申请', hint: '信息有误时，申请医院更正', key: 'correction' },
  { route: 'privacyDeletion', title: '注销账户', hint: '删除账户及就诊人信息', key: 'deletion' },
] as const satisfies readonly PrivacyEntry[];

export type PrivacyEntryKey = (typeof PRIVACY_ENTRIES)[number]['key'];

/** `我的 → 隐私与授权 → 授权管理`: where a right is exercised, in the words the app shows. */
export function privacyPath(key: PrivacyEntryKey): string {
  const entry = PRIVACY_ENTRIES.find((e) => e.key === key);
  return `“我的—${PRIVACY_SECTION_TITLE}—${entry?.title ?? ''}”`;
}
