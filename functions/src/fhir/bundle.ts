/**
 * A person's data as FHIR R4 resources (Patient/$everything): Patient, DiagnosticReport and its
 * Observations (LOINC, UCUM, interpretation, reference ranges), AllergyIntolerance, Condition and
 * MedicationStatement from the health record. Self-reported entries are `unconfirmed`, entries a
 * doctor verified are `confirmed`. Pure: the service gathers, this shapes.
 */
import { FINDINGS_LOINC, FLAG_TO_INTERPRETATION, type HealthRecordView, type ReportObservation } from '@hospital/shared';
import type { PatientItem } from '../patients/store';
import type { ReportItem } from '../reports/store';

export type Resource = { resourceType: string; id: string } & Record<string, unknown>;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const TERM = 'http://terminology.hl7.org/CodeSystem';
const cc = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const text = (t: string) => ({ text: t });
/** FHIR ids: [A-Za-z0-9-.]{1,64}. */
const fid = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);
const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function patientResource(p: PatientItem, record: HealthRecordView): Resource {
  return {
    resourceType: 'Patient',
    id: fid(p.patientId),
    identifier: [{ system: 'urn:internet-hospital:patient', value: p.patientId }],
    name: [{ text: p.name }],
    gender: p.sex,
    birthDate: p.birthDate,
    contact: record.emergencyContacts.map((c) => ({ relationship: [text(c.relation)], name: text(c.name), telecom: [{ system: 'phone', value: c.phone }] })),
  };
}

const quantity = (value: number, unit?: string) => (unit ? { value, unit, system: UCUM, code: unit } : { value });

function observationResource(r: ReportItem, o: ReportObservation, i: number, subject: string): Resource {
  return clean({
    resourceType: 'Observation',
    id: fid(`${r.reportId}-o${i}`),
    status: r.status === 'appended' ? 'amended' : r.status,
    category: [cc(`${TERM}/observation-category`, r.type === 'lab' ? 'laboratory' : 'imaging')],
    code: { coding: [{ system: LOINC, code: o.code, display: o.name }], text: o.name },
    subject: { reference: subject },
    effectiveDateTime: r.effectiveAt ?? r.issuedAt,
    issued: r.issuedAt,
    ...(o.value !== undefined ? { valueQuantity: quantity(o.value, o.unit) } : { valueString: o.valueText }),
    interpretation: o.flag ? [cc(`${TERM}/v3-ObservationInterpretation`, FLAG_TO_INTERPRETATION[o.flag].code, FLAG_TO_INTERPRETATION[o.flag].display)] : undefined,
    referenceRange: o.range
      ? [{ low: o.range.low !== undefined ? quantity(o.range.low, o.unit) : undefined, high: o.range.high !== undefined ? quantity(o.range.high, o.unit) : undefined, text: o.range.text }]
      : undefined,
    note: o.note ? [{ text: o.note }] : undefined,
  });
}

function reportResources(r: ReportItem, subject: string): Resource[] {
  const observations = r.observations.map((o, i) => observationResource(r, o, i, subject));
  if (r.findings) observations.push(observationResource(r, { code: FINDINGS_LOINC.code, name: '检查所见', valueText: r.findings }, observations.length, subject));
  const report = clean({
    resourceType: 'DiagnosticReport',
    id: fid(r.reportId),
    meta: { versionId: String(r.version) },
    identifier: [{ ...(r.identifier.system && /^[a-z][\w+.-]*:/i.test(r.identifier.system) ? { system: r.identifier.system } : {}), value: r.identifier.value }],
    status: r.status,
    category: [cc(`${TERM}/v2-0074`, r.category)],
    code: { coding: [{ system: LOINC, code: r.code }], text: r.title },
    subject: { reference: subject },
    effectiveDateTime: r.effectiveAt,
    issued: r.issuedAt,
    performer: r.performer ? [{ display: r.performer }] : undefined,
    result: observations.map((o) => ({ reference: `Observation/${o.id}` })),
    conclusion: r.conclusion,
  });
  return [report, ...observations];
}

function recordResources(pid: string, record: HealthRecordView, subject: string): Resource[] {
  const out: Resource[] = [];
  const status = (system: string, code: string) => cc(`${TERM}/${system}`, code);
  record.allergies.forEach((a, i) =>
    out.push(clean({
      resourceType: 'AllergyIntolerance',
      id: fid(`${pid}-al${i}`),
      clinicalStatus: status('allergyintolerance-clinical', 'active'),
      verificationStatus: status('allergyintolerance-verification', 'unconfirmed'),
      code: text(a.substance),
      patient: { reference: subject },
      criticality: a.severity === 'severe' ? 'high' : a.severity ? 'low' : undefined,
      reaction: a.reaction ? [{ manifestation: [text(a.reaction)], severity: a.severity }] : undefined,
    })),
  );
  record.conditions.forEach((c, i) =>
    out.push(clean({
      resourceType: 'Condition',
      id: fid(`${pid}-co${i}`),
      clinicalStatus: status('condition-clinical', 'active'),
      verificationStatus: status('condition-ver-status', 'unconfirmed'),
      code: text(c.name),
      subject: { reference: subject },
      onsetString: c.since,
    })),
  );
  record.medications.forEach((m, i) =>
    out.push(clean({
      resourceType: 'MedicationStatement',
      id: fid(`${pid}-me${i}`),
      status: 'active',
      medicationCodeableConcept: text(m.name),
      subject: { reference: subject },
      dosage: m.dose || m.frequency ? [{ text: [m.dose, m.frequency].filter(Boolean).join('，') }] : undefined,
    })),
  );
  // What a doctor verified: confirmed, with who and when.
  record.verified.forEach((v, i) => {
    const id = fid(`${pid}-ve${i}`);
    const by = { display: v.verifiedByName };
    const note = v.detail ? [{ text: v.detail }] : undefined;
    if (v.kind === 'allergy') out.push(clean({ resourceType: 'AllergyIntolerance', id, clinicalStatus: status('allergyintolerance-clinical', 'active'), verificationStatus: status('allergyintolerance-verification', 'confirmed'), code: text(v.value), patient: { reference: subject }, recordedDate: v.verifiedAt, recorder: by, note }));
    else if (v.kind === 'condition') out.push(clean({ resourceType: 'Condition', id, clinicalStatus: status('condition-clinical', 'active'), verificationStatus: status('condition-ver-status', 'confirmed'), code: text(v.value), subject: { reference: subject }, recordedDate: v.verifiedAt, recorder: by, note }));
    else if (v.kind === 'medication') out.push(clean({ resourceType: 'MedicationStatement', id, status: 'active', medicationCodeableConcept: text(v.value), subject: { reference: subject }, dateAsserted: v.verifiedAt, informationSource: by, note }));
    else out.push(clean({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code: '882-1', display: 'ABO and Rh group' }] }, subject: { reference: subject }, issued: v.verifiedAt, performer: [by], valueString: v.value, note }));
  });
  if (record.bloodType !== 'unknown' && !record.verified.some((v) => v.kind === 'bloodType')) {
    const rh = record.rh === 'positive' ? ' Rh阳性' : record.rh === 'negative' ? ' Rh阴性' : '';
    out.push({ resourceType: 'Observation', id: fid(`${pid}-abo`), status: 'final', code: { coding: [{ system: LOINC, code: '882-1', display: 'ABO and Rh group' }] }, subject: { reference: subject }, valueString: `${record.bloodType}型${rh}`, note: [{ text: '患者自述' }] });
  }
  return out;
}

export function everythingBundle(args: { patient: PatientItem; record: HealthRecordView; reports: ReportItem[]; base: string; now?: Date; extra?: (subject: string) => Resource[] }) {
  const { patient, record, reports, base } = args;
  const subject = `Patient/${fid(patient.patientId)}`;
  const resources = [patientResource(patient, record), ...reports.flatMap((r) => reportResources(r, subject)), ...recordResources(patient.patientId, record, subject), ...(args.extra?.(subject) ?? [])];
  return {
    resourceType: 'Bundle' as const,
    type: 'searchset',
    timestamp: (args.now ?? new Date()).toISOString(),
    total: resources.length,
    link: [{ relation: 'self', url: `${base}/v1/fhir/${subject}/$everything` }],
    entry: resources.map((resource) => ({ fullUrl: `${base}/v1/fhir/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}
