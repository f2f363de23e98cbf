/**
 * A kiosk as it speaks to us: builds FHIR R4 transaction Bundles and HL7 v2 ORU^R01 messages and
 * signs them. Used by the tests, the throughput bench and the browser e2e (never by a handler).
 */
import { randomUUID } from 'node:crypto';
import { LOINC, UCUM, VitalCodes } from '@hospital/shared';
import { signPush } from '#lib/hmac-push';

export interface SimReading {
  code: string;
  value?: number;
  unit?: string;
  valueText?: string;
  /** Blood pressure: both, in `unit` (default mm[Hg]). */
  systolic?: number;
  diastolic?: number;
  at?: string;
  interpretation?: string;
  /** ECG: samples of lead II. */
  waveform?: number[];
}

const loinc = (code: string, display?: string) => ({ coding: [{ system: LOINC, code, ...(display ? { display } : {}) }] });
const qty = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });

function observation(r: SimReading, at: string): Record<string, unknown> {
  const base = {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: loinc(r.code),
    effectiveDateTime: r.at ?? at,
    device: { reference: 'urn:uuid:device' },
    ...(r.interpretation ? { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: r.interpretation }] }] } : {}),
  };
  if (r.code === VitalCodes.bpPanel) {
    const u = r.unit ?? 'mm[Hg]';
    return {
      ...base,
      component: [
        { code: loinc(VitalCodes.systolic), valueQuantity: qty(r.systolic!, u) },
        { code: loinc(VitalCodes.diastolic), valueQuantity: qty(r.diastolic!, u) },
      ],
    };
  }
  if (r.waveform) {
    return {
      ...base,
      valueString: r.valueText,
      component: [{ code: { ...loinc('131329', 'MDC_ECG_ELEC_POTL_II'), text: 'II' }, valueSampledData: { origin: { value: 0, unit: 'mV', code: 'mV', system: UCUM }, period: 2, factor: 0.001, dimensions: 1, data: r.waveform.join(' ') } }],
    };
  }
  if (r.value !== undefined) return { ...base, valueQuantity: qty(r.value, r.unit ?? '') };
  return { ...base, valueString: r.valueText };
}

/** A transaction Bundle: the Device, one Observation per reading, panels as DiagnosticReports. */
export function fhirBundle(readings: SimReading[], opts: { id?: string; kioskId?: string; at?: string; panels?: { code: string; members: SimReading[] }[] } = {}) {
  const at = opts.at ?? new Date().toISOString();
  const entry: Record<string, unknown>[] = [
    {
      fullUrl: 'urn:uuid:device',
      resource: { resourceType: 'Device', identifier: [{ system: 'urn:kiosk', value: opts.kioskId ?? 'kiosk' }], manufacturer: '示例医疗', modelNumber: 'HK-16', serialNumber: opts.kioskId ?? 'kiosk' },
      request: { method: 'POST', url: 'Device' },
    },
  ];
  const add = (r: SimReading) => {
    const fullUrl = `urn:uuid:${randomUUID()}`;
    entry.push({ fullUrl, resource: observation(r, at), request: { method: 'POST', url: 'Observation' } });
    return fullUrl;
  };
  readings.forEach(add);
  for (const p of opts.panels ?? []) {
    const refs = p.members.map(add);
    entry.push({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: { resourceType: 'DiagnosticReport', status: 'final', code: loinc(p.code), effectiveDateTime: at, result: refs.map((reference) => ({ reference })) },
      request: { method: 'POST', url: 'DiagnosticReport' },
    });
  }
  return { resourceType: 'Bundle', type: 'transaction', identifier: { system: 'urn:kiosk:push', value: opts.id ?? randomUUID() }, timestamp: at, entry };
}

/** HL7 v2.6 ORU^R01: blood pressure as two OBX (systolic, diastolic). */
export function hl7Message(readings: SimReading[], opts: { id?: string; at?: string } = {}) {
  const ts = (iso: string) => iso.replace(/[-:]/g, '').replace('T', '').slice(0, 14) + '+0000';
  const at = ts(opts.at ?? new Date().toISOString());
  const seg = ['MSH|^~\\&|KIOSK|STATION|HOSPITAL|HOSPITAL|' + at + '||ORU^R01^ORU_R01|' + (opts.id ?? randomUUID().slice(0, 20)) + '|P|2.6', 'PID|||unknown', 'OBR|1|||11524-6^Vital signs^LN|||' + at];
  let n = 0;
  const obx = (code: string, type: string, value: string, unit = '', flag = '') => seg.push(`OBX|${++n}|${type}|${code}^^LN||${value}|${unit}^^UCUM||${flag}|||F|||${at}`);
  for (const r of readings) {
    if (r.code === VitalCodes.bpPanel) {
      obx(VitalCodes.systolic, 'NM', String(r.systolic), r.unit ?? 'mm[Hg]');
      obx(VitalCodes.diastolic, 'NM', String(r.diastolic), r.unit ?? 'mm[Hg]');
    } else if (r.value !== undefined) obx(r.code, 'NM', String(r.value), r.unit ?? '', r.interpretation ?? '');
    else obx(r.code, 'ST', r.valueText ?? '');
  }
  return seg.join('\r');
}

/** The four headers a kiosk sends with a push. */
export function signedHeaders(kioskId: string, secret: string, rawBody: string, contentType = 'application/fhir+json', opts: { timestamp?: number; nonce?: string } = {}) {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomUUID().replace(/-/g, '');
  return {
    'content-type': contentType,
    'x-kiosk-id': kioskId,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signPush(secret, timestamp, nonce, rawBody),
  };
}

/**
 * The kiosk asks for the one-time code it shows on its screen (`POST /v1/iot/kiosk-code`), signed
 * exactly like a push; the body is an empty JSON object.
 */
export function codeRequest(kioskId: string, secret: string, opts: { timestamp?: number; nonce?: string } = {}) {
  const rawBody = '{}';
  return { rawBody, headers: signedHeaders(kioskId, secret, rawBody, 'application/json', opts) };
}

/** A full check-up: the signs a kiosk measures in one visit. */
export function fullCheckup(over: Partial<Record<'sys' | 'dia' | 'hr' | 'spo2' | 'temp' | 'glucose', number>> = {}): SimReading[] {
  return [
    { code: VitalCodes.bpPanel, systolic: over.sys ?? 128, diastolic: over.dia ?? 82 },
    { code: VitalCodes.heartRate, value: over.hr ?? 72, unit: '/min' },
    { code: VitalCodes.spo2, value: over.spo2 ?? 97, unit: '%' },
    { code: VitalCodes.temperature, value: over.temp ?? 36.6, unit: 'Cel' },
    { code: VitalCodes.respiratoryRate, value: 16, unit: '/min' },
    { code: VitalCodes.glucose, value: over.glucose ?? 5.6, unit: 'mmol/L' },
    { code: VitalCodes.weight, value: 68.5, unit: 'kg' },
    { code: VitalCodes.height, value: 170, unit: 'cm' },
    { code: VitalCodes.bmi, value: 23.7, unit: 'kg/m2' },
    { code: VitalCodes.ecgHeartRate, value: 73, unit: '/min' },
    { code: VitalCodes.ecgRhythm, valueText: '窦性心律' },
  ];
}

/** Urine routine (尿常规, 24356-8): the 12 results a kiosk's dipstick reader reports. */
export const urinePanel = (): { code: string; members: SimReading[] } => ({
  code: VitalCodes.urinePanel,
  members: [
    { code: '5778-6', valueText: '黄色' },
    { code: '5767-9', valueText: '清亮' },
    { code: '5811-5', value: 1.02, unit: '{SG}' },
    { code: '5803-2', value: 6.0, unit: '[pH]' },
    { code: '5804-0', valueText: '阴性' },
    { code: '5792-7', valueText: '阴性' },
    { code: '5797-6', valueText: '阴性' },
    { code: '5770-3', valueText: '阴性' },
    { code: '5818-0', valueText: '正常' },
    { code: '5802-4', valueText: '阴性' },
    { code: '5799-2', valueText: '阴性' },
    { code: '5794-3', valueText: '阴性' },
  ],
});

/** Blood count (血常规, 58410-2): the 20 results of a five-part differential analyser. */
export const bloodCountPanel = (): { code: string; members: SimReading[] } => ({
  code: VitalCodes.bloodCountPanel,
  members: [
    { code: '6690-2', value: 6.2, unit: '10*9/L' },
    { code: '789-8', value: 4.6, unit: '10*12/L' },
    { code: '718-7', value: 138, unit: 'g/L' },
    { code: '4544-3', value: 41.5, unit: '%' },
    { code: '787-2', value: 90.2, unit: 'fL' },
    { code: '785-6', value: 30.0, unit: 'pg' },
    { code: '786-4', value: 333, unit: 'g/L' },
    { code: '788-0', value: 12.8, unit: '%' },
    { code: '777-3', value: 210, unit: '10*9/L' },
    { code: '32623-1', value: 10.1, unit: 'fL' },
    { code: '770-8', value: 58.0, unit: '%' },
    { code: '736-9', value: 32.0, unit: '%' },
    { code: '5905-5', value: 6.5, unit: '%' },
    { code: '713-8', value: 3.0, unit: '%' },
    { code: '706-2', value: 0.5, unit: '%' },
    { code: '751-8', value: 3.6, unit: '10*9/L' },
    { code: '731-0', value: 2.0, unit: '10*9/L' },
    { code: '742-7', value: 0.4, unit: '10*9/L' },
    { code: '711-2', value: 0.19, unit: '10*9/L' },
    { code: '704-7', value: 0.03, unit: '10*9/L' },
  ],
});
