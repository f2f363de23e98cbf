/**
 * Lab and exam reports (检验/检查报告): the one model both ingestion formats (FHIR R4
 * DiagnosticReport, HL7 v2 ORU^R01) become, the abnormal flags and how a layperson reads them.
 * Codes are LOINC, units UCUM. Pure functions, shared by the server and the mini-program.
 */
import * as z from 'zod';

export const ReportType = z.enum(['lab', 'exam']);
export type ReportType = z.infer<typeof ReportType>;
export const REPORT_TYPE_LABEL: Record<ReportType, string> = { lab: '检验报告', exam: '检查报告' };

/**
 * Released states a lab may send. `amended`/`corrected`/`appended` supersede an earlier version;
 * `entered-in-error` retracts a report (e.g. sent for the wrong person): it disappears from the
 * patient's list and its history is kept.
 */
export const ReportStatus = z.enum(['final', 'amended', 'corrected', 'appended', 'entered-in-error']);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** Abnormal flags, from the lab's interpretation (FHIR v3-ObservationInterpretation / HL7 OBX-8) or the range. */
export const Flag = z.enum(['normal', 'high', 'low', 'critical_high', 'critical_low', 'critical', 'abnormal']);
export type Flag = z.infer<typeof Flag>;

/** Arrow, text and tone: colour is never the only signal (colour-blind readers get the text). */
export const FLAG_DISPLAY: Record<Flag, { arrow: string; text: string; tone: 'normal' | 'high' | 'low' | 'critical' | 'abnormal' }> = {
  normal: { arrow: '', text: '正常', tone: 'normal' },
  high: { arrow: '↑', text: '偏高', tone: 'high' },
  low: { arrow: '↓', text: '偏低', tone: 'low' },
  critical_high: { arrow: '↑↑', text: '危急值（极高）', tone: 'critical' },
  critical_low: { arrow: '↓↓', text: '危急值（极低）', tone: 'critical' },
  critical: { arrow: '!!', text: '危急值', tone: 'critical' },
  abnormal: { arrow: '!', text: '异常', tone: 'abnormal' },
};
export const isCritical = (f?: Flag) => f === 'critical' || f === 'critical_high' || f === 'critical_low';
export const isAbnormal = (f?: Flag) => f !== undefined && f !== 'normal';

/** HL7 v2 table 0078 / FHIR v3-ObservationInterpretation codes → our flag. */
const INTERPRETATION: Record<string, Flag> = {
  N: 'normal',
  H: 'high',
  HU: 'high',
  '>': 'high',
  L: 'low',
  LU: 'low',
  '<': 'low',
  HH: 'critical_high',
  LL: 'critical_low',
  AA: 'critical',
  A: 'abnormal',
  POS: 'abnormal',
  DET: 'abnormal',
  R: 'abnormal',
  NEG: 'normal',
  ND: 'normal',
  S: 'normal',
};
/** A flag for an interpretation code; undefined for codes we do not know (the caller reports them). */
export const flagOfInterpretation = (code: string): Flag | undefined => INTERPRETATION[code.trim().toUpperCase()];
export const FLAG_TO_INTERPRETATION: Record<Flag, { code: string; display: string }> = {
  normal: { code: 'N', display: 'Normal' },
  high: { code: 'H', display: 'High' },
  low: { code: 'L', display: 'Low' },
  critical_high: { code: 'HH', display: 'Critical high' },
  critical_low: { code: 'LL', display: 'Critical low' },
  critical: { code: 'AA', display: 'Critical abnormal' },
  abnormal: { code: 'A', display: 'Abnormal' },
};

export const ReferenceRange = z.object({ low: z.number().optional(), high: z.number().optional(), text: z.string().optional() });
export type ReferenceRange = z.infer<typeof ReferenceRange>;

/** When the lab sent no interpretation: compare a number with its range (inclusive bounds are normal). */
export function flagFromRange(value: number | undefined, range: ReferenceRange | undefined): Flag | undefined {
  if (value === undefined || !range || (range.low === undefined && range.high === undefined)) return undefined;
  if (range.high !== undefined && value > range.high) return 'high';
  if (range.low !== undefined && value < range.low) return 'low';
  return 'normal';
}

/** `3.5-9.5`, `3.5~9.5`, `<5.2`, `≤5.2`, `>=60` → numbers; anything else (`阴性`) stays text. */
export function parseRangeText(text: string): ReferenceRange | undefined {
  const t = text.trim().replace(/\s+/g, '');
  if (!t) return undefined;
  const num = '(-?\\d+(?:\\.\\d+)?)';
  let m = new RegExp(`^${num}[-~～–]${num}$`).exec(t);
  if (m) return { low: Number(m[1]), high: Number(m[2]) };
  m = new RegExp(`^(?:<|<=|≤|＜)${num}$`).exec(t);
  if (m) return { high: Number(m[1]) };
  m = new RegExp(`^(?:>|>=|≥|＞)${num}$`).exec(t);
  if (m) return { low: Number(m[1]) };
  return { text: text.trim() };
}

/** What a person reads: `3.5–9.5`, `≤5.2`, `≥60`, or the lab's text. */
export function rangeText(r?: ReferenceRange): string {
  if (!r) return '';
  if (r.text) return r.text;
  if (r.low !== undefined && r.high !== undefined) return `${r.low}–${r.high}`;
  if (r.high !== undefined) return `≤${r.high}`;
  if (r.low !== undefined) return `≥${r.low}`;
  return '';
}

/** LOINC codes carry a mod-10 check digit (`8480-6`): a typo in the code is caught here. */
export function isLoincCode(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  let sum = 0;
  const digits = m[1].split('').reverse();
  digits.forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

/** UCUM codes are printable ASCII without spaces (`10*9/L`, `mmol/L`, `%`, `mm[Hg]`); `毫摩尔/升` is not one. */
export const isUcumCode = (unit: string) => /^[\x21-\x7e]{1,30}$/.test(unit);

/** UCUM → what is printed on a Chinese lab sheet. */
export function unitDisplay(ucum?: string): string {
  if (!ucum) return '';
  const sup: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  const fixed: Record<string, string> = { Cel: '℃', 'mm[Hg]': 'mmHg', '/min': '次/分', '{beats}/min': '次/分', '1': '' };
  if (fixed[ucum] !== undefined) return fixed[ucum];
  return ucum
    .replace(/^10\*(\d+)/, (_, e: string) => `×10${e.split('').map((c) => sup[c]).join('')}`)
    .replace(/\bu(mol|g|L)\b/g, 'μ$1')
    .replace(/\{[^}]*\}/g, '');
}

/** Narrative LOINC codes of exam reports: findings (检查所见) and the conclusion (诊断意见/印象). */
export const FINDINGS_CODES = ['59776-5', '18782-3'];
export const CONCLUSION_CODES = ['19005-8'];
export const FINDINGS_LOINC = { code: '59776-5', display: 'Procedure findings Narrative' };

/**
 * Common analytes in plain words, for a person reading their own sheet. The lab's own name is
 * shown first; this is the one-line explanation under it. Not advice: the doctor interprets.
 */
export const ANALYTE_HINTS: Record<string, { name: string; hint: string }> = {
  '6690-2': { name: '白细胞计数', hint: '反映感染和炎症，偏高常见于细菌感染' },
  '789-8': { name: '红细胞计数', hint: '反映携带氧气的红细胞数量' },
  '718-7': { name: '血红蛋白', hint: '偏低提示贫血' },
  '777-3': { name: '血小板计数', hint: '与止血、凝血有关' },
  '770-8': { name: '中性粒细胞百分比', hint: '偏高常见于细菌感染' },
  '2345-7': { name: '葡萄糖', hint: '血糖，空腹正常约 3.9–6.1 mmol/L' },
  '14749-6': { name: '葡萄糖', hint: '血糖，空腹正常约 3.9–6.1 mmol/L' },
  '4548-4': { name: '糖化血红蛋白', hint: '反映近 2–3 个月的平均血糖' },
  '2093-3': { name: '总胆固醇', hint: '血脂指标，偏高增加心脑血管风险' },
  '2571-8': { name: '甘油三酯', hint: '血脂指标，受饮食影响较大' },
  '13457-7': { name: '低密度脂蛋白胆固醇', hint: '“坏胆固醇”，越低越好' },
  '2085-9': { name: '高密度脂蛋白胆固醇', hint: '“好胆固醇”，偏低不利' },
  '1742-6': { name: '谷丙转氨酶', hint: '肝功能指标，偏高提示肝细胞损伤' },
  '1920-8': { name: '谷草转氨酶', hint: '肝功能指标' },
  '2160-0': { name: '肌酐', hint: '肾功能指标' },
  '3094-0': { name: '尿素氮', hint: '肾功能指标' },
  '3084-1': { name: '尿酸', hint: '偏高与痛风有关' },
  '2823-3': { name: '钾', hint: '电解质，过高或过低都会影响心脏' },
  '2951-2': { name: '钠', hint: '电解质' },
  '5804-0': { name: '尿蛋白', hint: '阳性提示肾脏可能有问题' },
  '5792-7': { name: '尿糖', hint: '阳性提示血糖可能偏高' },
  '76282-3': { name: '心率', hint: '心电图测得的每分钟心跳次数' },
};

// ── the stored model ──

export const ReportObservation = z.object({
  /** LOINC */
  code: z.string(),
  name: z.string(),
  value: z.number().optional(),
  /** Text results (阴性, +, 淡黄色) and narrative. */
  valueText: z.string().optional(),
  /** UCUM */
  unit: z.string().optional(),
  range: ReferenceRange.optional(),
  flag: Flag.optional(),
  note: z.string().optional(),
});
export type ReportObservation = z.infer<typeof ReportObservation>;

/** Who the lab says the report is for; the ID number is used to match and is never stored in clear. */
export interface ReportSubject {
  idNumber?: string;
  name?: string;
}

/** One report as the lab sent it, after parsing (FHIR and HL7 become exactly this). */
export interface IncomingReport {
  identifier: { system?: string; value: string };
  status: ReportStatus;
  type: ReportType;
  /** HL7 v2 table 0074 section: LAB, HM, CH, UR, RAD, US, CT, EC… */
  category: string;
  code: string;
  title: string;
  subject: ReportSubject;
  effectiveAt?: string;
  issuedAt: string;
  performer?: string;
  observations: ReportObservation[];
  findings?: string;
  conclusion?: string;
}

/** Sections of table 0074 that are imaging / functional exams rather than lab tests. */
const EXAM_SECTIONS = new Set(['RAD', 'RX', 'US', 'CT', 'MR', 'NMR', 'NMS', 'EC', 'CUS', 'OUS', 'CTH', 'VUS', 'XRC', 'PHY', 'IMG', 'ECG', 'EEG', 'ENDO']);
export const typeOfCategory = (section: string): ReportType => (EXAM_SECTIONS.has(section.toUpperCase()) ? 'exam' : 'lab');
