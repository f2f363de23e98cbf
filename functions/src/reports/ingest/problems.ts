/** What both parsers share: the list of bad entries (all of them, not the first) and normalising helpers. */
import { ANALYTE_HINTS, CONCLUSION_CODES, FINDINGS_CODES, flagFromRange, validateIdCard, type IncomingReport, type ReportObservation } from '@hospital/shared';
import type { FieldError } from '@hospital/shared';

export class Problems {
  readonly list: FieldError[] = [];
  add(path: string, message: string) {
    if (this.list.length < 100) this.list.push({ path, message });
  }
  get empty() {
    return this.list.length === 0;
  }
}

export interface Parsed {
  reports: IncomingReport[];
  problems: FieldError[];
}

/** Instants as UTC ISO (`2025-06-08T02:20:00.000Z`): FHIR and HL7 spell the same time differently. */
export function instant(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A valid resident ID number among the candidates, normalised; undefined when none is. */
export function pickIdNumber(candidates: string[]): string | undefined {
  for (const c of candidates) {
    const r = validateIdCard(c);
    if (r.ok) return r.idNumber;
  }
  return undefined;
}

/** Chinese names are written without a space between family and given name. */
export const joinName = (family?: string, given?: string) => `${family ?? ''}${given ?? ''}`.trim() || undefined;

/** The lab's name, else ours for the code, else the code itself. */
export const analyteName = (code: string, given?: string) => given?.trim() || ANALYTE_HINTS[code]?.name || code;

/** Narrative observations of an exam become its findings / conclusion; the rest stay values. */
export function placeNarrative(
  target: { observations: ReportObservation[]; findings?: string; conclusion?: string },
  o: ReportObservation,
) {
  if (FINDINGS_CODES.includes(o.code) && o.valueText) target.findings = [target.findings, o.valueText].filter(Boolean).join('\n');
  else if (CONCLUSION_CODES.includes(o.code) && o.valueText) target.conclusion = [target.conclusion, o.valueText].filter(Boolean).join('\n');
  else target.observations.push(o);
}

/** The lab's flag wins; without one, a number is compared with its range. */
export const flagOr = (given: ReportObservation['flag'], o: Pick<ReportObservation, 'value' | 'range'>) => given ?? flagFromRange(o.value, o.range);
