/**
 * A person's data as FHIR R4 resources (Patient/$everything): Patient, DiagnosticReport and its
 * Observations (LOINC or the lab's code, UCUM, comparators and ratios as sent, coded answers,
 * status, interpretation, reference ranges), AllergyIntolerance, Condition and MedicationStatement
 * from the health record. Self-reported entries are `unconfirmed`, entries a doctor verified are
 * `confirmed`. Pure: the service gathers, this shapes.
 *
 * Every entry's `fullUrl` is a `urn:uuid:` (stable: derived from the resource's type and id) and
 * every reference inside the Bundle uses it, so a reader resolves them without calling us; FHIR
 * JSON forbids empty arrays and objects, so none are emitted.
 */
import { createHash } from 'node:crypto';
import {
  FINDINGS_LOINC,
  FLAG_TO_INTERPRETATION,
  isHiddenReport,
  LOINC_SYSTEM,
  resultHasValue,
  UCUM_SYSTEM,
  type Coding,
  type HealthRecordView,
  type ReportObservation,
  type ResultStatus,
} from '@hospital/shared';
import type { PatientItem } from '../patients/store';
import type { ReportItem } from '../reports/store';

export type Resource = { resourceType: string; id: string } & Record<string, unknown>;

const LOINC = LOINC_SYSTEM;
const UCUM = UCUM_SYSTEM;
const TERM = 'http://terminology.hl7.org/CodeSystem';
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const text = (t: string) => ({ text: t });
/** FHIR ids: [A-Za-z0-9-.]{1,64}. */
const fid = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

/** No undefined, null, empty string, empty array or empty object anywhere (FHIR JSON rules). */
export function prune<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map(prune).filter((x) => x !== undefined);
    return (out.length ? out : undefined) as T;
  }
  if (v && typeof v === 'object') {
    const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, prune(x)]).filter(([, x]) => x !== undefined));
    return (Object.keys(out).length ? out : undefined) as T;
  }
  if (v === null || v === '') return undefined as T;
  return v;
}

/** A stable `urn:uuid:` for a resource (RFC 4122 layout, name-based from SHA-256). */
export function uuidOf(resourceType: string, id: string): string {
  const h = createHash('sha256').update(`internet-hospital:${resourceType}/${id}`).digest('hex');
  const v = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `urn:uuid:${v}`;
}
const ref = (r: { resourceType: string; id: string }) => ({ reference: uuidOf(r.resourceType, r.id) });

function patientResource(p: PatientItem, record: HealthRecordView): Resource {
  return prune({
    resourceType: 'Patient',
    id: fid(p.patientId),
    identifier: [{ system: 'urn:internet-hospital:patient', value: p.patientId }],
    name: [{ text: p.name }],
    gender: p.sex,
    birthDate: p.birthDate,
    contact: record.emergencyContacts.map((c) => ({ relationship: [text(c.relation)], name: text(c.name), telecom: [{ system: 'phone', value: c.phone }] })),
  });
}

/** A coding as FHIR wants it: a system only when it is a URI (an HL7 v2 local name like `L` is not). */
const fhirCoding = (c: Coding) => ({ ...(c.system && /^[a-z][a-z0-9+.-]*:/i.test(c.system) && c.system !== 'urn:no-system' ? { system: c.system } : {}), code: c.code, display: c.display });
const quantity = (value: number, ucum?: string, words?: string) => (ucum ? { value, unit: words ?? ucum, system: UCUM, code: ucum } : { value, unit: words });

/** The result's value[x] exactly as the lab gave it: number, comparator, ratio, range, coded answer, text. */
function valueOf(o: ReportObservation): Record<string, unknown> {
  if (!resultHasValue(o.status)) return { dataAbsentReason: { text: o.absentReason ?? '未能出结果' } };
  if (o.value !== undefined) return { valueQuantity: quantity(o.value, o.unit, o.unitText) };
  const sn = o.sn;
  if (sn && sn.num1 !== undefined && sn.num2 !== undefined && (sn.separator === ':' || sn.separator === '/') && !sn.comparator) {
    return { valueRatio: { numerator: { value: sn.num1 }, denominator: { value: sn.num2 } } };
  }
  if (sn && sn.num1 !== undefined && sn.num2 !== undefined && sn.separator === '-' && !sn.comparator) {
    return { valueRange: { low: quantity(sn.num1, o.unit, o.unitText), high: quantity(sn.num2, o.unit, o.unitText) } };
  }
  if (sn && sn.num1 !== undefined && sn.num2 === undefined && !sn.separator && sn.comparator && sn.comparator !== '<>' && sn.comparator !== '=') {
    return { valueQuantity: { ...quantity(sn.num1, o.unit, o.unitText), comparator: sn.comparator } };
  }
  if (o.valueCodings?.length) return { valueCodeableConcept: { coding: o.valueCodings.map(fhirCoding), text: o.valueText } };
  if (o.valueText) return { valueString: o.valueText };
  return { dataAbsentReason: { text: o.absentReason ?? '无结果' } };
}

const OBSERVATION_STATUS: Record<ReportItem['status'], ResultStatus> = {
  registered: 'registered',
  partial: 'preliminary',
  preliminary: 'preliminary',
  final: 'final',
  amended: 'amended',
  corrected: 'corrected',
  appended: 'amended',
  cancelled: 'cancelled',
  'entered-in-error': 'entered-in-error',
  unknown: 'unknown',
};

function observationResource(r: ReportItem, o: ReportObservation, i: number, subject: { reference: string }): Resource {
  const codings = o.codings?.length ? o.codings : [{ system: o.system ?? LOINC, code: o.code, display: o.labName ?? o.name }];
  return prune({
    resourceType: 'Observation',
    id: fid(`${r.reportId}-o${i}`),
    status: o.status ?? OBSERVATION_STATUS[r.status],
    category: [cc(`${TERM}/observation-category`, r.type === 'lab' ? 'laboratory' : 'imaging')],
    code: { coding: o.system === 'text' ? undefined : codings.map(fhirCoding), text: o.name },
    subject,
    effectiveDateTime: r.effectiveAt ?? r.issuedAt,
    issued: r.issuedAt,
    ...valueOf(o),
    interpretation: o.flag && resultHasValue(o.status) ? [cc(`${TERM}/v3-ObservationInterpretation`, FLAG_TO_INTERPRETATION[o.flag].code, FLAG_TO_INTERPRETATION[o.flag].display)] : undefined,
    referenceRange: o.range
      ? [
          {
            low: o.range.low !== undefined ? quantity(o.range.low, o.range.unit ?? o.unit, o.range.unit ? undefined : o.unitText) : undefined,
            high: o.range.high !== undefined ? quantity(o.range.high, o.range.unit ?? o.unit, o.range.unit ? undefined : o.unitText) : undefined,
            text: o.range.text,
          },
        ]
      : undefined,
    note: o.note ? [{ text: o.note }] : undefined,
  });
}

function reportResources(r: ReportItem, subject: { reference: string }): Resource[] {
  const shown = r.observations.filter((o) => o.status !== 'entered-in-error');
  const observations = shown.map((o, i) => observationResource(r, o, i, subject));
  if (r.findings) observations.push(observationResource(r, { code: FINDINGS_LOINC.code, name: '检查所见', valueText: r.findings }, observations.length, subject));
  const report = prune({
    resourceType: 'DiagnosticReport',
    id: fid(r.reportId),
    meta: { versionId: String(r.version) },
    identifier: [{ ...(r.identifier.system && /^[a-z][\w+.-]*:/i.test(r.identifier.system) ? { system: r.identifier.system } : {}), value: r.identifier.value }],
    status: r.status,
    category: [cc(`${TERM}/v2-0074`, r.category)],
    code: { coding: r.codeSystem === 'text' ? undefined : [fhirCoding({ system: r.codeSystem ?? LOINC, code: r.code })], text: r.title },
    subject,
    effectiveDateTime: r.effectiveAt,
    issued: r.issuedAt,
    performer: r.performer ? [{ display: r.performer }] : undefined,
    result: observations.map(ref),
    conclusion: r.conclusion,
  });
  return [report, ...observations];
}

function recordResources(pid: string, record: HealthRecordView, subject: { reference: string }): Resource[] {
  const out: Resource[] = [];
  const status = (system: string, code: string) => cc(`${TERM}/${system}`, code);
  record.allergies.forEach((a, i) =>
    out.push(prune({
      resourceType: 'AllergyIntolerance',
      id: fid(`${pid}-al${i}`),
      clinicalStatus: status('allergyintolerance-clinical', 'active'),
      verificationStatus: status('allergyintolerance-verification', 'unconfirmed'),
      code: text(a.substance),
      patient: subject,
      criticality: a.severity === 'severe' ? 'high' : a.severity ? 'low' : undefined,
      reaction: a.reaction ? [{ manifestation: [text(a.reaction)], severity: a.severity }] : undefined,
    })),
  );
  record.conditions.forEach((c, i) =>
    out.push(prune({
      resourceType: 'Condition',
      id: fid(`${pid}-co${i}`),
      clinicalStatus: status('condition-clinical', 'active'),
      verificationStatus: status('condition-ver-status', 'unconfirmed'),
      code: text(c.name),
      subject,
      onsetString: c.since,
    })),
  );
  record.medications.forEach((m, i) =>
    out.push(prune({
      resourceType: 'MedicationStatement',
      id: fid(`${pid}-me${i}`),
      status: 'active',
      medicationCodeableConcept: text(m.name),
      subject,
      dosage: m.dose || m.frequency ? [{ text: [m.dose, m.frequency].filter(Boolean).join('，') }] : undefined,
    })),
  );
  // What a doctor verified: confirmed, with who and when.
  record.verified.forEach((v, i) => {
    const id = fid(`${pid}-ve${i}`);
    const by = { display: v.verifiedByName };
    const note = v.detail ? [{ text: v.detail }] : undefined;
    if (v.kind === 'allergy') out.push(prune({ resourceType: 'AllergyIntolerance', id, clinicalStatus: status('allergyintolerance-clinical', 'active'), verificationStatus: status('allergyintolerance-verification', 'confirmed'), code: text(v.value), patient: subject, recordedDate: v.verifiedAt, recorder: by, note }));
    else if (v.kind === 'condition') out.push(prune({ resourceType: 'Condition', id, clinicalStatus: status('condition-clinical', 'active'), verificationStatus: status('condition-ver-status', 'confirmed'), code: text(v.value), subject, recordedDate: v.verifiedAt, recorder: by, note }));
    else if (v.kind === 'medication') out.push(prune({ resourceType: 'MedicationStatement', id, status: 'active', medicationCodeableConcept: text(v.value), subject, dateAsserted: v.verifiedAt, informationSource: by, note }));
    else out.push(prune({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code: '882-1', display: 'ABO and Rh group' }] }, subject, issued: v.verifiedAt, performer: [by], valueString: v.value, note }));
  });
  if (record.bloodType !== 'unknown' && !record.verified.some((v) => v.kind === 'bloodType')) {
    const rh = record.rh === 'positive' ? ' Rh阳性' : record.rh === 'negative' ? ' Rh阴性' : '';
    out.push(prune({ resourceType: 'Observation', id: fid(`${pid}-abo`), status: 'final', code: { coding: [{ system: LOINC, code: '882-1', display: 'ABO and Rh group' }] }, subject, valueString: `${record.bloodType}型${rh}`, note: [{ text: '患者自述' }] }));
  }
  return out;
}

export function everythingBundle(args: { patient: PatientItem; record: HealthRecordView; reports: ReportItem[]; base: string; now?: Date; extra?: (subject: string) => Resource[] }) {
  const { patient, record, base } = args;
  const person = patientResource(patient, record);
  const subject = ref(person);
  const reports = args.reports.filter((r) => !isHiddenReport(r.status));
  const resources = [person, ...reports.flatMap((r) => reportResources(r, subject)), ...recordResources(patient.patientId, record, subject), ...(args.extra?.(subject.reference) ?? []).map(prune)];
  return {
    resourceType: 'Bundle' as const,
    type: 'searchset',
    timestamp: (args.now ?? new Date()).toISOString(),
    total: resources.length,
    link: [{ relation: 'self', url: `${base}/v1/fhir/Patient/${person.id}/$everything` }],
    entry: resources.map((resource) => ({ fullUrl: uuidOf(resource.resourceType, resource.id), resource, search: { mode: 'match' } })),
  };
}
