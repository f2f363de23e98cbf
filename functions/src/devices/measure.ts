/**
 * What a push says, whatever its format: observations with LOINC codes, values as sent, and where
 * in the message each came from (so a refusal names the entry). `measure` turns them into graded
 * readings in our units, or the list of every bad entry.
 */
import { createHash } from 'node:crypto';
import { CODE_ALIASES, gradeReading, normalise, VITALS, VitalCodes, type FieldError, type Severity } from '@hospital/shared';

export interface WaveformIn {
  periodMs: number;
  factor: number;
  origin: number;
  unit: string;
  leads: { name: string; data: string }[];
}

export interface ObservationIn {
  /** `entry[3]`, `OBX[2]`: named in errors. */
  ref: string;
  code: string;
  value?: number;
  unit?: string;
  valueText?: string;
  components?: { ref: string; code: string; value?: number; unit?: string }[];
  effectiveAt?: string;
  interpretation?: string;
  /** LOINC code of the DiagnosticReport / OBR panel it belongs to. */
  panel?: string;
  waveform?: WaveformIn;
}

export interface PushIn {
  format: 'fhir' | 'hl7v2';
  /** Bundle.identifier / MSH-10: the idempotency key. */
  messageId: string;
  sentAt?: string;
  device?: { serial?: string; model?: string; manufacturer?: string };
  observations: ObservationIn[];
}

export interface Measured {
  /** Stable within the push: a re-push yields the same ids. */
  key: string;
  code: string;
  value?: number;
  valueText?: string;
  systolic?: number;
  diastolic?: number;
  unit?: string;
  effectiveAt: string;
  severity: Severity;
  label: string;
  source?: string;
  panel?: string;
  interpretation?: string;
  waveform?: WaveformIn;
}

const BP_PARTS = new Set<string>([VitalCodes.systolic, VitalCodes.diastolic]);

/** An ISO instant in UTC (sortable in keys), or undefined if it is not one. */
export function toInstant(s: string | undefined): string | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Grades every observation; collects every problem instead of stopping at the first. */
export function measure(push: PushIn, receivedAt: string): { readings: Measured[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const readings: Measured[] = [];
  const bad = (path: string, message: string) => errors.push({ path, message });
  // A device clock more than a day ahead is wrong; the reading is kept at the time we got it.
  const latest = Date.parse(receivedAt) + 24 * 3600_000;
  const when = (o: ObservationIn) => {
    const t = toInstant(o.effectiveAt) ?? toInstant(push.sentAt) ?? receivedAt;
    return Date.parse(t) > latest ? receivedAt : t;
  };

  // Systolic and diastolic sent as two observations (HL7 v2 does) become one blood pressure.
  const parts = push.observations.filter((o) => BP_PARTS.has(o.code));
  const rest = push.observations.filter((o) => !BP_PARTS.has(o.code));
  const pairs = new Map<string, ObservationIn[]>();
  for (const p of parts) pairs.set(`${p.panel ?? ''}|${p.effectiveAt ?? ''}`, [...(pairs.get(`${p.panel ?? ''}|${p.effectiveAt ?? ''}`) ?? []), p]);
  for (const group of pairs.values()) {
    const sys = group.filter((g) => g.code === VitalCodes.systolic);
    const dia = group.filter((g) => g.code === VitalCodes.diastolic);
    if (sys.length !== 1 || dia.length !== 1) {
      for (const g of group) bad(g.ref, '收缩压和舒张压须成对出现');
      continue;
    }
    rest.push({
      ref: sys[0].ref,
      code: VitalCodes.bpPanel,
      effectiveAt: sys[0].effectiveAt,
      interpretation: sys[0].interpretation ?? dia[0].interpretation,
      components: [
        { ref: sys[0].ref, code: VitalCodes.systolic, value: sys[0].value, unit: sys[0].unit },
        { ref: dia[0].ref, code: VitalCodes.diastolic, value: dia[0].value, unit: dia[0].unit },
      ],
    });
  }

  const seen = new Map<string, number>();
  for (const o of rest) {
    const code = CODE_ALIASES[o.code] ?? o.code;
    const effectiveAt = when(o);
    // Same code twice at the same moment in one push: both kept, told apart by their order.
    const n = (seen.get(`${code}|${effectiveAt}`) ?? 0) + 1;
    seen.set(`${code}|${effectiveAt}`, n);
    const base = { key: `${code}|${effectiveAt}|${n}`, code, effectiveAt, panel: o.panel, interpretation: o.interpretation };

    if (code === VitalCodes.bpPanel) {
      const sys = o.components?.find((c) => c.code === VitalCodes.systolic);
      const dia = o.components?.find((c) => c.code === VitalCodes.diastolic);
      if (!sys || !dia) {
        bad(o.ref, '血压须包含收缩压（8480-6）和舒张压（8462-4）两个分量');
        continue;
      }
      const s = normalise(sys.code, sys.value ?? Number.NaN, sys.unit);
      const d = normalise(dia.code, dia.value ?? Number.NaN, dia.unit);
      if (!s.ok) bad(sys.ref, s.message);
      if (!d.ok) bad(dia.ref, d.message);
      if (!s.ok || !d.ok) continue;
      if (d.value >= s.value) {
        bad(o.ref, `舒张压 ${d.value} 不低于收缩压 ${s.value}，数值不可能`);
        continue;
      }
      const g = gradeReading({ code, systolic: s.value, diastolic: d.value, interpretation: o.interpretation });
      readings.push({ ...base, systolic: s.value, diastolic: d.value, unit: 'mm[Hg]', severity: g.severity, label: g.label, source: g.source });
      continue;
    }

    if (o.waveform) {
      if (!o.waveform.leads.length || o.waveform.leads.some((l) => !/^[-\d.eE\s]+$/.test(l.data.trim()) || !l.data.trim())) {
        bad(o.ref, '心电波形数据（SampledData.data）须为以空格分隔的数字');
        continue;
      }
      if (!(o.waveform.periodMs > 0)) {
        bad(o.ref, '心电波形的采样周期（SampledData.period）须大于0');
        continue;
      }
      const g = gradeReading({ code, interpretation: o.interpretation });
      readings.push({ ...base, valueText: o.valueText, severity: g.severity, label: g.label, source: g.source, waveform: o.waveform });
      continue;
    }

    if (VITALS[code]) {
      if (o.value === undefined) {
        bad(o.ref, `${VITALS[code].name}缺少数值（valueQuantity）`);
        continue;
      }
      const v = normalise(code, o.value, o.unit);
      if (!v.ok) {
        bad(o.ref, v.message);
        continue;
      }
      const g = gradeReading({ code, value: v.value, interpretation: o.interpretation });
      readings.push({ ...base, value: v.value, unit: v.unit, severity: g.severity, label: g.label, source: g.source });
      continue;
    }

    // Panel results and signs we do not grade: kept as sent (number or text), flagged by the device.
    if (o.value === undefined && !o.valueText) {
      bad(o.ref, `项目 ${code} 缺少结果`);
      continue;
    }
    if (o.value !== undefined && (!Number.isFinite(o.value) || o.value < 0 || o.value > 1e6)) {
      bad(o.ref, `项目 ${code} 的数值 ${o.value} 不可能`);
      continue;
    }
    const g = gradeReading({ code, value: o.value, interpretation: o.interpretation });
    readings.push({ ...base, value: o.value, valueText: o.valueText, unit: o.unit, severity: g.severity, label: g.label, source: g.source });
  }
  return { readings, errors };
}

/** A deterministic id: the same push always yields the same reading ids (retries overwrite). */
export const stableId = (prefix: string, ...parts: string[]) => `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20)}`;

/**
 * What a push says, as sent (not as measured: a reading without a time takes the time it was
 * received, which differs on a re-push), for telling a re-push from different content.
 */
export const contentHash = (push: PushIn) => createHash('sha256').update(JSON.stringify([push.format, push.sentAt ?? null, push.observations])).digest('hex');
