/**
 * 一体机管理 (admin): the 登记一体机 form, checked with the same schema the server uses
 * (`CreateKioskRequest`), and what the page shows about a kiosk's secrets.
 */
import { CreateKioskRequest, type KioskView } from '@hospital/shared';
import type * as z from 'zod';
import type { ApiError } from '../../../services/client';

export type KioskField = 'orgId' | 'label' | 'kioskId';
export const KIOSK_FIELDS: readonly KioskField[] = ['orgId', 'label', 'kioskId'];

export interface KioskInput {
  orgId: string;
  label: string;
  /** Empty: the server makes one up (`kiosk-…`). */
  kioskId: string;
}

export type KioskFieldErrors = Partial<Record<KioskField, string>>;

export function checkKiosk(input: KioskInput): { ok: true; value: z.output<typeof CreateKioskRequest> } | { ok: false; errors: KioskFieldErrors } {
  const kioskId = input.kioskId.trim();
  const r = CreateKioskRequest.safeParse({ orgId: input.orgId, label: input.label, kioskId: kioskId || undefined });
  if (r.success) return { ok: true, value: r.data };
  const errors: KioskFieldErrors = {};
  for (const issue of r.error.issues) {
    const field = issue.path[0] as KioskField;
    if (!KIOSK_FIELDS.includes(field) || errors[field]) continue;
    if (field === 'orgId' && !input.orgId) errors.orgId = '请选择机构';
    else if (field === 'kioskId') errors.kioskId = '一体机编号只能包含字母、数字、- 和 _，最多64位';
    else if (field === 'label' && issue.code === 'too_big') errors.label = '名称最多60个字';
    else errors[field] = issue.message;
  }
  return { ok: false, errors };
}

/** Field messages from a server 400 (`body.orgId`), for the same places in the form. */
export function serverKioskErrors(e: Pick<ApiError, 'fieldError'> | null | undefined): KioskFieldErrors {
  const errors: KioskFieldErrors = {};
  if (!e) return errors;
  for (const f of KIOSK_FIELDS) {
    const m = e.fieldError(f);
    if (m) errors[f] = m;
  }
  return errors;
}

/** `密钥 1 个有效` or, during a rotation, that the previous one still works. */
export function secretsText(k: Pick<KioskView, 'secrets'>): string {
  if (k.secrets.length === 0) return '没有有效密钥，请更换密钥';
  if (k.secrets.length === 1) return '密钥 1 个有效';
  return `密钥 ${k.secrets.length} 个有效（更换中：上一个密钥在下次更换前仍可用）`;
}

/** Newest first, so a kiosk just registered is at the top. */
export const newestFirst = <K extends Pick<KioskView, 'createdAt'>>(items: readonly K[]): K[] =>
  [...items].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
