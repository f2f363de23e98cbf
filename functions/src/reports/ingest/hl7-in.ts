/**
 * HL7 v2 ORU^R01 in. Segments are split with Medplum's HL7 model (`@medplum/core` Hl7Message, the
 * parser `@medplum/hl7` builds on; its MLLP client/server is not needed behind HTTP). Medplum
 * splits fields, components and repetitions by the message's own delimiters but leaves escapes
 * and the ORU_R01 group structure to the reader, so both are done here.
 *
 * Structure: every PID opens a PATIENT_RESULT group and every OBR after it, with its OBX and NTE,
 * is one report of THAT group's person — a second PID never inherits the first one's results.
 *   MSH-9 ORU^R01, MSH-10 control id (echoed in the ACK), MSH-11 processing id (P production;
 *     T training / D debugging: checked and answered, never filed)
 *   PID-3 identifiers (the one typed NI/NNCHN, else any valid ID number), PID-5 name (legal name
 *     first; joined by script: 张建国, Philip Johnson)
 *   OBR-3 filler order number (report identifier; else OBR-2), OBR-4 report code (LOINC in the
 *     first or the alternate triplet, else the lab's code), OBR-7 observed (date-only stays a
 *     date), OBR-22 released (else MSH-7), OBR-24 section, OBR-25 status (table 0123)
 *   OBX-2 type (NM, SN, ST, TX, FT, CE, CWE, CNE, DT, TS), OBX-3 code, OBX-5 value (repetitions),
 *     OBX-6 unit (UCUM, or words kept as sent with their UCUM form), OBX-7 range (kept as
 *     written), OBX-8 flags, OBX-11 status (table 0085), OBX-23 performing organisation;
 *   NTE after an OBX is its note, after an OBR the report's note.
 * A bad result is left out and named (`OBX[4]-6`: the 4th OBX of the message, field 6); the
 * report's other results are filed. Times without an offset are the hospital's (+08:00).
 */
import { Hl7Message, type Hl7Field, type Hl7Segment } from '@medplum/core';
import {
  HL7_CODING_SYSTEMS,
  isLoincCode,
  isUcumCode,
  LOINC_SYSTEM,
  rangeFromLab,
  SNOMED_SYSTEM,
  snText,
  testName,
  typeOfCategory,
  ucumOf,
  UCUM_SYSTEM,
  flagOfInterpretation,
  joinName,
  type Coding,
  type IncomingReport,
  type ReportObservation,
  type ReportStatus,
  type ResultStatus,
  type StructuredNumeric,
} from '@hospital/shared';
import { exactNumber, flagOr, NUMBER, pickIdNumber, placeNarrative, Problems, type AckedPart, type Parsed, type Processing } from './problems';

/** Table 0123 (OBR-25). Y (no order) and Z (no record of this patient) are not reports. W is a vendor habit for "wrong". */
const REPORT_STATUS: Record<string, ReportStatus> = {
  O: 'registered',
  I: 'registered',
  S: 'registered',
  A: 'partial',
  P: 'preliminary',
  R: 'preliminary',
  F: 'final',
  C: 'corrected',
  M: 'corrected',
  X: 'cancelled',
  W: 'entered-in-error',
  D: 'entered-in-error',
};
/** Table 0085 (OBX-11). O (order detail only) carries no result and is skipped. */
const RESULT_STATUS: Record<string, ResultStatus> = {
  F: 'final',
  U: 'final',
  C: 'corrected',
  P: 'preliminary',
  R: 'preliminary',
  S: 'preliminary',
  I: 'registered',
  X: 'cancelled',
  N: 'cancelled',
  D: 'entered-in-error',
  W: 'entered-in-error',
};
/** A result without OBX-11 takes its report's status. */
const RESULT_OF_REPORT: Record<ReportStatus, ResultStatus> = {
  registered: 'registered',
  partial: 'preliminary',
  preliminary: 'preliminary',
  final: 'final',
  amended: 'amended',
  corrected: 'corrected',
  appended: 'final',
  cancelled: 'cancelled',
  'entered-in-error': 'entered-in-error',
  unknown: 'unknown',
};
const PROCESSING: Record<string, Processing> = { P: 'production', T: 'training', D: 'debugging' };
const ID_TYPES = new Set(['NI', 'NNCHN']);
const HL7_TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2}(\.\d{1,4})?)?([+-]\d{4})?$/;
const COMPARATORS = new Set(['<', '>', '<=', '>=', '=', '<>']);
const SEPARATORS = new Set(['-', '+', '/', '.', ':']);

/** HL7 escapes in text: delimiters, line breaks, hex; highlighting and character-set switches are dropped. */
function unescaper(esc: string) {
  if (!esc) return (s: string) => s;
  const e = esc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${e}(\\.br|F|S|T|R|E|H|N|X[0-9A-Fa-f]+|C[0-9A-Fa-f]+|M[0-9A-Fa-f]+|Z[^${e}]*)${e}`, 'g');
  return (s: string) =>
    s.replace(re, (_, code: string) => {
      if (code === '.br') return '\n';
      const fixed: Record<string, string> = { F: '|', S: '^', T: '&', R: '~', E: esc };
      if (fixed[code] !== undefined) return fixed[code];
      if (code[0] === 'X') return Buffer.from(code.slice(1), 'hex').toString('utf8');
      return '';
    });
}

/** HL7 TS → ISO instant at the precision given: `20250608` stays `2025-06-08`; `202506081020` is 10:20 Beijing time. */
export function hl7When(v: string): string | undefined {
  const m = HL7_TS.exec(v.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , z] = m;
  if (!mo) return y;
  if (!d) return `${y}-${mo}`;
  if (!h) return `${y}-${mo}-${d}`;
  const sec = s ? s.padEnd(2, '0') : '00';
  const [whole, frac = ''] = sec.split('.');
  const off = z ?? '+0800';
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi ?? '00'}:${whole}${frac ? `.${frac}` : ''}${off.slice(0, 3)}:${off.slice(3)}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

interface Order {
  obr: Hl7Segment;
  index: number;
  notes: string[];
  obx: { seg: Hl7Segment; index: number; notes: string[] }[];
}
interface Group {
  pid?: Hl7Segment;
  orders: Order[];
}

/** Only what the message can be told by: MLLP framing and line-end rewrites are undone first. */
const clean = (text: string) =>
  text
    .replace(/^\s*\x0b/, '')
    .replace(/\x1c\r?\n?\s*$/, '')
    .replace(/\r\n|\n/g, '\r')
    .split('\r')
    .filter((l) => l.trim())
    .join('\r');

export function parseHl7(text: string): Parsed {
  const p = new Problems();
  const none = (processing: Processing = 'production'): Parsed => ({ reports: [], refs: [], groups: [], problems: p.list, processing });
  let msg: Hl7Message;
  try {
    msg = Hl7Message.parse(clean(text).trimStart());
  } catch {
    p.add('body', '不是有效的 HL7 v2 消息（需以 MSH 开头）');
    return none();
  }
  const msh = msg.getSegment('MSH');
  if (!msh || msg.segments[0] !== msh) {
    p.add('MSH', '缺少 MSH 段');
    return none();
  }
  const u = unescaper(msg.context.escapeCharacter);
  const ack = (code: 'AA' | 'AE' | 'AR', rejected: AckedPart[]) => buildAck(msg, code, rejected);
  if (msh.getComponent(9, 1) !== 'ORU' || msh.getComponent(9, 2) !== 'R01') {
    p.add('MSH-9', '消息类型须为 ORU^R01');
    return { ...none(), ack };
  }
  const pt = msh.getComponent(11, 1).trim().toUpperCase() || 'P';
  const processing = PROCESSING[pt];
  if (!processing) {
    p.add('MSH-11', '处理标识须为 P（生产）、T（培训）或 D（调试）');
    return { ...none(), ack };
  }
  const messageTime = hl7When(msh.getField(7)?.getComponent(1) ?? '');

  // The ORU_R01 groups: PID opens a PATIENT_RESULT, OBR an ORDER_OBSERVATION inside it.
  const groups: Group[] = [];
  const counts: Record<string, number> = {};
  let last: 'PID' | 'OBR' | 'OBX' | 'OTHER' = 'OTHER';
  for (const seg of msg.segments.slice(1)) {
    counts[seg.name] = (counts[seg.name] ?? 0) + 1;
    const index = counts[seg.name];
    if (seg.name === 'PID') {
      groups.push({ pid: seg, orders: [] });
      last = 'PID';
    } else if (seg.name === 'OBR') {
      if (!groups.length) groups.push({ orders: [] });
      groups[groups.length - 1].orders.push({ obr: seg, index, notes: [], obx: [] });
      last = 'OBR';
    } else if (seg.name === 'OBX') {
      const order = groups.at(-1)?.orders.at(-1);
      if (!order) p.add(`OBX[${index}]`, 'OBX 须在 OBR 之后');
      else order.obx.push({ seg, index, notes: [] });
      last = 'OBX';
    } else if (seg.name === 'NTE') {
      const note = u((seg.getField(3)?.components ?? []).map((c) => c.join(' ')).join('\n')).trim();
      const order = groups.at(-1)?.orders.at(-1);
      if (note && order && last === 'OBX') order.obx.at(-1)!.notes.push(note);
      else if (note && order && last === 'OBR') order.notes.push(note);
    } else if (seg.name === 'ORC' || seg.name === 'SPM') {
      // PV1, ORC, SPM, TQ1…: not stored. An ORC starts the next order: its NTE are not the last OBX's.
      last = 'OTHER';
    }
  }
  if (!groups.some((g) => g.orders.length)) p.add('OBR', '缺少 OBR 段');

  const reports: IncomingReport[] = [];
  const refs: string[] = [];
  const groupOf: number[] = [];
  groups.forEach((g, gi) => {
    const subject = g.pid ? subjectOf(g.pid, u) : {};
    for (const order of g.orders) {
      const r = report(order, subject, u, p, messageTime);
      if (!r) continue;
      if (processing !== 'production') r.test = true;
      reports.push(r);
      refs.push(`OBR[${order.index}]`);
      groupOf.push(gi);
    }
  });
  return { reports, refs, groups: groupOf, problems: p.list, processing, ack };
}

function subjectOf(pid: Hl7Segment, u: (s: string) => string): IncomingReport['subject'] {
  const ids = [...(pid.getField(3)?.components ?? []), ...(pid.getField(2)?.components ?? []), ...(pid.getField(4)?.components ?? [])].map((c) => ({ value: u(c[0] ?? '').trim(), type: (c[4] ?? '').toUpperCase() }));
  const idNumber = pickIdNumber([...ids.filter((i) => ID_TYPES.has(i.type)), ...ids].map((i) => i.value));
  const names = pid.getField(5)?.components ?? [];
  const legal = names.find((c) => (c[6] ?? '').toUpperCase() === 'L') ?? names[0] ?? [];
  const part = (i: number) => u((legal[i] ?? '').split(pid.context.subcomponentSeparator)[0]).trim() || undefined;
  return { idNumber, name: joinName(part(0), [part(1), part(2)]) };
}

/** HL7 coding-system name → URI (LN → LOINC); a lab's own name (`L`, `99LAB`) stays as sent; none is `L` (local). */
const systemOf = (name: string) => HL7_CODING_SYSTEMS[name.trim().toUpperCase()] ?? (name.trim() || 'L');

/** The codings of a CE/CWE/CNE: the first triplet and the alternate one. */
function codingsOf(comps: string[], u: (s: string) => string): Coding[] {
  const out: Coding[] = [];
  for (const at of [0, 3]) {
    const code = u(comps[at] ?? '').trim();
    const display = u(comps[at + 1] ?? '').trim();
    if (code) out.push({ system: systemOf(comps[at + 2] ?? ''), code, ...(display ? { display } : {}) });
  }
  return out;
}

/**
 * A test code (OBR-4, OBX-3): LOINC wherever the lab put it (first or alternate triplet), else
 * SNOMED CT, else the lab's own code. A LOINC code with a wrong check digit is refused, never guessed.
 */
function testCode(field: Hl7Field | undefined, where: string, p: Problems, u: (s: string) => string): { code: string; system?: string; text?: string; codings: Coding[] } | undefined {
  // A segment shorter than the field gives undefined (medplum's getField past its end).
  const comps = field?.components[0] ?? [];
  const codings = codingsOf(comps, u);
  const text = u(comps[8] ?? '').trim() || codings.find((c) => c.display)?.display || undefined;
  const loinc = codings.filter((c) => c.system === LOINC_SYSTEM);
  const badLoinc = loinc.find((c) => !isLoincCode(c.code));
  if (badLoinc) {
    p.add(where, `LOINC 代码 ${badLoinc.code.slice(0, 20)} 无效（格式或校验位错误）`, { code: badLoinc.code, name: text });
    return undefined;
  }
  const primary = loinc[0] ?? codings.find((c) => c.system === SNOMED_SYSTEM) ?? codings[0];
  if (!primary) {
    p.add(where, '缺少项目代码', { name: text });
    return undefined;
  }
  return { code: primary.code, system: primary.system === LOINC_SYSTEM ? undefined : primary.system, text: primary.display ?? text, codings };
}

function report(order: Order, subject: IncomingReport['subject'], u: (s: string) => string, p: Problems, messageTime: string | undefined): IncomingReport | undefined {
  const before = p.length;
  const at = (n: number) => `OBR[${order.index}]-${n}`;
  const { obr } = order;
  const identifier = u(obr.getComponent(3, 1)).trim() || u(obr.getComponent(2, 1)).trim();
  if (!identifier) p.add(at(3), '缺少报告编号（OBR-3 填报者医嘱号）');
  const code = testCode(obr.getField(4), at(4), p, u);
  const statusCode = obr.getComponent(25, 1).trim().toUpperCase();
  const status = REPORT_STATUS[statusCode];
  if (!status) p.add(at(25), `结果状态 ${statusCode.slice(0, 4) || '（空）'} 不是报告（须为 HL7 表 0123 的 O/I/S/A/P/R/F/C/X）`);
  const releasedRaw = obr.getComponent(22, 1).trim();
  const released = releasedRaw ? hl7When(releasedRaw) : messageTime;
  const issuedAt = released && released.includes('T') ? released : undefined;
  if (!issuedAt) p.add(at(22), releasedRaw ? '发布时间须精确到分钟：YYYYMMDDHHMM[SS][+ZZZZ]' : '缺少发布时间（OBR-22 或 MSH-7）');
  const observedRaw = obr.getComponent(7, 1).trim();
  const effectiveAt = observedRaw ? hl7When(observedRaw) : undefined;
  if (observedRaw && !effectiveAt) p.add(at(7), '时间格式应为 YYYYMMDD[HHMM[SS]][+ZZZZ]');
  const section = obr.getComponent(24, 1).trim().toUpperCase() || 'LAB';
  const reportLevel = p.length > before;

  // Results: a bad one is named and left out; the others are filed.
  const rp = new Problems();
  const target: { observations: ReportObservation[]; findings?: string; conclusion?: string } = { observations: [] };
  let performer: string | undefined;
  const defaultStatus = status ? RESULT_OF_REPORT[status] : 'final';
  for (const { seg, index, notes } of order.obx) {
    const o = observation(seg, index, rp, u, defaultStatus);
    if (!o) continue;
    if (notes.length) o.note = notes.join('；');
    performer ??= u(seg.getComponent(23, 1)).trim() || undefined;
    placeNarrative(target, o);
  }
  const hidden = status === 'cancelled' || status === 'entered-in-error';
  if (!reportLevel && !hidden && !target.observations.length && !target.findings && !target.conclusion) {
    p.add(`OBR[${order.index}]`, rp.empty ? '报告没有任何 OBX 结果' : '报告的结果都未通过校验，整份报告未归档');
  }
  p.list.push(...rp.list);
  if (p.length - rp.length > before || !code || !status || !issuedAt) return undefined;
  const note = order.notes.join('\n');
  return {
    identifier: { system: u(obr.getComponent(3, 2)).trim() || undefined, value: identifier },
    status,
    type: typeOfCategory(section),
    category: section,
    code: code.code,
    ...(code.system ? { codeSystem: code.system } : {}),
    title: testName(code.code, code.system, code.text),
    subject,
    effectiveAt,
    issuedAt,
    performer,
    observations: target.observations,
    findings: target.findings,
    conclusion: [target.conclusion, note].filter(Boolean).join('\n') || undefined,
    ...(rp.empty ? {} : { rejected: rp.list }),
  };
}

function observation(seg: Hl7Segment, index: number, p: Problems, u: (s: string) => string, defaultStatus: ResultStatus): ReportObservation | undefined {
  const at = (n: number) => `OBX[${index}]-${n}`;
  const before = p.length;
  const statusCode = seg.getComponent(11, 1).trim().toUpperCase();
  if (statusCode === 'O') return undefined; // order detail, no result
  const status = statusCode ? RESULT_STATUS[statusCode] : defaultStatus;
  const code = testCode(seg.getField(3), at(3), p, u);
  const about = { code: code?.code, name: code?.text };
  if (!status) p.add(at(11), `结果状态 ${statusCode.slice(0, 4)} 无效（须为 HL7 表 0085 的 F/C/P/R/S/I/X/D/W/U）`, about);
  const type = seg.getComponent(2, 1).trim().toUpperCase();
  const o: ReportObservation = { code: code?.code ?? '', name: code ? testName(code.code, code.system, code.text) : '' };
  if (code?.system) o.system = code.system;
  if (code && code.codings.length > 1) o.codings = code.codings;
  if (code?.text && code.text !== o.name) o.labName = code.text;
  if (status && status !== 'final') o.status = status;

  const reps = seg.getField(5)?.components ?? [];
  const empty = reps.every((c) => c.every((x) => !x.trim()));
  const noValueExpected = status === 'cancelled' || status === 'entered-in-error' || status === 'registered';
  if (empty) {
    if (!noValueExpected) p.add(at(5), '缺少结果', about);
  } else if (type === 'NM') {
    const raw = u(reps[0][0] ?? '').trim();
    const cmp = /^(<=|>=|<>|<|>|=)\s*(.+)$/.exec(raw);
    if (NUMBER.test(raw)) Object.assign(o, exactNumber(raw));
    else if (cmp && NUMBER.test(cmp[2])) {
      // `<0.5` sent as NM (it should be SN): kept as the lab wrote it, never as 0.5.
      o.sn = { comparator: cmp[1] as StructuredNumeric['comparator'], num1: Number(cmp[2]) };
      o.valueText = raw;
    } else p.add(at(5), `数值结果须为数字（收到“${raw.slice(0, 20)}”）`, about);
  } else if (type === 'SN') {
    const [comparator = '', n1 = '', sep = '', n2 = ''] = (reps[0] ?? []).map((x) => u(x).trim());
    const ok = (!comparator || COMPARATORS.has(comparator)) && (!n1 || NUMBER.test(n1)) && (!sep || SEPARATORS.has(sep)) && (!n2 || NUMBER.test(n2));
    const sn: StructuredNumeric = {
      ...(comparator ? { comparator: comparator as StructuredNumeric['comparator'] } : {}),
      ...(n1 ? { num1: Number(n1) } : {}),
      ...(sep ? { separator: sep } : {}),
      ...(n2 ? { num2: Number(n2) } : {}),
    };
    if (!ok || (sn.num1 === undefined && sn.num2 === undefined)) p.add(at(5), '结构化数值须为 比较符^数值^分隔符^数值（如 ^1^:^128、<^0.5）', about);
    else if ((!sn.comparator || sn.comparator === '=') && !sn.separator && sn.num2 === undefined) Object.assign(o, exactNumber(n1));
    else {
      o.sn = sn;
      o.valueText = snText(sn);
    }
  } else if (type === 'ST' || type === 'TX' || type === 'FT') {
    o.valueText = reps.map((c) => u(c.join('^')).trim()).filter(Boolean).join('\n');
  } else if (type === 'CE' || type === 'CWE' || type === 'CNE') {
    const codings = reps.flatMap((c) => codingsOf(c, u));
    const texts = reps.map((c) => u(c[8] ?? '').trim() || u(c[1] ?? '').trim() || u(c[0] ?? '').trim()).filter(Boolean);
    if (!codings.length && !texts.length) p.add(at(5), '编码结果缺少代码和文字', about);
    o.valueText = texts.join('；');
    if (codings.length) o.valueCodings = codings;
  } else if (type === 'DT' || type === 'TS' || type === 'DTM') {
    const when = hl7When(u(reps[0][0] ?? ''));
    if (!when) p.add(at(5), '日期结果格式应为 YYYYMMDD[HHMM]', about);
    else o.valueText = when;
  } else {
    p.add(at(2), `结果类型 ${type.slice(0, 4) || '（空）'} 不支持（须为 NM / SN / ST / TX / FT / CE / CWE / CNE / DT / TS）`, about);
  }
  if (empty && status === 'cancelled') o.absentReason = '未能出结果';

  const unitCode = u(seg.getComponent(6, 1)).trim();
  const unitWords = u(seg.getComponent(6, 2)).trim();
  const unitSystem = seg.getComponent(6, 3).trim().toUpperCase();
  if (unitCode || unitWords) {
    if (unitSystem === 'UCUM') {
      if (!isUcumCode(unitCode)) p.add(at(6), `单位 ${unitCode.slice(0, 20)} 不是 UCUM 代码`, about);
      else o.unit = unitCode;
    } else {
      const sent = unitCode || unitWords;
      const ucum = ucumOf(unitCode) ?? ucumOf(unitWords);
      if (ucum) o.unit = ucum;
      if (sent !== ucum) o.unitText = sent;
    }
  }
  const rangeRaw = u(seg.getComponent(7, 1)).trim();
  const range = rangeRaw ? rangeFromLab(rangeRaw) : undefined;
  if (range) o.range = range;
  const flags = (seg.getField(8)?.components ?? []).map((c) => (c[0] ?? '').trim()).filter(Boolean);
  let flag: ReportObservation['flag'];
  for (const f of flags) {
    const known = flagOfInterpretation(f);
    if (!known) {
      p.add(at(8), `未知的异常标志 ${f.slice(0, 10)}`, about);
      break;
    }
    flag ??= known;
  }
  const f = flagOr(flag, o);
  if (f && o.status !== 'cancelled' && o.status !== 'entered-in-error') o.flag = f;
  if (!code) return undefined;
  return p.length > before ? undefined : o;
}

/** HL7 text: the delimiters and the escape character escaped. */
const escapeHl7 = (s: string) => s.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/\^/g, '\\S\\').replace(/&/g, '\\T\\').replace(/~/g, '\\R\\').replace(/[\r\n]+/g, ' ');

/** `OBX[3]-5` → `OBX^3^5` (ERR-2 error location: segment, its sequence in the message, field). */
function errorLocation(path: string): string {
  const m = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+))?/.exec(path);
  if (!m) return '';
  return [m[1], m[2] ?? '1', m[3]].filter((x) => x !== undefined).join('^');
}
/** Table 0357: 101 required field missing, 102 data type error, 103 table value not found, 207 application error. */
function errorCode(r: AckedPart): string {
  if (r.reason) return '207^Application internal error^HL70357';
  if (/缺少/.test(r.message)) return '101^Required field missing^HL70357';
  // Codes, units, flags and statuses come from tables; values and times have data types.
  if (/-(3|4|6|8|11|25)$/.test(r.path)) return '103^Table value not found^HL70357';
  return '102^Data type error^HL70357';
}

/**
 * ACK^R01: MSA-1 AA (all filed), AE (filed but some parts not: one ERR per part, named by
 * segment/sequence/field) or AR (nothing filed). MSH-11 echoes the message's processing id.
 */
function buildAck(msg: Hl7Message, code: 'AA' | 'AE' | 'AR', rejected: AckedPart[]): string {
  const msh = msg.getSegment('MSH')!;
  const f = (n: number) => msh.getField(n)?.toString() ?? '';
  const now = new Date();
  const ts = `${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
  const text = { AA: '全部已归档', AE: `部分未归档（${rejected.length} 处）`, AR: '未归档' }[code];
  const d = msg.context;
  const seg = (...fields: string[]) => fields.join(d.fieldSeparator);
  const lines = [
    seg('MSH', d.getMsh2(), f(5), f(6), f(3), f(4), ts, '', `ACK${d.componentSeparator}R01${d.componentSeparator}ACK`, `ACK${now.getTime()}`, f(11) || 'P', f(12) || '2.5.1'),
    seg('MSA', code, escapeHl7(f(10)), escapeHl7(text)),
    ...rejected.slice(0, 100).map((r) => seg('ERR', '', errorLocation(r.path), errorCode(r).replace(/\^/g, d.componentSeparator), 'E', '', '', '', escapeHl7(`${r.path} ${r.message}`.slice(0, 250)))),
  ];
  return lines.join('\r');
}
