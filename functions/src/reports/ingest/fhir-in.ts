/**
 * FHIR R4 in: a DiagnosticReport with `contained` Observations (and Patient), or a Bundle holding
 * DiagnosticReports, Observations, Patients and Organizations referenced by `urn:uuid:` or
 * `Type/id`. Observations need a LOINC code (check digit verified) and UCUM units; every bad
 * entry is named by its JSON path.
 */
import {
  CONCLUSION_CODES,
  FINDINGS_CODES,
  flagOfInterpretation,
  isLoincCode,
  isUcumCode,
  ReportStatus,
  typeOfCategory,
  type IncomingReport,
  type ReportObservation,
} from '@hospital/shared';
import { analyteName, flagOr, instant, joinName, pickIdNumber, placeNarrative, Problems, type Parsed } from './problems';

type Json = Record<string, unknown>;
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
/** Identifier types / systems that mean a Chinese resident ID number. */
const ID_TYPES = new Set(['NI', 'NNCHN']);
const ID_SYSTEMS = new Set(['urn:oid:2.16.156.10011.1.3', 'urn:oid:1.2.156.112604.1.2.1']);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const codings = (cc: unknown): Json[] => (isObj(cc) ? arr(cc.coding).filter(isObj) : []);

interface Located {
  resource: Json;
  path: string;
}

/** Finds what a reference points at: `#id` inside the report, or an entry of the Bundle. */
class Resolver {
  private byKey = new Map<string, Located>();
  constructor(resources: Located[]) {
    for (const r of resources) {
      const type = str(r.resource.resourceType);
      const id = str(r.resource.id);
      if (type && id) this.byKey.set(`${type}/${id}`, r);
    }
  }
  addUrl(url: string, r: Located) {
    this.byKey.set(url, r);
  }
  addContained(owner: string, r: Located) {
    const id = str(r.resource.id);
    if (id) this.byKey.set(`${owner}#${id}`, r);
  }
  resolve(owner: string, ref: string | undefined): Located | undefined {
    if (!ref) return undefined;
    if (ref.startsWith('#')) return this.byKey.get(`${owner}${ref}`);
    return this.byKey.get(ref) ?? this.byKey.get(ref.split('/').slice(-2).join('/'));
  }
}

export function parseFhir(body: unknown): Parsed {
  const p = new Problems();
  if (!isObj(body)) {
    p.add('body', '需要 FHIR JSON 对象');
    return { reports: [], problems: p.list };
  }
  const reports: Located[] = [];
  const all: Located[] = [];
  const urls: [string, Located][] = [];
  if (body.resourceType === 'DiagnosticReport') {
    reports.push({ resource: body, path: 'body' });
  } else if (body.resourceType === 'Bundle') {
    arr(body.entry).forEach((e, i) => {
      const path = `body.entry.${i}.resource`;
      if (!isObj(e) || !isObj(e.resource)) return p.add(path, '缺少 resource');
      const located = { resource: e.resource, path };
      all.push(located);
      const url = str(e.fullUrl);
      if (url) urls.push([url, located]);
      if (e.resource.resourceType === 'DiagnosticReport') reports.push(located);
    });
    if (!reports.length) p.add('body.entry', 'Bundle 中没有 DiagnosticReport');
  } else {
    p.add('body.resourceType', '需要 DiagnosticReport 或 Bundle');
  }
  const resolver = new Resolver(all);
  for (const [url, r] of urls) resolver.addUrl(url, r);
  const out: IncomingReport[] = [];
  for (const r of reports) {
    const owner = r.path;
    arr(r.resource.contained).forEach((c, i) => {
      if (isObj(c)) resolver.addContained(owner, { resource: c, path: `${r.path}.contained.${i}` });
    });
    const parsed = diagnosticReport(r, (ref) => resolver.resolve(owner, ref), p);
    if (parsed) out.push(parsed);
  }
  return { reports: p.empty ? out : [], problems: p.list };
}

function loincOf(cc: unknown, path: string, p: Problems, what: string): { code: string; display?: string; text?: string } | undefined {
  const c = codings(cc).find((x) => x.system === LOINC);
  const code = str(c?.code);
  if (!code) {
    p.add(`${path}.coding`, `${what}缺少 LOINC 代码（system ${LOINC}）`);
    return undefined;
  }
  if (!isLoincCode(code)) {
    p.add(`${path}.coding`, `LOINC 代码 ${code.slice(0, 20)} 无效（格式或校验位错误）`);
    return undefined;
  }
  return { code, display: str(c?.display), text: isObj(cc) ? str(cc.text) : undefined };
}

function diagnosticReport(r: Located, resolve: (ref: string | undefined) => Located | undefined, p: Problems): IncomingReport | undefined {
  const dr = r.resource;
  const at = (k: string) => `${r.path}.${k}`;
  const before = p.list.length;

  const ident = arr(dr.identifier).filter(isObj).find((i) => str(i.value));
  if (!ident) p.add(at('identifier'), '缺少报告编号（identifier.value）');
  const status = ReportStatus.safeParse(dr.status);
  if (!status.success) p.add(at('status'), `报告状态须为 ${ReportStatus.options.join(' / ')}`);
  const code = loincOf(dr.code, at('code'), p, '报告');
  const section = str(arr(dr.category).flatMap((cc) => codings(cc)).find((c) => c.system === V2_0074)?.code) ?? 'LAB';
  const issuedAt = instant(str(dr.issued));
  if (!issuedAt) p.add(at('issued'), '缺少或无效的发布时间（issued，需带时区）');
  const effectiveRaw = str(dr.effectiveDateTime) ?? (isObj(dr.effectivePeriod) ? str(dr.effectivePeriod.start) : undefined);
  const effectiveAt = instant(effectiveRaw);
  if (effectiveRaw && !effectiveAt) p.add(at('effectiveDateTime'), '无效的采样/检查时间');

  const subject = subjectOf(dr.subject, resolve);
  const performer = arr(dr.performer)
    .filter(isObj)
    .map((ref) => str(ref.display) ?? str(resolve(str(ref.reference))?.resource.name))
    .find(Boolean);

  const target: { observations: ReportObservation[]; findings?: string; conclusion?: string } = { observations: [] };
  const seen = new Set<Json>();
  const results = arr(dr.result);
  results.forEach((ref, i) => {
    const path = at(`result.${i}.reference`);
    const found = isObj(ref) ? resolve(str(ref.reference)) : undefined;
    if (!found || found.resource.resourceType !== 'Observation') return p.add(path, '引用的 Observation 不存在');
    observation(found, resolve, p, target, seen, 0);
  });
  const conclusion = str(dr.conclusion);
  if (conclusion) target.conclusion = [conclusion, target.conclusion].filter(Boolean).join('\n');
  if (!target.observations.length && !target.findings && !target.conclusion) p.add(at('result'), '报告没有结果（result）也没有结论（conclusion）');

  if (p.list.length > before || !ident || !status.success || !code || !issuedAt) return undefined;
  return {
    identifier: { system: str(ident.system), value: str(ident.value) as string },
    status: status.data,
    type: typeOfCategory(section),
    category: section.toUpperCase(),
    code: code.code,
    title: code.text ?? code.display ?? code.code,
    subject,
    effectiveAt,
    issuedAt,
    performer,
    observations: target.observations,
    findings: target.findings,
    conclusion: target.conclusion,
  };
}

function subjectOf(ref: unknown, resolve: (ref: string | undefined) => Located | undefined): IncomingReport['subject'] {
  if (!isObj(ref)) return {};
  const patient = resolve(str(ref.reference))?.resource;
  const identifiers = [...arr(patient?.identifier), ...(isObj(ref.identifier) ? [ref.identifier] : [])].filter(isObj);
  const typed = identifiers.filter((i) => ID_SYSTEMS.has(str(i.system) ?? '') || codings(i.type).some((c) => ID_TYPES.has(str(c.code) ?? '')));
  const idNumber = pickIdNumber([...typed, ...identifiers].map((i) => str(i.value) ?? ''));
  const n = arr(patient?.name).filter(isObj)[0];
  const name = (n && (str(n.text) ?? joinName(str(n.family), arr(n.given).map(str).join('')))) ?? str(ref.display);
  return { idNumber, name };
}

function observation(
  o: Located,
  resolve: (ref: string | undefined) => Located | undefined,
  p: Problems,
  target: { observations: ReportObservation[]; findings?: string; conclusion?: string },
  seen: Set<Json>,
  depth: number,
) {
  const r = o.resource;
  if (seen.has(r) || depth > 3) return;
  seen.add(r);
  const at = (k: string) => `${o.path}.${k}`;
  const code = loincOf(r.code, at('code'), p, '检验项目');
  // A panel inside the report: its members are the values.
  const members = arr(r.hasMember).filter(isObj);
  const hasValue = ['valueQuantity', 'valueString', 'valueCodeableConcept', 'valueBoolean', 'valueInteger'].some((k) => r[k] !== undefined);
  if (members.length && !hasValue) {
    members.forEach((m, i) => {
      const found = resolve(str(m.reference));
      if (!found || found.resource.resourceType !== 'Observation') return p.add(at(`hasMember.${i}.reference`), '引用的 Observation 不存在');
      observation(found, resolve, p, target, seen, depth + 1);
    });
    return;
  }
  if (!code) return;
  const obs: ReportObservation = { code: code.code, name: analyteName(code.code, code.text ?? code.display) };
  if (isObj(r.valueQuantity)) {
    const q = r.valueQuantity;
    if (typeof q.value !== 'number' || !Number.isFinite(q.value)) p.add(at('valueQuantity.value'), '结果值须为数字');
    else obs.value = q.value;
    const unit = str(q.code) ?? str(q.unit);
    if (unit !== undefined) {
      if (q.system !== UCUM) p.add(at('valueQuantity.system'), `单位须使用 UCUM（system ${UCUM}）`);
      else if (!isUcumCode(unit)) p.add(at('valueQuantity.code'), `单位 ${unit.slice(0, 20)} 不是 UCUM 代码`);
      else obs.unit = unit;
    }
  } else if (typeof r.valueInteger === 'number') {
    obs.value = r.valueInteger;
  } else if (str(r.valueString)) {
    obs.valueText = str(r.valueString);
  } else if (isObj(r.valueCodeableConcept)) {
    obs.valueText = str(r.valueCodeableConcept.text) ?? str(codings(r.valueCodeableConcept)[0]?.display);
    if (!obs.valueText) p.add(at('valueCodeableConcept'), '结果缺少文字');
  } else if (typeof r.valueBoolean === 'boolean') {
    obs.valueText = r.valueBoolean ? '阳性' : '阴性';
  } else if (!isObj(r.dataAbsentReason)) {
    p.add(at('value[x]'), '缺少结果值（valueQuantity / valueString / valueCodeableConcept）');
  }
  const range = arr(r.referenceRange).filter(isObj)[0];
  if (range) {
    const low = isObj(range.low) ? range.low.value : undefined;
    const high = isObj(range.high) ? range.high.value : undefined;
    if (low !== undefined && typeof low !== 'number') p.add(at('referenceRange.0.low.value'), '参考范围下限须为数字');
    if (high !== undefined && typeof high !== 'number') p.add(at('referenceRange.0.high.value'), '参考范围上限须为数字');
    const text = str(range.text);
    const rr = { low: typeof low === 'number' ? low : undefined, high: typeof high === 'number' ? high : undefined, text: low === undefined && high === undefined ? text : undefined };
    if (rr.low !== undefined || rr.high !== undefined || rr.text) obs.range = JSON.parse(JSON.stringify(rr));
  }
  const interp = arr(r.interpretation).filter(isObj).flatMap((cc) => codings(cc))[0];
  const interpCode = str(interp?.code);
  let flag: ReportObservation['flag'];
  if (interpCode) {
    flag = flagOfInterpretation(interpCode);
    if (!flag) p.add(at('interpretation.0.coding.0.code'), `未知的结果解释代码 ${interpCode.slice(0, 10)}`);
  }
  const f = flagOr(flag, obs);
  if (f) obs.flag = f;
  const note = arr(r.note).filter(isObj).map((n) => str(n.text)).filter(Boolean).join('；');
  if (note) obs.note = note;
  if (FINDINGS_CODES.includes(obs.code) || CONCLUSION_CODES.includes(obs.code)) delete obs.flag;
  placeNarrative(target, obs);
}
