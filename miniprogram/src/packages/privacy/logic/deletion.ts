/** 注销账户 (PIPL Art 47): what goes, what the hospital keeps and why, and the typed confirmation. */
import { REMOVED_AT_DELETION, RETAINED_AFTER_DELETION } from '@hospital/shared';

/** The word to type, as the contract requires (DeleteAccountRequest). */
export const DELETION_WORD = '注销';

export const canConfirmDeletion = (typed: string) => typed.trim() === DELETION_WORD;

export const removedItems = (): readonly string[] => REMOVED_AT_DELETION;

export interface RetainedRow {
  what: string;
  period: string;
  basis: string;
}

export function retainedRows(): RetainedRow[] {
  return RETAINED_AFTER_DELETION.map((r) => ({ what: r.what, period: `保存${r.years}年`, basis: r.basis }));
}

/** The last question before the request is sent. */
export const FINAL_CONFIRMATION = {
  title: '确定注销账户？',
  content: '注销后无法恢复：账户和就诊人信息将被删除，您将退出登录。紧急求助无需账户，仍可使用。',
  confirmText: '确定注销',
  cancelText: '再想想',
};
