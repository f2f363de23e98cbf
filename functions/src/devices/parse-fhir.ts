/**
 * FHIR R4 transaction Bundle from a kiosk: a Device, Observations (LOINC codes, UCUM units; blood
 * pressure as a panel with systolic/diastolic components; an ECG waveform as SampledData) and
 * DiagnosticReports grouping panel results (urine routine, blood count). Only what we store is
 * read; anything malformed is named by its place in the Bundle.
 */
import { LOINC, type FieldError } from '@hospital/shared';
import type { ObservationIn, PushIn, WaveformIn } from './measure';

type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The LOINC code of a CodeableConcept (the first coding with the LOINC system). */
function loincOf(cc: unknown): string | undefined {
  const coding = arr(obj(cc)?.coding).map(obj).find((c) => c?.system === LOINC);
  return str(coding?.code);
}

const SKIPPED_STATUS = new Set(['entered-in-error', 'cancelled']);

function quantity(q: unknown): { value?: number; unit?: string } | undefined {
  const o = obj(q);
  if (!o) return undefined;
  const value = typeof o.value === 'number' ? o.value : Number.NaN;
  // UCUM code first (`mm[Hg]`), the human unit (`mmHg`) only when no code is given.
  return { value, unit: str(o.code) ?? str(o.unit) };
}

function sampled(name: string, s: unknown): { lead: { name: string; data: string }; meta: Omit<WaveformIn, 'leads'> } | undefined {
  const o = obj(s);
  if (!o) return undefined;
  const origin = obj(o.origin);
  return {
    lead: { name, data: typeof o.data === 'string' ? o.data : '' },
    meta: {
      periodMs: typeof o.period === 'number' ? o.period : 0,
      factor: typeof o.factor === 'number' ? o.factor : 1,
      origin: typeof origin?.value === 'number' ? origin.value : 0,
      unit: str(origin?.code) ?? str(origin?.unit) ?? 'mV',
    },
  };
}

export function parseFhir(raw: string): { push?: PushIn; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return { errors: [{ path: 'body', message: '请求内容不是有效的 JSON' }] };
  }
  const b = obj(doc);
  if (b?.resourceType !== 'Bundle') return { errors: [{ path: 'resourceType', message: '须为 FHIR Bundle' }] };
  if (b.type !== 'transaction') errors.push({ path: 'type', message: 'Bundle.type 须为 transaction' });
  const idf = obj(b.identifier);
  const idValue = str(idf?.value);
  if (!idValue || idValue.length > 200) errors.push({ path: 'identifier.value', message: 'Bundle.identifier.value 必填（用于去重），最长200字符' });
  const entries = arr(b.entry);
  if (!entries.length) errors.push({ path: 'entry', message: 'Bundle 中没有任何条目' });

  const observations: (ObservationIn & { fullUrl?: string; id?: string })[] = [];
  const panels: { code: string; refs: string[] }[] = [];
  let device: PushIn['device'];

  entries.forEach((e, i) => {
    const at = `entry[${i}]`;
    const entry = obj(e);
    const r = obj(entry?.resource);
    if (!r) {
      errors.push({ path: `${at}.resource`, message: '条目缺少 resource' });
      return;
    }
    switch (r.resourceType) {
      case 'Device': {
        const serial = str(r.serialNumber) ?? str(obj(arr(r.identifier)[0])?.value);
        const name = str(obj(arr(r.deviceName)[0])?.name);
        device = { serial, model: str(r.modelNumber) ?? name, manufacturer: str(r.manufacturer) };
        return;
      }
      case 'DiagnosticReport': {
        const code = loincOf(r.code);
        if (!code) errors.push({ path: `${at}.resource.code`, message: 'DiagnosticReport 缺少 LOINC 编码' });
        else panels.push({ code, refs: arr(r.result).map((x) => str(obj(x)?.reference) ?? '') });
        return;
      }
      case 'Observation': {
        if (SKIPPED_STATUS.has(String(r.status))) return;
        const code = loincOf(r.code);
        if (!code) {
          errors.push({ path: `${at}.resource.code`, message: 'Observation 缺少 LOINC 编码（system http://loinc.org）' });
          return;
        }
        const effectivePeriod = obj(r.effectivePeriod);
        const o: ObservationIn & { fullUrl?: string; id?: string } = {
          ref: at,
          code,
          fullUrl: str(entry?.fullUrl),
          id: str(r.id),
          effectiveAt: str(r.effectiveDateTime) ?? str(r.effectiveInstant) ?? str(effectivePeriod?.start) ?? str(r.issued),
          interpretation: str(obj(arr(obj(arr(r.interpretation)[0])?.coding)[0])?.code),
        };
        if (r.valueQuantity !== undefined) Object.assign(o, quantity(r.valueQuantity));
        else if (typeof r.valueString === 'string') o.valueText = r.valueString.trim().slice(0, 200);
        else if (r.valueCodeableConcept !== undefined) {
          const cc = obj(r.valueCodeableConcept);
          o.valueText = (str(cc?.text) ?? str(obj(arr(cc?.coding)[0])?.display) ?? str(obj(arr(cc?.coding)[0])?.code))?.slice(0, 200);
        } else if (typeof r.valueInteger === 'number') o.value = r.valueInteger;

        const wave: WaveformIn = { periodMs: 0, factor: 1, origin: 0, unit: 'mV', leads: [] };
        const rootWave = sampled('I', r.valueSampledData);
        if (rootWave) Object.assign(wave, rootWave.meta, { leads: [rootWave.lead] });
        const components: NonNullable<ObservationIn['components']> = [];
        arr(r.component).forEach((c, j) => {
          const comp = obj(c);
          const cref = `${at}.resource.component[${j}]`;
          const ccode = loincOf(comp?.code) ?? str(obj(arr(obj(comp?.code)?.coding)[0])?.code);
          const w = sampled(str(obj(comp?.code)?.text) ?? ccode ?? `lead${j + 1}`, comp?.valueSampledData);
          if (w) {
            Object.assign(wave, w.meta, { leads: [...wave.leads, w.lead] });
            return;
          }
          if (!ccode) {
            errors.push({ path: `${cref}.code`, message: '分量缺少编码' });
            return;
          }
          components.push({ ref: cref, code: ccode, ...quantity(comp?.valueQuantity) });
        });
        if (components.length) o.components = components;
        if (wave.leads.length) o.waveform = wave;
        observations.push(o);
        return;
      }
      default:
        // Patient, Encounter etc. are not trusted from a kiosk: the person comes from the binding.
        return;
    }
  });

  for (const p of panels) {
    for (const ref of p.refs) {
      const o = observations.find((x) => x.fullUrl === ref || (x.id && ref === `Observation/${x.id}`));
      if (o) o.panel = p.code;
    }
  }
  if (errors.length) return { errors };
  return {
    errors,
    push: {
      format: 'fhir',
      messageId: `${str(idf?.system) ?? ''}|${idValue}`,
      sentAt: str(b.timestamp),
      device,
      observations: observations.map(({ fullUrl: _f, id: _i, ...o }) => o),
    },
  };
}
