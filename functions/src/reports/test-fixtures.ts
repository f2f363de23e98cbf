/**
 * One lab report written both ways a laboratory sends it — FHIR R4 (DiagnosticReport with
 * contained Observations and Patient) and HL7 v2 ORU^R01 — and a signer for the push. Used by the
 * reports tests and the browser e2e (which pushes to the running stack).
 */
import { randomUUID } from 'node:crypto';
import { signPush } from '../lib/hmac-push';

export interface LabValue {
  code: string;
  name: string;
  value: number;
  unit: string;
  low: number;
  high: number;
  /** H, L, HH, LL, N; omitted: the range decides. */
  flag?: string;
}

export interface LabReportSpec {
  identifier: string;
  idNumber?: string;
  family: string;
  given: string;
  status?: 'final' | 'amended' | 'corrected' | 'entered-in-error';
  /** `2025-06-08T10:20:00+08:00` */
  issued: string;
  collected?: string;
  performer?: string;
  values?: LabValue[];
}

/** 血常规 (complete blood count, LOINC 58410-2): white cells and neutrophils high. */
export const CBC: LabValue[] = [
  { code: '6690-2', name: '白细胞计数', value: 11.2, unit: '10*9/L', low: 3.5, high: 9.5, flag: 'H' },
  { code: '789-8', name: '红细胞计数', value: 4.6, unit: '10*12/L', low: 4.3, high: 5.8, flag: 'N' },
  { code: '718-7', name: '血红蛋白', value: 142, unit: 'g/L', low: 130, high: 175, flag: 'N' },
  { code: '777-3', name: '血小板计数', value: 210, unit: '10*9/L', low: 125, high: 350, flag: 'N' },
  { code: '770-8', name: '中性粒细胞百分比', value: 78.5, unit: '%', low: 40, high: 75, flag: 'H' },
];

const ID_SYSTEM = 'urn:oid:2.16.156.10011.1.3';
const UCUM = 'http://unitsofmeasure.org';

export function fhirReport(s: LabReportSpec) {
  const values = s.values ?? CBC;
  return {
    resourceType: 'DiagnosticReport',
    id: 'dr1',
    contained: [
      {
        resourceType: 'Patient',
        id: 'pat',
        identifier: s.idNumber ? [{ system: ID_SYSTEM, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NNCHN' }] }, value: s.idNumber }] : [],
        name: [{ family: s.family, given: [s.given] }],
      },
      ...values.map((v, i) => ({
        resourceType: 'Observation',
        id: `o${i + 1}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: v.code, display: v.name }] },
        subject: { reference: '#pat' },
        valueQuantity: { value: v.value, unit: v.unit, system: UCUM, code: v.unit },
        referenceRange: [{ low: { value: v.low, unit: v.unit, system: UCUM, code: v.unit }, high: { value: v.high, unit: v.unit, system: UCUM, code: v.unit } }],
        ...(v.flag ? { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: v.flag }] }] } : {}),
      })),
    ],
    identifier: [{ system: 'urn:lis:city-lis', value: s.identifier }],
    status: s.status ?? 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'HM' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '58410-2', display: '血常规' }] },
    subject: { reference: '#pat' },
    effectiveDateTime: s.collected ?? s.issued,
    issued: s.issued,
    performer: [{ display: s.performer ?? '泰安市中心医院检验科' }],
    result: values.map((_, i) => ({ reference: `#o${i + 1}` })),
  };
}

/** `2025-06-08T10:20:00+08:00` → `20250608102000+0800` */
const hl7Time = (iso: string) => iso.replace(/[-:T]/g, '').replace(/\+(\d{2})(\d{2})$/, '+$1$2');

export function hl7Report(s: LabReportSpec): string {
  const values = s.values ?? CBC;
  const status = { final: 'F', amended: 'C', corrected: 'C', 'entered-in-error': 'X' }[s.status ?? 'final'];
  const performer = s.performer ?? '泰安市中心医院检验科';
  return [
    `MSH|^~\\&|LIS|TACH|HIS|TACH|${hl7Time(s.issued)}||ORU^R01^ORU_R01|${randomUUID().slice(0, 20)}|P|2.5.1`,
    `PID|1||MRN123^^^TACH^MR${s.idNumber ? `~${s.idNumber}^^^^NNCHN` : ''}||${s.family}^${s.given}||19650412|M`,
    `OBR|1|ORD-${s.identifier}|${s.identifier}^TACH-LIS|58410-2^血常规^LN|||${hl7Time(s.collected ?? s.issued)}|||||||||||||||${hl7Time(s.issued)}||HM|${status}`,
    ...values.map((v, i) => `OBX|${i + 1}|NM|${v.code}^${v.name}^LN||${v.value}|${v.unit}^^UCUM|${v.low}-${v.high}|${v.flag ?? ''}|||${status}||||||||||||${performer}`),
  ].join('\r');
}

/** Headers of a signed push, as a laboratory's integration engine sends them. */
export function signedHeaders(body: string, o: { source?: string; secret?: string; timestamp?: number; nonce?: string; contentType?: string } = {}) {
  const source = o.source ?? 'city-lis';
  const secret = o.secret ?? `local-lab-secret-${source}`;
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomUUID().replace(/-/g, '');
  return {
    'content-type': o.contentType ?? 'application/fhir+json',
    'x-source': source,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signPush(secret, timestamp, nonce, body),
  };
}
