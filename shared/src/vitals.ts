/**
 * Vital signs from health kiosks (一体机): what each sign is (LOINC code, UCUM unit), how other
 * units convert to ours, which values are impossible, and how dangerous a value is — with the
 * guideline each threshold comes from. The server grades every reading with these functions and
 * the mini-program draws the same bands, so the two never disagree.
 *
 * Sources:
 *  - CHN-HTN-2018: 中国高血压防治指南（2018年修订版）, office BP grades.
 *  - NEWS2: Royal College of Physicians, National Early Warning Score 2 (2017), single-parameter
 *    "red" scores (3 points) and the 1–2 point bands.
 *  - SPO2-90: SpO2 < 90 % is hypoxaemia needing urgent assessment (BTS oxygen guideline 2017;
 *    the project's threshold).
 *  - CHN-T2DM-2020: 中国2型糖尿病防治指南（2020年版）, hypoglycaemia levels (< 3.9 level 1,
 *    < 3.0 level 2) and random glucose >= 11.1 mmol/L in the diabetic range.
 *  - WS/T 428-2013: 成人体重判定, BMI < 18.5 underweight, 24–27.9 overweight, >= 28 obese.
 */
import * as z from 'zod';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

/** How much attention a reading needs. `warning` and `critical` raise an alert. */
export const Severity = z.enum(['normal', 'attention', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { normal: 0, attention: 1, warning: 2, critical: 3 };
export const SEVERITY_LABEL: Record<Severity, string> = { normal: '正常', attention: '需关注', warning: '异常', critical: '危急' };
export const raisesAlert = (s: Severity) => SEVERITY_RANK[s] >= SEVERITY_RANK.warning;
export const worst = (...s: Severity[]): Severity => s.reduce((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a), 'normal');

/** LOINC codes of the signs a kiosk measures. */
export const VitalCodes = {
  bpPanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  heartRate: '8867-4',
  ecgHeartRate: '76282-3',
  /** EKG impression (rhythm interpretation, text). */
  ecgRhythm: '8601-7',
  /** EKG study: carries the waveform (SampledData), stored outside the table. */
  ecgWaveform: '11524-6',
  spo2: '59408-5',
  spo2Arterial: '2708-6',
  temperature: '8310-5',
  respiratoryRate: '9279-1',
  glucose: '14743-9',
  weight: '29463-7',
  height: '8302-2',
  bmi: '39156-5',
  urinePanel: '24356-8',
  bloodCountPanel: '58410-2',
} as const;

/** A unit we accept and how it becomes the sign's canonical unit. */
interface UnitRule {
  /** UCUM codes (and the spellings kiosks send) that mean this unit. */
  codes: readonly string[];
  toCanonical: (v: number) => number;
}

export interface VitalDef {
  code: string;
  name: string;
  /** Canonical UCUM unit, and how it is shown. */
  unit: string;
  display: string;
  decimals: number;
  /** Values outside are impossible (a sensor fault or a wrong unit): the push is refused. */
  plausible: readonly [number, number];
  units: readonly UnitRule[];
  /** Shown as a trend chart and on the latest-values card. */
  trend: boolean;
}

const same = (...codes: string[]): UnitRule => ({ codes, toCanonical: (v) => v });
const mmHg: UnitRule[] = [same('mm[Hg]', 'mmHg'), { codes: ['kPa'], toCanonical: (v) => v * 7.50062 }];
const perMin: UnitRule[] = [same('/min', '{beats}/min', '{beat}/min', '{breaths}/min', 'bpm')];

const def = (d: Omit<VitalDef, 'trend'> & { trend?: boolean }): VitalDef => ({ trend: true, ...d });

/** Every single-value sign, by LOINC code (blood pressure's two parts are components of the panel). */
export const VITALS: Record<string, VitalDef> = Object.fromEntries(
  [
    def({ code: VitalCodes.systolic, name: '收缩压', unit: 'mm[Hg]', display: 'mmHg', decimals: 0, plausible: [40, 300], units: mmHg, trend: false }),
    def({ code: VitalCodes.diastolic, name: '舒张压', unit: 'mm[Hg]', display: 'mmHg', decimals: 0, plausible: [20, 200], units: mmHg, trend: false }),
    def({ code: VitalCodes.heartRate, name: '心率', unit: '/min', display: '次/分', decimals: 0, plausible: [20, 300], units: perMin }),
    def({ code: VitalCodes.ecgHeartRate, name: '心电心率', unit: '/min', display: '次/分', decimals: 0, plausible: [20, 300], units: perMin }),
    def({
      code: VitalCodes.spo2, name: '血氧饱和度', unit: '%', display: '%', decimals: 0, plausible: [50, 100],
      units: [same('%'), { codes: ['1', '{ratio}'], toCanonical: (v) => v * 100 }],
    }),
    def({
      code: VitalCodes.temperature, name: '体温', unit: 'Cel', display: '℃', decimals: 1, plausible: [25, 45],
      units: [same('Cel', '°C', 'C'), { codes: ['[degF]', '°F', 'F'], toCanonical: (v) => ((v - 32) * 5) / 9 }],
    }),
    def({ code: VitalCodes.respiratoryRate, name: '呼吸频率', unit: '/min', display: '次/分', decimals: 0, plausible: [2, 80], units: perMin }),
    def({
      code: VitalCodes.glucose, name: '血糖', unit: 'mmol/L', display: 'mmol/L', decimals: 1, plausible: [0.5, 60],
      // Glucose molar mass 180.16 g/mol: 1 mmol/L = 18.016 mg/dL.
      units: [same('mmol/L'), { codes: ['mg/dL'], toCanonical: (v) => v / 18.016 }],
    }),
    def({
      code: VitalCodes.weight, name: '体重', unit: 'kg', display: 'kg', decimals: 1, plausible: [0.5, 400],
      units: [same('kg'), { codes: ['g'], toCanonical: (v) => v / 1000 }, { codes: ['[lb_av]', 'lb'], toCanonical: (v) => v * 0.45359237 }],
    }),
    def({
      code: VitalCodes.height, name: '身高', unit: 'cm', display: 'cm', decimals: 1, plausible: [30, 250],
      units: [same('cm'), { codes: ['m'], toCanonical: (v) => v * 100 }, { codes: ['[in_i]', 'in'], toCanonical: (v) => v * 2.54 }],
    }),
    def({ code: VitalCodes.bmi, name: '体质指数', unit: 'kg/m2', display: 'kg/m²', decimals: 1, plausible: [8, 80], units: [same('kg/m2', 'kg/m^2')] }),
  ].map((d) => [d.code, d]),
);
// Arterial SpO2 (2708-6) is the same sign under another code; it is stored as 59408-5.
export const CODE_ALIASES: Record<string, string> = { [VitalCodes.spo2Arterial]: VitalCodes.spo2 };

/** What the latest-values card and the trend charts show, in this order. */
export const TREND_SIGNS = [
  VitalCodes.bpPanel,
  VitalCodes.heartRate,
  VitalCodes.spo2,
  VitalCodes.temperature,
  VitalCodes.glucose,
  VitalCodes.respiratoryRate,
  VitalCodes.weight,
  VitalCodes.bmi,
  VitalCodes.ecgHeartRate,
  VitalCodes.height,
] as const;

export const SIGN_NAMES: Record<string, string> = {
  ...Object.fromEntries(Object.values(VITALS).map((d) => [d.code, d.name])),
  [VitalCodes.bpPanel]: '血压',
  [VitalCodes.ecgRhythm]: '心电图结论',
  [VitalCodes.ecgWaveform]: '心电图',
  [VitalCodes.urinePanel]: '尿常规',
  [VitalCodes.bloodCountPanel]: '血常规',
};

export const signName = (code: string) => SIGN_NAMES[code] ?? code;

export type Normalised = { ok: true; value: number; unit: string } | { ok: false; message: string };

/** Converts a value to the sign's canonical unit and checks it is possible. */
export function normalise(code: string, value: number, unit: string | undefined): Normalised {
  const d = VITALS[CODE_ALIASES[code] ?? code];
  if (!d) return { ok: false, message: `不支持的项目 ${code}` };
  if (!Number.isFinite(value)) return { ok: false, message: `${d.name}不是数值` };
  const rule = d.units.find((u) => u.codes.includes((unit ?? '').trim()));
  if (!rule) return { ok: false, message: `${d.name}的单位 ${unit ?? '（缺失）'} 无法识别，应为 ${d.unit}` };
  const f = 10 ** d.decimals;
  const v = Math.round(rule.toCanonical(value) * f) / f;
  const [lo, hi] = d.plausible;
  if (v < lo || v > hi) return { ok: false, message: `${d.name} ${v} ${d.display} 超出可能范围（${lo}–${hi}）` };
  return { ok: true, value: v, unit: d.unit };
}

/** A grade with the guideline it comes from. */
export interface Grade {
  severity: Severity;
  /** Short Chinese label shown next to the value: 2级高血压, 低血糖, … */
  label: string;
  source?: string;
}

const N = (label = '正常'): Grade => ({ severity: 'normal', label });

/**
 * Blood pressure (CHN-HTN-2018): the higher of the systolic and diastolic categories counts.
 * Grade 1 140–159/90–99, grade 2 160–179/100–109, grade 3 >= 180/>= 110. NEWS2 red: SBP <= 90
 * or >= 220. Grade 3 and the NEWS2 red bands are critical (the emergency flow is offered).
 */
export function gradeBloodPressure(sys: number, dia: number): Grade {
  if (sys <= 90) return { severity: 'critical', label: '血压过低', source: 'NEWS2' };
  if (sys >= 220) return { severity: 'critical', label: '3级高血压', source: 'NEWS2 / CHN-HTN-2018' };
  if (sys >= 180 || dia >= 110) return { severity: 'critical', label: '3级高血压', source: 'CHN-HTN-2018' };
  if (sys >= 160 || dia >= 100) return { severity: 'warning', label: '2级高血压', source: 'CHN-HTN-2018' };
  if (sys >= 140 || dia >= 90) return { severity: 'attention', label: '1级高血压', source: 'CHN-HTN-2018' };
  if (sys >= 130 || dia >= 85) return N('正常高值');
  return N();
}

/** Pulse (NEWS2): <= 40 or >= 131 red; 111–130 two points; 41–50 and 91–110 one point. */
export function gradePulse(bpm: number): Grade {
  if (bpm <= 40) return { severity: 'critical', label: '心率过缓', source: 'NEWS2' };
  if (bpm >= 131) return { severity: 'critical', label: '心率过快', source: 'NEWS2' };
  if (bpm >= 111) return { severity: 'warning', label: '心率偏快', source: 'NEWS2' };
  if (bpm <= 50) return { severity: 'attention', label: '心率偏慢', source: 'NEWS2' };
  if (bpm >= 91) return { severity: 'attention', label: '心率偏快', source: 'NEWS2' };
  return N();
}

/** SpO2: < 90 % urgent (SPO2-90); <= 91 a NEWS2 red score (scale 1); 92–93 two points. */
export function gradeSpo2(pct: number): Grade {
  if (pct < 90) return { severity: 'critical', label: '严重缺氧', source: 'SPO2-90' };
  if (pct <= 91) return { severity: 'warning', label: '血氧偏低', source: 'NEWS2' };
  if (pct <= 93) return { severity: 'attention', label: '血氧偏低', source: 'NEWS2' };
  return N();
}

/** Temperature (NEWS2): <= 35.0 red; >= 39.1 two points; 35.1–36.0 and 38.1–39.0 one point. */
export function gradeTemperature(cel: number): Grade {
  if (cel <= 35.0) return { severity: 'critical', label: '体温过低', source: 'NEWS2' };
  if (cel >= 39.1) return { severity: 'warning', label: '高热', source: 'NEWS2' };
  if (cel >= 38.1) return { severity: 'attention', label: '发热', source: 'NEWS2' };
  if (cel <= 36.0) return { severity: 'attention', label: '体温偏低', source: 'NEWS2' };
  return N();
}

/** Respiration (NEWS2): <= 8 or >= 25 red; 21–24 two points; 9–11 one point. */
export function gradeRespiration(perMin: number): Grade {
  if (perMin <= 8) return { severity: 'critical', label: '呼吸过慢', source: 'NEWS2' };
  if (perMin >= 25) return { severity: 'critical', label: '呼吸过快', source: 'NEWS2' };
  if (perMin >= 21) return { severity: 'warning', label: '呼吸偏快', source: 'NEWS2' };
  if (perMin <= 11) return { severity: 'attention', label: '呼吸偏慢', source: 'NEWS2' };
  return N();
}

/**
 * Capillary glucose, random (CHN-T2DM-2020): < 3.0 level 2 hypoglycaemia (critical: treat now),
 * < 3.9 level 1 (warning), >= 11.1 in the diabetic range (attention: see a doctor).
 */
export function gradeGlucose(mmol: number): Grade {
  if (mmol < 3.0) return { severity: 'critical', label: '2级低血糖', source: 'CHN-T2DM-2020' };
  if (mmol < 3.9) return { severity: 'warning', label: '1级低血糖', source: 'CHN-T2DM-2020' };
  if (mmol >= 11.1) return { severity: 'attention', label: '血糖偏高', source: 'CHN-T2DM-2020' };
  return N();
}

/** BMI (WS/T 428-2013, Chinese adults). */
export function gradeBmi(bmi: number): Grade {
  if (bmi < 18.5) return { severity: 'attention', label: '体重过低', source: 'WS/T 428-2013' };
  if (bmi >= 28) return { severity: 'attention', label: '肥胖', source: 'WS/T 428-2013' };
  if (bmi >= 24) return { severity: 'attention', label: '超重', source: 'WS/T 428-2013' };
  return N();
}

/** The kiosk's own interpretation (HL7 v3 ObservationInterpretation / HL7 v2 OBX-8). */
export function gradeInterpretation(code: string | undefined): Grade {
  switch ((code ?? '').toUpperCase()) {
    case 'HH':
    case 'LL':
    case 'AA':
    case 'CRIT':
      return { severity: 'critical', label: '危急值', source: 'device' };
    case 'H':
    case 'HU':
      return { severity: 'attention', label: '偏高', source: 'device' };
    case 'L':
    case 'LU':
      return { severity: 'attention', label: '偏低', source: 'device' };
    case 'A':
    case 'POS':
      return { severity: 'attention', label: '异常', source: 'device' };
    default:
      return N();
  }
}

/** The grade of one reading by its code; signs without thresholds use the device's flag. */
export function gradeReading(r: { code: string; value?: number; systolic?: number; diastolic?: number; interpretation?: string }): Grade {
  const byDevice = gradeInterpretation(r.interpretation);
  let ours: Grade | undefined;
  if (r.code === VitalCodes.bpPanel && r.systolic !== undefined && r.diastolic !== undefined) ours = gradeBloodPressure(r.systolic, r.diastolic);
  else if (r.value !== undefined) {
    switch (r.code) {
      case VitalCodes.heartRate:
      case VitalCodes.ecgHeartRate:
        ours = gradePulse(r.value);
        break;
      case VitalCodes.spo2:
        ours = gradeSpo2(r.value);
        break;
      case VitalCodes.temperature:
        ours = gradeTemperature(r.value);
        break;
      case VitalCodes.respiratoryRate:
        ours = gradeRespiration(r.value);
        break;
      case VitalCodes.glucose:
        ours = gradeGlucose(r.value);
        break;
      case VitalCodes.bmi:
        ours = gradeBmi(r.value);
        break;
    }
  }
  // Our guideline grade wins for signs we grade; the device's flag only adds for the others.
  if (ours) return ours;
  return byDevice;
}

/** The value as a person reads it: `165/102 mmHg`, `36.8 ℃`. */
export function formatReading(r: { code: string; value?: number; valueText?: string; systolic?: number; diastolic?: number; unit?: string }): string {
  if (r.code === VitalCodes.bpPanel) return `${r.systolic}/${r.diastolic} mmHg`;
  if (r.value === undefined) return r.valueText ?? '';
  const d = VITALS[r.code];
  return d ? `${r.value.toFixed(d.decimals)} ${d.display}` : `${r.value}${r.unit ? ` ${r.unit}` : ''}`;
}

/** Reference bands a chart shades (upper bounds of "normal"). */
export const CHART_BANDS: Record<string, { low?: number; high?: number; highLabel?: string }> = {
  [VitalCodes.bpPanel]: { high: 140, highLabel: '140' },
  [VitalCodes.heartRate]: { low: 51, high: 90 },
  [VitalCodes.ecgHeartRate]: { low: 51, high: 90 },
  [VitalCodes.spo2]: { low: 94 },
  [VitalCodes.temperature]: { low: 36.1, high: 38.0 },
  [VitalCodes.respiratoryRate]: { low: 12, high: 20 },
  [VitalCodes.glucose]: { low: 3.9, high: 11.0 },
  [VitalCodes.bmi]: { low: 18.5, high: 23.9 },
};

/** How long a kiosk binding lasts after the person picks who is measured. */
export const KIOSK_SESSION_MINUTES = 15;
