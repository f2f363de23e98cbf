/** How reports read on a phone: hospital-local times, values with their units, flags in words. */
import { dayjs, FLAG_DISPLAY, HOSPITAL_TZ, rangeText, RESULT_STATUS_LABEL, unitDisplay, type Flag, type ReferenceRange, type ResultStatus } from '@hospital/shared';

/** A date the lab gave without a time (`2025-06-08`, `2025-06`, `2025`) is shown as that date, never as midnight. */
const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const local = (iso: string) => (DATE_ONLY.test(iso) ? dayjs.tz(iso.length === 4 ? `${iso}-01-01` : iso.length === 7 ? `${iso}-01` : iso, HOSPITAL_TZ) : dayjs(iso).tz(HOSPITAL_TZ));
const dateFormat = (iso: string) => (iso.length === 4 ? 'YYYY年' : iso.length === 7 ? 'YYYY-MM' : 'YYYY-MM-DD');
export const localDateTime = (iso: string) => local(iso).format(DATE_ONLY.test(iso) ? dateFormat(iso) : 'YYYY-MM-DD HH:mm');
export const localDay = (iso: string) => local(iso).format(DATE_ONLY.test(iso) ? dateFormat(iso) : 'YYYY-MM-DD');
export const shortDay = (iso: string) => local(iso).format('MM-DD');

/** The unit as a Chinese lab sheet prints it; the lab's own words when there is no UCUM code. */
export const unitOf = (o: { unit?: string; unitText?: string }) => unitDisplay(o.unit) || o.unitText || '';

/**
 * What the lab sent, with its unit: `11.2 ×10⁹/L`, `5.90 mmol/L` (its digits), `<1 /uL` (its
 * comparator), `1:128`, `4-6`, `2+`, or its words (阴性). Never reduced to one number.
 */
export function valueWithUnit(o: { value?: number; valueText?: string; unit?: string; unitText?: string; absentReason?: string; status?: string }): string {
  if (o.status === 'cancelled' || o.status === 'registered') return o.absentReason ?? (o.status === 'registered' ? '结果未出' : '未能出结果');
  const shown = o.valueText ?? (o.value !== undefined ? String(o.value) : o.absentReason ?? '');
  const u = unitOf(o);
  return shown && u && !/\n/.test(shown) ? `${shown} ${u}` : shown;
}

/** 初步结果 / 已更正 / 未能出结果: said in words beside the value (empty for a final result). */
export const resultStatusLabel = (s?: ResultStatus) => (s ? RESULT_STATUS_LABEL[s] : '');

export const rangeLine = (r?: ReferenceRange, unit?: string, unitText?: string) => {
  const t = rangeText(r);
  if (!t) return '';
  const u = r?.text ? '' : r?.unit ? unitDisplay(r.unit) || r.unit : unitDisplay(unit) || unitText || '';
  return `参考范围 ${t}${u ? ` ${u}` : ''}`;
};

/** `↑ 偏高`: the arrow and the words, never colour alone. */
export const flagLabel = (f?: Flag) => (f ? `${FLAG_DISPLAY[f].arrow ? `${FLAG_DISPLAY[f].arrow} ` : ''}${FLAG_DISPLAY[f].text}` : '');
export const flagTone = (f?: Flag) => (f ? FLAG_DISPLAY[f].tone : 'none');
