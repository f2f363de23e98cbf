/**
 * What both readers share: the list of parts not filed (all of them, not the first), times kept at
 * the precision the lab gave, and the small rules every result goes through the same way.
 */
import {
  CONCLUSION_CODES,
  FINDINGS_CODES,
  flagFromRange,
  LOINC_SYSTEM,
  validateIdCard,
  type IncomingReport,
  type RejectedPart,
  type ReportObservation,
} from '@hospital/shared';

export class Problems {
  readonly list: RejectedPart[] = [];
  add(path: string, message: string, about: { code?: string; name?: string } = {}) {
    if (this.list.length < 200) this.list.push({ path, message, ...(about.code ? { code: about.code.slice(0, 64) } : {}), ...(about.name ? { name: about.name.slice(0, 64) } : {}) });
  }
  get empty() {
    return this.list.length === 0;
  }
  get length() {
    return this.list.length;
  }
}

/** A part not filed, as the ACK names it; `reason` for a whole report refused (REPORT_CHANGED…). */
export type AckedPart = RejectedPart & { reason?: string };

/** Where a message came from: production data, or test data that is checked and never filed. */
export type Processing = 'production' | 'training' | 'debugging' | 'test';

export interface Parsed {
  /** The reports that can be filed (each may carry `rejected` results). */
  reports: IncomingReport[];
  /** Where each report is in the message (`OBR[2]`, `body.entry.0.resource`), same order. */
  refs: string[];
  /** The patient group each report came from (HL7 PATIENT_RESULT; FHIR: the report itself), same order. */
  groups: number[];
  /** Everything not filed, at every level: message, report, result. */
  problems: RejectedPart[];
  processing: Processing;
  /** HL7 only: the ACK for this message once the outcome is known. */
  ack?: (code: 'AA' | 'AE' | 'AR', rejected: AckedPart[]) => string;
}

const DATE = /^(\d{4})(-(\d{2})(-(\d{2}))?)?$/;
/**
 * Instants as UTC ISO (`2025-06-08T02:20:00.000Z`): FHIR and HL7 spell the same time differently.
 * A date without a time (`2025-06-08`, `2025-06`, `2025`) is legal FHIR and stays a date.
 */
export function instant(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = DATE.exec(v);
  if (d) {
    const month = d[3] ? Number(d[3]) : 1;
    const day = d[5] ? Number(d[5]) : 1;
    const ok = month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(Number(d[1]), month, 0)).getUTCDate();
    return ok ? v : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
/** A date-only value (day, month or year precision). */
export const isDateOnly = (v: string | undefined) => !!v && DATE.test(v);

/** A valid resident ID number among the candidates, normalised; undefined when none is. */
export function pickIdNumber(candidates: string[]): string | undefined {
  for (const c of candidates) {
    const r = validateIdCard(c);
    if (r.ok) return r.idNumber;
  }
  return undefined;
}

/** Narrative observations of an exam become its findings / conclusion; the rest stay values. */
export function placeNarrative(target: { observations: ReportObservation[]; findings?: string; conclusion?: string }, o: ReportObservation) {
  const loinc = !o.system || o.system === LOINC_SYSTEM;
  const base = o.status === 'entered-in-error' || o.status === 'cancelled' ? undefined : o.valueText;
  const text = base && o.note ? `${base}\n（备注：${o.note}）` : base;
  if (loinc && FINDINGS_CODES.includes(o.code) && text) target.findings = [target.findings, text].filter(Boolean).join('\n');
  else if (loinc && CONCLUSION_CODES.includes(o.code) && text) target.conclusion = [target.conclusion, text].filter(Boolean).join('\n');
  else target.observations.push(o);
}

/**
 * The lab's flag wins; without one, an exact number is compared with its range. Nothing is
 * computed for a result with a comparator, a ratio, text, or no value.
 */
export const flagOr = (given: ReportObservation['flag'], o: Pick<ReportObservation, 'value' | 'range' | 'status'>) =>
  given ?? (o.status === 'cancelled' || o.status === 'entered-in-error' ? undefined : flagFromRange(o.value, o.range));

/** A number exactly as HL7 NM and FHIR decimals write it. */
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** `5.90` stays `5.90` for the eye; the number is 5.9. The text is kept only when it says more. */
export function exactNumber(text: string): { value: number; valueText?: string } {
  const value = Number(text);
  return String(value) === text ? { value } : { value, valueText: text };
}
