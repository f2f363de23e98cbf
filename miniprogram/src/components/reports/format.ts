/** How reports read on a phone: hospital-local times, values with their units, flags in words. */
import { dayjs, FLAG_DISPLAY, HOSPITAL_TZ, rangeText, unitDisplay, type Flag, type ReferenceRange } from '@hospital/shared';

const local = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? dayjs.tz(iso, HOSPITAL_TZ) : dayjs(iso).tz(HOSPITAL_TZ));
export const localDateTime = (iso: string) => local(iso).format(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'YYYY-MM-DD' : 'YYYY-MM-DD HH:mm');
export const localDay = (iso: string) => local(iso).format('YYYY-MM-DD');
export const shortDay = (iso: string) => local(iso).format('MM-DD');

/** `11.2 ×10⁹/L`, or the lab's text (阴性). */
export function valueWithUnit(o: { value?: number; valueText?: string; unit?: string }): string {
  if (o.value === undefined) return o.valueText ?? '';
  const u = unitDisplay(o.unit);
  return u ? `${o.value} ${u}` : String(o.value);
}

export const rangeLine = (r?: ReferenceRange, unit?: string) => {
  const t = rangeText(r);
  if (!t) return '';
  const u = r?.text ? '' : unitDisplay(unit);
  return `参考范围 ${t}${u ? ` ${u}` : ''}`;
};

/** `↑ 偏高`: the arrow and the words, never colour alone. */
export const flagLabel = (f?: Flag) => (f ? `${FLAG_DISPLAY[f].arrow ? `${FLAG_DISPLAY[f].arrow} ` : ''}${FLAG_DISPLAY[f].text}` : '');
export const flagTone = (f?: Flag) => (f ? FLAG_DISPLAY[f].tone : 'none');
