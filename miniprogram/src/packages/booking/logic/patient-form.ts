/**
 * The 添加就诊人 form, checked field by field with the same schema the server uses (GB 11643
 * checksum and birth date for the ID number), so the person sees every problem before sending.
 */
import { CreatePatientRequest, type Relation } from '@hospital/shared';
import type { ApiError } from '../../../services/client';

export type PatientField = 'name' | 'relation' | 'phone' | 'idNumber';
export const PATIENT_FIELDS: readonly PatientField[] = ['name', 'relation', 'phone', 'idNumber'];

export interface PatientInput {
  name: string;
  relation: Relation | '';
  phone: string;
  idNumber: string;
}

export type FieldErrors = Partial<Record<PatientField, string>>;

export function checkPatient(input: PatientInput): { ok: true; value: { name: string; relation: Relation; phone: string; idNumber: string } } | { ok: false; errors: FieldErrors } {
  const body = { ...input, relation: input.relation || undefined };
  const r = CreatePatientRequest.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const field = issue.path[0] as PatientField;
    if (!PATIENT_FIELDS.includes(field) || errors[field]) continue;
    errors[field] = field === 'relation' ? '请选择与您的关系' : issue.message;
  }
  return { ok: false, errors };
}

/** Field messages from a server 400 (`body.idNumber`), for the same places in the form. */
export function serverFieldErrors(e: Pick<ApiError, 'fieldError'> | null | undefined): FieldErrors {
  const errors: FieldErrors = {};
  if (!e) return errors;
  for (const f of PATIENT_FIELDS) {
    const m = e.fieldError(f);
    if (m) errors[f] = m;
  }
  return errors;
}
