/**
 * HL7 v2 ORU^R01 in (parsed with Medplum's HL7 library): every OBR with its OBX lines becomes one
 * report of the same model as FHIR. Fields used:
 *   PID-3 identifiers (the one typed NI/NNCHN, else any valid ID number), PID-5 name
 *   OBR-3 filler order number (report identifier; else OBR-2), OBR-4 LOINC (coding system LN),
 *   OBR-7 observed, OBR-22 released, OBR-24 section (LAB, HM, CH, US, CT, EC…), OBR-25 status
 *   (F final, C corrected, A appended, X/W retracted)
 *   OBX-2 type (NM, SN, ST, TX, FT, CE/CWE), OBX-3 LOINC, OBX-5 value, OBX-6 UCUM unit, OBX-7 range,
 *   OBX-8 abnormal flag, OBX-23 performing organisation; NTE after an OBX is its note.
 * Times without an offset are the hospital's (+08:00). Bad entries are named `OBX[4]-6`.
 */
import { Hl7Message, parseHl7DateTime, type Hl7Field, type Hl7Segment } from '@medplum/core';
import { flagOfInterpretation, isLoincCode, isUcumCode, parseRangeText, typeOfCategory, type IncomingReport, type ReportObservation, type ReportStatus } from '@hospital/shared';
import { analyteName, flagOr, joinName, pickIdNumber, placeNarrative, Problems, type Parsed } from './problems';

const STATUS: Record<string, ReportStatus> = { F: 'final', C: 'corrected', A: 'appended', X: 'entered-in-error', W: 'entered-in-error' };
const ID_TYPES = new Set(['NI', 'NNCHN']);
const HL7_TS = /^\d{8}(\d{2}(\d{2}(\d{2}(\.\d{1,4})?)?)?)?([+-]\d{4})?$/;

/** HL7 escape sequences in text values. */
const unescape = (s: string) =>
  s.replace(/\\(\.br|F|S|T|R|E)\\/g, (_, e: string) => ({ '.br': '\n', F: '|', S: '^', T: '&', R: '~', E: '\\' })[e] ?? '');

function when(v: string, where: string, p: Problems, required: boolean): string | undefined {
  if (!v) {
    if (required) p.add(where, '缺少时间');
    return undefined;
  }
  if (!HL7_TS.test(v)) {
    p.add(where, '时间格式应为 YYYYMMDD[HHMM[SS]][+ZZZZ]');
    return undefined;
  }
  return parseHl7DateTime(v, { tzOffset: '+0800' });
}

/** Every repetition of a field, components joined back (text values may contain ^). */
const repetitions = (f: Hl7Field) => f.components.map((c) => unescape(c.join('^')).trim()).filter(Boolean);

export function parseHl7(text: string): Parsed {
  const p = new Problems();
  let msg: Hl7Message;
  try {
    msg = Hl7Message.parse(text.replace(/\r\n|\n/g, '\r').trim());
  } catch {
    p.add('body', '不是有效的 HL7 v2 消息（需以 MSH 开头）');
    return { reports: [], problems: p.list };
  }
  const msh = msg.getSegment('MSH');
  if (msh?.getComponent(9, 1) !== 'ORU' || msh.getComponent(9, 2) !== 'R01') p.add('MSH-9', '消息类型须为 ORU^R01');

  const pid = msg.getSegment('PID');
  if (!pid) p.add('PID', '缺少 PID 段');
  const subject = pid ? subjectOf(pid) : {};

  const groups: { obr: Hl7Segment; index: number; obx: { seg: Hl7Segment; index: number; notes: string[] }[] }[] = [];
  const counts: Record<string, number> = {};
  for (const seg of msg.segments) {
    counts[seg.name] = (counts[seg.name] ?? 0) + 1;
    const index = counts[seg.name];
    if (seg.name === 'OBR') groups.push({ obr: seg, index, obx: [] });
    else if (seg.name === 'OBX') {
      if (!groups.length) p.add(`OBX[${index}]`, 'OBX 须在 OBR 之后');
      else groups[groups.length - 1].obx.push({ seg, index, notes: [] });
    } else if (seg.name === 'NTE') {
      const last = groups[groups.length - 1]?.obx.at(-1);
      const note = unescape(seg.getField(3).toString()).trim();
      if (last && note) last.notes.push(note);
    }
  }
  if (!groups.length) p.add('OBR', '缺少 OBR 段');

  const reports: IncomingReport[] = [];
  for (const g of groups) {
    const r = report(g, subject, p);
    if (r) reports.push(r);
  }
  return { reports: p.empty ? reports : [], problems: p.list };
}

function subjectOf(pid: Hl7Segment): IncomingReport['subject'] {
  const ids = pid.getField(3).components.map((c) => ({ value: c[0] ?? '', type: (c[4] ?? '').toUpperCase() }));
  const idNumber = pickIdNumber([...ids.filter((i) => ID_TYPES.has(i.type)), ...ids].map((i) => i.value));
  const name = joinName(pid.getComponent(5, 1), pid.getComponent(5, 2));
  return { idNumber, name };
}

function loinc(field: Hl7Field, where: string, p: Problems): { code: string; text?: string } | undefined {
  const code = field.getComponent(1).trim();
  const system = field.getComponent(3).trim().toUpperCase();
  if (!code || (system !== 'LN' && system !== 'LOINC')) {
    p.add(where, '须为 LOINC 代码（编码系统 LN）');
    return undefined;
  }
  if (!isLoincCode(code)) {
    p.add(where, `LOINC 代码 ${code.slice(0, 20)} 无效（格式或校验位错误）`);
    return undefined;
  }
  return { code, text: unescape(field.getComponent(2)).trim() || undefined };
}

function report(g: { obr: Hl7Segment; index: number; obx: { seg: Hl7Segment; index: number; notes: string[] }[] }, subject: IncomingReport['subject'], p: Problems): IncomingReport | undefined {
  const before = p.list.length;
  const at = (n: number) => `OBR[${g.index}]-${n}`;
  const { obr } = g;
  const identifier = obr.getComponent(3, 1).trim() || obr.getComponent(2, 1).trim();
  if (!identifier) p.add(at(3), '缺少报告编号（OBR-3 填报者医嘱号）');
  const code = loinc(obr.getField(4), at(4), p);
  const statusCode = obr.getComponent(25, 1).trim().toUpperCase();
  const status = STATUS[statusCode];
  if (!status) p.add(at(25), '结果状态须为 F / C / A / X');
  const issuedAt = when(obr.getComponent(22, 1).trim(), at(22), p, true);
  const effectiveAt = when(obr.getComponent(7, 1).trim(), at(7), p, false);
  const section = obr.getComponent(24, 1).trim().toUpperCase() || 'LAB';

  const target: { observations: ReportObservation[]; findings?: string; conclusion?: string } = { observations: [] };
  let performer: string | undefined;
  for (const { seg, index, notes } of g.obx) {
    const o = observation(seg, index, p);
    if (!o) continue;
    if (notes.length) o.note = notes.join('；');
    performer ??= unescape(seg.getComponent(23, 1)).trim() || undefined;
    placeNarrative(target, o);
  }
  if (!target.observations.length && !target.findings && !target.conclusion) p.add(`OBR[${g.index}]`, '报告没有任何 OBX 结果');
  if (p.list.length > before || !code || !status || !issuedAt) return undefined;
  return {
    identifier: { system: obr.getComponent(3, 2).trim() || undefined, value: identifier },
    status,
    type: typeOfCategory(section),
    category: section,
    code: code.code,
    title: code.text ?? code.code,
    subject,
    effectiveAt,
    issuedAt,
    performer,
    observations: target.observations,
    findings: target.findings,
    conclusion: target.conclusion,
  };
}

function observation(seg: Hl7Segment, index: number, p: Problems): ReportObservation | undefined {
  const at = (n: number) => `OBX[${index}]-${n}`;
  const before = p.list.length;
  const type = seg.getComponent(2, 1).trim().toUpperCase();
  const code = loinc(seg.getField(3), at(3), p);
  const o: ReportObservation = { code: code?.code ?? '', name: code ? analyteName(code.code, code.text) : '' };
  const raw = seg.getField(5);
  if (type === 'NM' || type === 'SN') {
    // SN: comparator^number (e.g. <^0.5); kept as text when a comparator is present.
    const comparator = type === 'SN' ? raw.getComponent(1).trim() : '';
    const numText = type === 'SN' ? raw.getComponent(2).trim() : raw.getComponent(1).trim();
    const n = Number(numText);
    if (!numText || !Number.isFinite(n)) p.add(at(5), '数值结果须为数字');
    else if (comparator && comparator !== '=') o.valueText = `${comparator}${numText}`;
    else o.value = n;
  } else if (type === 'ST' || type === 'TX' || type === 'FT') {
    const text = repetitions(raw).join('\n');
    if (!text) p.add(at(5), '缺少结果');
    else o.valueText = text;
  } else if (type === 'CE' || type === 'CWE') {
    const text = unescape(raw.getComponent(2) || raw.getComponent(1)).trim();
    if (!text) p.add(at(5), '缺少结果');
    else o.valueText = text;
  } else {
    p.add(at(2), '结果类型须为 NM / SN / ST / TX / FT / CE / CWE');
  }
  const unit = seg.getComponent(6, 1).trim();
  const unitSystem = seg.getComponent(6, 3).trim().toUpperCase();
  if (unit) {
    if (unitSystem && unitSystem !== 'UCUM') p.add(at(6), '单位须使用 UCUM（编码系统 UCUM）');
    else if (!isUcumCode(unit)) p.add(at(6), `单位 ${unit.slice(0, 20)} 不是 UCUM 代码`);
    else o.unit = unit;
  }
  const range = parseRangeText(unescape(seg.getComponent(7, 1)));
  if (range) o.range = range;
  const flagCode = seg.getComponent(8, 1).trim();
  let flag: ReportObservation['flag'];
  if (flagCode) {
    flag = flagOfInterpretation(flagCode);
    if (!flag) p.add(at(8), `未知的异常标志 ${flagCode.slice(0, 10)}`);
  }
  const f = flagOr(flag, o);
  if (f) o.flag = f;
  return p.list.length > before ? undefined : o;
}
