/** Display helpers for readings: severity colours and labels, Beijing dates. */
import { dayjs, HOSPITAL_TZ, SEVERITY_LABEL, type Severity } from '@hospital/shared';

/** Text on white >= 4.5:1; severity is always also said in words (never colour alone). */
export const SEVERITY_COLOR: Record<Severity, string> = { normal: '#1b5e20', attention: '#8a5300', warning: '#c43e00', critical: '#b71c1c' };
export const severityText = (s: Severity) => SEVERITY_LABEL[s];

/** A reading the kiosk dated to the day only (`2025-06-08`) is shown as that day, never as a time. */
const dayOnly = (iso: string) => /^\d{4}-\d{2}-\d{2}$/.test(iso);
export const shortDay = (iso: string) => (dayOnly(iso) ? dayjs(iso).format('M/D') : dayjs(iso).tz(HOSPITAL_TZ).format('M/D'));
export const when = (iso: string) => (dayOnly(iso) ? dayjs(iso).format('M月D日') : dayjs(iso).tz(HOSPITAL_TZ).format('M月D日 HH:mm'));
