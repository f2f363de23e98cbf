/**
 * 实名核验 at a window (staff): what the looked-up person card says, and the checks on the phone
 * before the verification is sent — the ID number typed from the card in hand must be a valid
 * number (the shared `IdNumber` schema, the server's own rule) and agree with the masked number
 * on record; the place must be filled in. The server still compares the full number.
 */
import { IdNumber, RELATION_LABEL, Relation, type ResponseOf, type identityRoutes } from '@hospital/shared';
import { localDay } from '../../../components/reports/format';
import { verificationText } from './verify';

export type PersonLookup = ResponseOf<typeof identityRoutes.staffLookup>;

export interface Line {
  label: string;
  value: string;
}

const SEX_LABEL = { male: '男', female: '女' } as const;

/** `self` → 本人 (the account holder); a label the server already worded is kept. */
export function relationText(relation: string): string {
  const r = Relation.safeParse(relation);
  return r.success ? RELATION_LABEL[r.data] : relation;
}

/** The lines staff compare with the card: name, sex, birth date, masked number, relation, state. */
export function lookupLines(p: PersonLookup): Line[] {
  return [
    { label: '姓名', value: p.name },
    { label: '性别', value: SEX_LABEL[p.sex] },
    { label: '出生日期', value: localDay(p.birthDate) },
    { label: '身份证号', value: p.idNumberMasked },
    { label: '与账户关系', value: relationText(p.relation) },
    { label: '实名状态', value: verificationText(p.verification) },
  ];
}

/** Every character the mask shows (`1101**********123X`) equals the typed number's. */
export function agreesWithMask(idNumber: string, masked: string): boolean {
  const id = idNumber.trim().toUpperCase();
  const m = masked.trim().toUpperCase();
  if (id.length !== m.length) return false;
  return [...m].every((c, i) => c === '*' || c === id[i]);
}

export type StaffInput = { idNumber: string; place: string };
export type StaffCheck = { ok: true; value: StaffInput } | { ok: false; errors: Partial<Record<keyof StaffInput, string>> };

export function checkStaffInput(input: StaffInput, masked: string): StaffCheck {
  const errors: Partial<Record<keyof StaffInput, string>> = {};
  const id = IdNumber.safeParse(input.idNumber);
  if (!input.idNumber.trim()) errors.idNumber = '请输入证件上的身份证号';
  else if (!id.success) errors.idNumber = id.error.issues[0]?.message ?? '身份证号码有误';
  else if (!agreesWithMask(id.data, masked)) errors.idNumber = '与该就诊人登记的身份证号不一致，请核对证件';
  const place = input.place.trim();
  if (!place) errors.place = '请填写核验地点';
  else if (place.length > 60) errors.place = '地点过长';
  if (errors.idNumber || errors.place || !id.success) return { ok: false, errors };
  return { ok: true, value: { idNumber: id.data, place } };
}

/** The place prefilled for the staff member: their organisation's name, else nothing (they type it). */
export function defaultPlace(orgName: string | undefined): string {
  return orgName?.trim() ?? '';
}
