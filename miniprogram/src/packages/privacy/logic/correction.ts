/** 更正申请 (PIPL Art 46): the choices, the form's checks, the list's words. */
import { CORRECTION_FIELD_LABEL, CorrectionField, type CorrectionView } from '@hospital/shared';
import type * as z from 'zod';

type Correction = z.infer<typeof CorrectionView>;

export const CORRECTION_FIELDS = CorrectionField.options.map((value) => ({ value, label: CORRECTION_FIELD_LABEL[value] }));

export const CORRECTION_STATUS_LABEL: Record<Correction['status'], string> = {
  submitted: '已提交，等待医院核实',
  done: '已更正',
  rejected: '未予更正',
};

export interface CorrectionForm {
  patientId?: string;
  field?: CorrectionField;
  detail: string;
}

/** Messages by input, the same limits as the contract (CorrectionRequest); empty when it can be sent. */
export function checkCorrection(form: CorrectionForm): Partial<Record<'patientId' | 'field' | 'detail', string>> {
  const e: Partial<Record<'patientId' | 'field' | 'detail', string>> = {};
  if (!form.patientId) e.patientId = '请选择就诊人';
  if (!form.field) e.field = '请选择需要更正的项目';
  const d = form.detail.trim();
  if (d.length < 2) e.detail = '请说明需要更正的内容';
  else if (d.length > 500) e.detail = '内容过长，请控制在500字以内';
  return e;
}

/** A hint for the text box, by field: what to write. */
export function detailPlaceholder(field: CorrectionField | undefined): string {
  switch (field) {
    case 'birth_date':
      return '例如：出生日期应为1950年3月2日';
    case 'id_number':
      return '例如：身份证号最后四位应为123X（请勿填写完整号码）';
    case 'report':
      return '例如：11月20日的血常规报告不是我的';
    case 'record':
      return '例如：过敏史应为青霉素过敏';
    default:
      return '请写明哪里有误、正确的内容是什么';
  }
}

/** Newest first. */
export const sortCorrections = <T extends Pick<Correction, 'createdAt'>>(items: readonly T[]) => [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** `2026-12-04` in Beijing time. */
export const dayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
