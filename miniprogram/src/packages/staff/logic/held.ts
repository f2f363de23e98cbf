/**
 * 化验报告待认领: what a held lab report's card says, and the ID number check done on the phone
 * before it is sent. The check is the shared `IdNumber` schema (format, region, birth date,
 * checksum) — the same rules the server applies to the match, so a typo is caught here.
 */
import { IdNumber, MatchHeldRequest, type ResponseOf, type reportsRoutes } from '@hospital/shared';
import { localDateTime } from '../../../components/reports/format';

export type HeldReport = ResponseOf<typeof reportsRoutes.held>['items'][number];

export type IdNumberCheck = { ok: true; idNumber: string } | { ok: false; message: string };

/** `' 370902196504120035 '` → ok with the normalised number; else the reason in Chinese. */
export function checkIdNumber(input: string): IdNumberCheck {
  const r = IdNumber.safeParse(input);
  if (r.success) return { ok: true, idNumber: r.data };
  return { ok: false, message: r.error.issues[0]?.message ?? '身份证号码应为18位' };
}

/** The server refused a match because the report's name is not the person's: an override (with a reason) may be offered. */
export const isNameMismatch = (e: { code: string } | null | undefined) => e?.code === 'NAME_MISMATCH';

/** The override's reason, checked with the shared schema (at least 4 characters, at most 200). */
export function checkOverrideReason(input: string): { ok: true; reason: string } | { ok: false; message: string } {
  const r = MatchHeldRequest.shape.nameOverride.unwrap().shape.reason.safeParse(input);
  return r.success ? { ok: true, reason: r.data } : { ok: false, message: r.error.issues[0]?.message ?? '请说明原因' };
}

export interface HeldLine {
  label: string;
  value: string;
}

/**
 * The lines under the title (type and reason go in the card's head and badge), times in Beijing
 * time; nothing is left blank: what the report did not carry is said in words.
 */
export function heldLines(r: HeldReport): HeldLine[] {
  return [
    { label: '出具单位', value: r.performer ? `${r.performer}（${r.source}）` : r.source },
    { label: '报告时间', value: localDateTime(r.issuedAt) },
    { label: '收到时间', value: localDateTime(r.receivedAt) },
    { label: '报告上的姓名', value: r.subjectName || '未写明' },
    { label: '报告上的身份证号', value: r.idNumberMasked || '未带身份证号' },
  ];
}
