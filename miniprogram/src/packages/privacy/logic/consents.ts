/** 授权管理: the three separate consents (PIPL Art 29) as rows, and the words around a change. */
import { CONSENT_PURPOSE_TEXT, ConsentPurpose, type PrivacyView } from '@hospital/shared';

export interface ConsentRow {
  purpose: ConsentPurpose;
  title: string;
  why: string;
  without: string;
  granted: boolean;
  /** When the latest answer was given (ISO), if ever. */
  at?: string;
}

/** Every purpose, in the contract's order, with the account's latest answer (none = not granted). */
export function consentRows(view: Pick<PrivacyView, 'consents'> | undefined): ConsentRow[] {
  return ConsentPurpose.options.map((purpose) => {
    const c = view?.consents.find((x) => x.purpose === purpose);
    return { purpose, ...CONSENT_PURPOSE_TEXT[purpose], granted: !!c?.granted, at: c?.at };
  });
}

/** The state in words (never by colour alone). */
export const grantedLabel = (granted: boolean) => (granted ? '已同意' : '未同意');

/** The confirmation before a revocation: what stops working, and that an SOS is not affected. */
export function revokeConfirmation(purpose: ConsentPurpose): { title: string; content: string; confirmText: string; cancelText: string } {
  const t = CONSENT_PURPOSE_TEXT[purpose];
  return {
    title: `关闭“${t.title}”授权？`,
    content: `${t.without}。关闭后我们停止为此处理您的${t.title}；已依法保存的病历不受影响。紧急求助不受影响。`,
    confirmText: '关闭',
    cancelText: '保留',
  };
}

/** The toast after a change. */
export const changedToast = (purpose: ConsentPurpose, granted: boolean) => `${granted ? '已开启' : '已关闭'}：${CONSENT_PURPOSE_TEXT[purpose].title}`;
