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
 * Report status as the lab sends it (FHIR DiagnosticReport.status; HL7 OBR-25 mapped in the HL7
 * reader). `registered`/`partial`/`preliminary`/`unknown` are not final yet: shown as 初步结果 and
 * replaced by the final version. `amended`/`corrected`/`appended` supersede an earlier version.
 * `cancelled` and `entered-in-error` retract a report: it leaves the patient's list, its history
 * is kept.
 */
export const ReportStatus = z.enum(['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown']);
export type ReportStatus = z.infer<typeof ReportStatus>;
/** Not final yet: a later version with other content replaces it without being an amendment. */
export const PENDING_REPORT_STATUSES: readonly ReportStatus[] = ['registered', 'partial', 'preliminary', 'unknown'];
/** Retracted: never listed, never shown as values. */
export const HIDDEN_REPORT_STATUSES: readonly ReportStatus[] = ['cancelled', 'entered-in-error'];
export const isPendingReport = (s: ReportStatus) => PENDING_REPORT_STATUSES.includes(s);
export const isHiddenReport = (s: ReportStatus) => HIDDEN_REPORT_STATUSES.includes(s);
export const REPORT_STATUS_LABEL: Record<ReportStatus, string> = {
  registered: '已登记，结果未出',
  partial: '部分结果',
  preliminary: '初步结果',
  final: '最终报告',
  amended: '已更正',
  corrected: '已更正',
  appended: '已补充',
  cancelled: '已取消',
  'entered-in-error': '已撤回',
  unknown: '初步结果（状态未确认）',
};

/**
 * One result's status (FHIR Observation.status; HL7 OBX-11 mapped in the HL7 reader). Absent in a
 * stored result means final. `cancelled` (HL7 X: cannot be obtained) is shown without a value;
 * `entered-in-error` (HL7 W/D) is not shown at all.
 */
export const ResultStatus = z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']);
export type ResultStatus = z.infer<typeof ResultStatus>;
export const RESULT_STATUS_LABEL: Record<ResultStatus, string> = {
  registered: '结果未出',
  preliminary: '初步结果',
  final: '',
  amended: '已更正',
  corrected: '已更正',
  cancelled: '未能出结果',
  'entered-in-error': '已撤回',
  unknown: '初步结果',
};
/** A value a person may read (and a flag that counts). */
export const resultHasValue = (s: ResultStatus | undefined) => s !== 'cancelled' && s !== 'entered-in-error' && s !== 'registered';
export const isPreliminaryResult = (s: ResultStatus | undefined) => s === 'preliminary' || s === 'unknown';

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

export const ReferenceRange = z.object({
  low: z.number().optional(),
  high: z.number().optional(),
  /** The lab's own words for the range (`<5.2`, `阴性`, `1:32以下`): what is shown when present. */
  text: z.string().optional(),
  /** The range's unit when it is not the value's (then no flag is computed from it). */
  unit: z.string().optional(),
});
export type ReferenceRange = z.infer<typeof ReferenceRange>;

/** `<5.2` excludes 5.2 itself; `≤5.2` / `3.5-9.5` include their bounds. */
const strictHigh = (r: ReferenceRange) => !!r.text && /^\s*(<|＜)(?!=)/.test(r.text);
const strictLow = (r: ReferenceRange) => !!r.text && /^\s*(>|＞)(?!=)/.test(r.text);

/**
 * When the lab sent no interpretation: compare an exact number with its range (inclusive bounds
 * are normal, unless the lab wrote `<` / `>`). Nothing is computed for a range in another unit.
 */
export function flagFromRange(value: number | undefined, range: ReferenceRange | undefined): Flag | undefined {
  if (value === undefined || !range || range.unit || (range.low === undefined && range.high === undefined)) return undefined;
  if (range.high !== undefined && (value > range.high || (value === range.high && strictHigh(range)))) return 'high';
  if (range.low !== undefined && (value < range.low || (value === range.low && strictLow(range)))) return 'low';
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

/**
 * A range as a lab wrote it (HL7 OBX-7): the numbers when they can be read, and the text itself
 * unless it is a plain `low-high` pair (so `<5.2` keeps its `<`, and `阴性` stays words).
 */
export function rangeFromLab(text: string): ReferenceRange | undefined {
  const parsed = parseRangeText(text);
  if (!parsed || parsed.text) return parsed;
  const plain = /^\s*-?\d+(\.\d+)?\s*[-~～–]\s*-?\d+(\.\d+)?\s*$/.test(text);
  return plain ? parsed : { ...parsed, text: text.trim() };
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
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[([A-Za-z]+)\]/g, '$1');
}

/**
 * Unit words labs send without saying UCUM (FHIR `Quantity.unit` alone, HL7 OBX-6 with another or
 * no coding system) → the UCUM code. The unit as sent is kept beside it; a unit not listed here
 * is kept as sent with no UCUM form.
 */
const UNIT_WORDS: Record<string, string> = {
  'mmol/l': 'mmol/L', 'umol/l': 'umol/L', 'µmol/l': 'umol/L', 'μmol/l': 'umol/L', 'nmol/l': 'nmol/L', 'pmol/l': 'pmol/L',
  'g/l': 'g/L', 'g/dl': 'g/dL', 'mg/dl': 'mg/dL', 'mg/l': 'mg/L', 'ng/ml': 'ng/mL', 'pg/ml': 'pg/mL', 'ug/l': 'ug/L', 'µg/l': 'ug/L',
  'u/l': 'U/L', 'iu/l': '[IU]/L', 'miu/l': 'm[IU]/L', 'uiu/ml': 'u[IU]/mL', 'µiu/ml': 'u[IU]/mL', 'miu/ml': 'm[IU]/mL', 'iu/ml': '[IU]/mL',
  '%': '%', 'fl': 'fL', 'pg': 'pg', 's': 's', 'sec': 's', 'mm/h': 'mm/h', 'mm/hr': 'mm/h', 'kg/m2': 'kg/m2',
  'mmhg': 'mm[Hg]', '/min': '/min', 'bpm': '/min', 'cel': 'Cel', '°c': 'Cel', '℃': 'Cel',
  '/ul': '/uL', '/µl': '/uL', 'cells/ul': '{cells}/uL', '/hpf': '/[HPF]', '/lpf': '/[LPF]', 'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  '毫摩尔/升': 'mmol/L', '微摩尔/升': 'umol/L', '克/升': 'g/L', '毫克/分升': 'mg/dL', '单位/升': 'U/L', '秒': 's', '次/分': '/min',
};
/** `x10*9/L`, `×10^9/L`, `10E9/L`, `10^9/L` → `10*9/L`. */
export function ucumOf(unit: string | undefined): string | undefined {
  const u = unit?.trim();
  if (!u) return undefined;
  const power = /^(?:[x×*]\s*)?10\s*(?:\*|\^|e|E)\s*(\d{1,2})\s*\/\s*(l|L|ul|uL|µL|μL)$/.exec(u);
  if (power) return `10*${power[1]}/${power[2].toLowerCase() === 'l' ? 'L' : 'uL'}`;
  return UNIT_WORDS[u.toLowerCase()] ?? UNIT_WORDS[u];
}

/** Narrative LOINC codes of exam reports: findings (检查所见) and the conclusion (诊断意见/印象). */
export const FINDINGS_CODES = ['59776-5', '18782-3'];
export const CONCLUSION_CODES = ['19005-8'];
export const FINDINGS_LOINC = { code: '59776-5', display: 'Procedure findings Narrative' };

// ── code systems ──

export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/** HL7 v2 table 0396 names → FHIR system URIs; other names (a lab's local `L`, `99LAB`) stay as sent. */
export const HL7_CODING_SYSTEMS: Record<string, string> = {
  LN: LOINC_SYSTEM,
  LOINC: LOINC_SYSTEM,
  SCT: SNOMED_SYSTEM,
  SNM: SNOMED_SYSTEM,
  SNOMED: SNOMED_SYSTEM,
  SNM3: SNOMED_SYSTEM,
  UCUM: UCUM_SYSTEM,
  HL70078: 'http://terminology.hl7.org/CodeSystem/v2-0078',
  HL70136: 'http://terminology.hl7.org/CodeSystem/v2-0136',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cn',
};
/** A SNOMED CT concept id: 6–18 digits, the last a Verhoeff check digit. */
export function isSnomedCode(code: string): boolean {
  if (!/^\d{6,18}$/.test(code)) return false;
  const d = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]];
  const p = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]];
  let c = 0;
  code.split('').reverse().forEach((ch, i) => (c = d[c][p[i % 8][Number(ch)]]));
  return c === 0;
}

// ── the hospital's test catalogue ──

/**
 * 检验项目目录: the name a patient reads for each LOINC code (the lab's own text is the fallback and
 * is kept beside it), and for common analytes one plain-language line. Maintained by the lab desk;
 * every key is checked to be a valid LOINC code in the tests. Not advice: the doctor interprets.
 */
export const LAB_TEST_NAMES: Record<string, { name: string; hint?: string }> = {
  // panels (report titles)
  '58410-2': { name: '血常规' },
  '57021-8': { name: '血常规（含白细胞分类）' },
  '24331-1': { name: '血脂' },
  '57698-3': { name: '血脂（直接测定低密度脂蛋白）' },
  '24323-8': { name: '综合代谢组合' },
  '24321-2': { name: '基础代谢组合' },
  '24325-3': { name: '肝功能' },
  '24362-6': { name: '肾功能' },
  '24356-8': { name: '尿常规' },
  '24357-6': { name: '尿常规（试纸）' },
  '24558-9': { name: '腹部超声' },
  // blood count
  '6690-2': { name: '白细胞计数', hint: '反映感染和炎症，偏高常见于细菌感染' },
  '26464-8': { name: '白细胞计数', hint: '反映感染和炎症，偏高常见于细菌感染' },
  '789-8': { name: '红细胞计数', hint: '反映携带氧气的红细胞数量' },
  '718-7': { name: '血红蛋白', hint: '偏低提示贫血' },
  '4544-3': { name: '红细胞压积' },
  '787-2': { name: '平均红细胞体积' },
  '785-6': { name: '平均红细胞血红蛋白量' },
  '786-4': { name: '平均红细胞血红蛋白浓度' },
  '788-0': { name: '红细胞分布宽度' },
  '777-3': { name: '血小板计数', hint: '与止血、凝血有关' },
  '26515-7': { name: '血小板计数', hint: '与止血、凝血有关' },
  '770-8': { name: '中性粒细胞百分比', hint: '偏高常见于细菌感染' },
  '736-9': { name: '淋巴细胞百分比' },
  '5905-5': { name: '单核细胞百分比' },
  '713-8': { name: '嗜酸性粒细胞百分比' },
  '706-2': { name: '嗜碱性粒细胞百分比' },
  '751-8': { name: '中性粒细胞绝对值' },
  '731-0': { name: '淋巴细胞绝对值' },
  '742-7': { name: '单核细胞绝对值' },
  '711-2': { name: '嗜酸性粒细胞绝对值' },
  '704-7': { name: '嗜碱性粒细胞绝对值' },
  '4537-7': { name: '红细胞沉降率' },
  '30341-2': { name: '红细胞沉降率' },
  // chemistry
  '2345-7': { name: '葡萄糖', hint: '血糖，空腹正常约 3.9–6.1 mmol/L' },
  '14749-6': { name: '葡萄糖', hint: '血糖，空腹正常约 3.9–6.1 mmol/L' },
  '1558-6': { name: '空腹血糖', hint: '空腹正常约 3.9–6.1 mmol/L' },
  '4548-4': { name: '糖化血红蛋白', hint: '反映近 2–3 个月的平均血糖' },
  '2093-3': { name: '总胆固醇', hint: '血脂指标，偏高增加心脑血管风险' },
  '14647-2': { name: '总胆固醇', hint: '血脂指标，偏高增加心脑血管风险' },
  '35200-5': { name: '总胆固醇', hint: '血脂指标，偏高增加心脑血管风险' },
  '2571-8': { name: '甘油三酯', hint: '血脂指标，受饮食影响较大' },
  '14927-8': { name: '甘油三酯', hint: '血脂指标，受饮食影响较大' },
  '35217-9': { name: '甘油三酯', hint: '血脂指标，受饮食影响较大' },
  '2085-9': { name: '高密度脂蛋白胆固醇', hint: '“好胆固醇”，偏低不利' },
  '14646-4': { name: '高密度脂蛋白胆固醇', hint: '“好胆固醇”，偏低不利' },
  '13457-7': { name: '低密度脂蛋白胆固醇', hint: '“坏胆固醇”，越低越好' },
  '18262-6': { name: '低密度脂蛋白胆固醇', hint: '“坏胆固醇”，越低越好' },
  '22748-8': { name: '低密度脂蛋白胆固醇', hint: '“坏胆固醇”，越低越好' },
  '1742-6': { name: '谷丙转氨酶', hint: '肝功能指标，偏高提示肝细胞损伤' },
  '1920-8': { name: '谷草转氨酶', hint: '肝功能指标' },
  '2324-2': { name: 'γ-谷氨酰转移酶', hint: '肝功能指标' },
  '6768-6': { name: '碱性磷酸酶' },
  '1975-2': { name: '总胆红素' },
  '1968-7': { name: '直接胆红素' },
  '2885-2': { name: '总蛋白' },
  '1751-7': { name: '白蛋白' },
  '2532-0': { name: '乳酸脱氢酶' },
  '2160-0': { name: '肌酐', hint: '肾功能指标' },
  '14682-9': { name: '肌酐', hint: '肾功能指标' },
  '3094-0': { name: '尿素氮', hint: '肾功能指标' },
  '22664-7': { name: '尿素', hint: '肾功能指标' },
  '3084-1': { name: '尿酸', hint: '偏高与痛风有关' },
  '14933-6': { name: '尿酸', hint: '偏高与痛风有关' },
  '33914-3': { name: '估算肾小球滤过率', hint: '反映肾脏滤过功能' },
  '2823-3': { name: '钾', hint: '电解质，过高或过低都会影响心脏' },
  '6298-4': { name: '钾', hint: '电解质，过高或过低都会影响心脏' },
  '2951-2': { name: '钠', hint: '电解质' },
  '2947-0': { name: '钠', hint: '电解质' },
  '2075-0': { name: '氯' },
  '2069-3': { name: '氯' },
  '1963-8': { name: '碳酸氢根' },
  '2028-9': { name: '二氧化碳' },
  '17861-6': { name: '钙' },
  '2000-8': { name: '钙' },
  '13959-2': { name: '离子钙' },
  '14879-1': { name: '磷' },
  '1863-0': { name: '阴离子间隙' },
  '14937-7': { name: '尿素氮', hint: '肾功能指标' },
  '14631-6': { name: '总胆红素' },
  '14629-0': { name: '直接胆红素' },
  '10834-0': { name: '球蛋白' },
  '2777-1': { name: '磷' },
  '1988-5': { name: 'C反应蛋白', hint: '炎症指标' },
  '30522-7': { name: '超敏C反应蛋白', hint: '炎症与心血管风险指标' },
  // coagulation, thyroid
  '5902-2': { name: '凝血酶原时间' },
  '6301-6': { name: '国际标准化比值', hint: '服用华法林时用来调整剂量' },
  '3173-2': { name: '活化部分凝血活酶时间' },
  '3255-7': { name: '纤维蛋白原' },
  '3016-3': { name: '促甲状腺激素' },
  '3024-7': { name: '游离甲状腺素' },
  '3051-0': { name: '游离三碘甲状腺原氨酸' },
  // urine
  '5811-5': { name: '尿比重' },
  '5803-2': { name: '尿酸碱度' },
  '5804-0': { name: '尿蛋白', hint: '阳性提示肾脏可能有问题' },
  '5792-7': { name: '尿糖', hint: '阳性提示血糖可能偏高' },
  '5797-6': { name: '尿酮体' },
  '5794-3': { name: '尿潜血' },
  '5799-2': { name: '尿白细胞酯酶' },
  '5802-4': { name: '尿亚硝酸盐' },
  '5770-3': { name: '尿胆红素' },
  '20405-7': { name: '尿胆原' },
  '5778-6': { name: '尿颜色' },
  '5767-9': { name: '尿外观' },
  '2756-5': { name: '尿酸碱度' },
  '2887-8': { name: '尿蛋白', hint: '阳性提示肾脏可能有问题' },
  '2965-2': { name: '尿比重' },
  '33051-4': { name: '尿红细胞（定性）' },
  '2349-9': { name: '尿糖', hint: '阳性提示血糖可能偏高' },
  '33052-2': { name: '尿白细胞（定性）' },
  '30405-5': { name: '尿白细胞计数' },
  '30391-7': { name: '尿红细胞计数' },
  '13654-9': { name: '尿鳞状上皮细胞' },
  // serology, microbiology, toxicology
  '10368-9': { name: '血铅', hint: '儿童血铅偏高会影响生长发育' },
  '5198-7': { name: '丙型肝炎病毒抗体' },
  '10676-5': { name: '丙型肝炎病毒RNA' },
  '625-4': { name: '粪便培养' },
  '35659-2': { name: '采样时年龄' },
  '15074-8': { name: '葡萄糖', hint: '血糖，空腹正常约 3.9–6.1 mmol/L' },
  '8310-5': { name: '体温' },
  '5196-1': { name: '乙肝表面抗原' },
  '600-7': { name: '血培养' },
  '624-7': { name: '痰培养' },
  '664-3': { name: '革兰染色' },
  // exams
  '59776-5': { name: '检查所见' },
  '19005-8': { name: '诊断意见' },
  '76282-3': { name: '心率', hint: '心电图测得的每分钟心跳次数' },
};

/** The analytes with a plain-language line (the report detail shows it under the name). */
export const ANALYTE_HINTS: Record<string, { name: string; hint: string }> = Object.fromEntries(
  Object.entries(LAB_TEST_NAMES).flatMap(([code, t]) => (t.hint ? [[code, { name: t.name, hint: t.hint }]] : [])),
);

/** The name a patient reads: the catalogue's (Chinese) for a LOINC code, else the lab's text, else the code. */
export const testName = (code: string, system: string | undefined, labText?: string) =>
  ((!system || system === LOINC_SYSTEM) && LAB_TEST_NAMES[code]?.name) || labText?.trim() || code;

// ── names ──

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN = /[A-Za-z\u00c0-\u024f]/;
/**
 * A person's name from its parts, joined by script: Chinese family and given name without a space
 * (张 + 建国 = 张建国), Latin-script parts with one, given names first (Philip + Johnson = Philip
 * Johnson). A middle name goes with the given names.
 */
export function joinName(family?: string, given: (string | undefined)[] = []): string | undefined {
  const f = family?.trim() ?? '';
  const g = given.map((x) => x?.trim() ?? '').filter(Boolean);
  const all = [f, ...g].join('');
  if (!all) return undefined;
  if (CJK.test(all) && !LATIN.test(all)) return `${f}${g.join('')}`;
  return [...g, f].filter(Boolean).join(' ');
}

/**
 * Whether two names are the same person's, as a registration desk would judge: case, spaces, the
 * middle dot of minority names and the order of Latin-script parts do not matter.
 */
export function sameName(a?: string, b?: string): boolean {
  const key = (n: string) => {
    const t = n.normalize('NFKC').toLowerCase();
    if (CJK.test(t) && !LATIN.test(t)) return t.replace(/[\s·•.・]/g, '');
    return t.split(/[^a-z\u00c0-\u024f\u3400-\u9fff]+/).filter(Boolean).sort().join(' ');
  };
  return !!a?.trim() && !!b?.trim() && key(a) === key(b);
}

// ── the stored model ──

export const Coding = z.object({ system: z.string().optional(), code: z.string(), display: z.string().optional() });
export type Coding = z.infer<typeof Coding>;

/**
 * A structured numeric result as the lab sent it (HL7 SN; FHIR Quantity with a comparator, Ratio,
 * Range): `<` 0.5, 1 `:` 128, 4 `-` 6, 2 `+`. Never reduced to one number.
 */
export const StructuredNumeric = z.object({
  comparator: z.enum(['<', '<=', '>', '>=', '<>', '=']).optional(),
  num1: z.number().optional(),
  separator: z.string().optional(),
  num2: z.number().optional(),
});
export type StructuredNumeric = z.infer<typeof StructuredNumeric>;

/** `<0.5`, `1:128`, `4-6`, `2+`, `>=100`. */
export const snText = (s: StructuredNumeric) =>
  `${s.comparator && s.comparator !== '=' ? s.comparator : ''}${s.num1 ?? ''}${s.separator ?? ''}${s.num2 ?? ''}`;

export const ReportObservation = z.object({
  /** The test's code: LOINC when the lab sent one, else SNOMED CT, else the lab's own code. */
  code: z.string(),
  /** The code's system when it is not LOINC (absent = LOINC). */
  system: z.string().optional(),
  /** Every code the lab sent for the test, when it sent more than the one above. */
  codings: z.array(Coding).optional(),
  /** What a patient reads (the catalogue's Chinese name; else the lab's text). */
  name: z.string(),
  /** The lab's own name for the test, when it differs from `name`. */
  labName: z.string().optional(),
  /** Absent = final. */
  status: ResultStatus.optional(),
  /** An exact number, the only kind a flag is computed from or a trend is drawn with. */
  value: z.number().optional(),
  /** The result as the lab wrote it: 阴性, `1:128`, `<1`, `5.90`, narrative text. Shown as is. */
  valueText: z.string().optional(),
  /** Comparator, both numbers and their separator of a structured numeric result. */
  sn: StructuredNumeric.optional(),
  /** A coded answer: every coding (system, code, display), e.g. SNOMED 260385009 Negative. */
  valueCodings: z.array(Coding).optional(),
  /** UCUM */
  unit: z.string().optional(),
  /** The unit as the lab sent it, when it is not the UCUM code itself. */
  unitText: z.string().optional(),
  range: ReferenceRange.optional(),
  flag: Flag.optional(),
  note: z.string().optional(),
  /** Why there is no value (FHIR dataAbsentReason, HL7 X): said in words instead of a value. */
  absentReason: z.string().optional(),
});
export type ReportObservation = z.infer<typeof ReportObservation>;

/** Who the lab says the report is for; the ID number is used to match and is never stored in clear. */
export interface ReportSubject {
  idNumber?: string;
  name?: string;
}

/** A result or a report the lab sent that was not filed, and why (answered to the lab, listed for staff). */
export interface RejectedPart {
  /** `OBX[3]-5`, `body.entry.4.resource.valueQuantity` */
  path: string;
  message: string;
  /** The test's code and the lab's name for it, when known (never its value). */
  code?: string;
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
  /** The report code's system when it is not LOINC. */
  codeSystem?: string;
  title: string;
  subject: ReportSubject;
  /** An instant, or a date (`2025-06-08`, `2025-06`) when the lab gave only that precision. */
  effectiveAt?: string;
  issuedAt: string;
  performer?: string;
  observations: ReportObservation[];
  findings?: string;
  conclusion?: string;
  /** Results of this report that were not filed (bad LOINC, a value that is not a number…). */
  rejected?: RejectedPart[];
  /** Test data (HL7 MSH-11 T/D, FHIR meta tag HTEST): checked, answered, never filed. */
  test?: boolean;
}

/** Sections of table 0074 that are imaging / functional exams rather than lab tests. */
const EXAM_SECTIONS = new Set(['RAD', 'RX', 'US', 'CT', 'MR', 'NMR', 'NMS', 'EC', 'CUS', 'OUS', 'CTH', 'VUS', 'XRC', 'PHY', 'IMG', 'ECG', 'EEG', 'ENDO']);
export const typeOfCategory = (section: string): ReportType => (EXAM_SECTIONS.has(section.toUpperCase()) ? 'exam' : 'lab');
