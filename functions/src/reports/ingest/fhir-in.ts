/**
 * FHIR R4 in: a DiagnosticReport (Observations and Patient `contained`), or a Bundle of any type
 * holding DiagnosticReports, Observations, Patients, Organizations and Practitioners referenced by
 * `urn:uuid:`, absolute URL or `Type/id`. What FHIR R4 allows is accepted; what is left out is
 * named by its JSON path with the reason:
 *   - each report is filed under ITS subject (a Patient of the Bundle, contained, or a logical
 *     `subject.identifier`); an Observation whose own subject is someone else is never filed
 *     under the report's person;
 *   - a report without `identifier` is known by its `id` or `fullUrl` (both stable on resend);
 *   - codes: LOINC wherever the lab put it (check digit verified), else SNOMED CT, else the lab's
 *     code; units: UCUM `code`, or the `unit` words kept as sent with their UCUM form;
 *   - `Quantity.comparator`, `valueRatio` and `valueRange` are kept as sent, never as one number;
 *   - `meta.tag`/`meta.security` HTEST (v3-ActReason "test health data"): checked, never filed.
 */
import {
  CONCLUSION_CODES,
  FINDINGS_CODES,
  flagOfInterpretation,
  isLoincCode,
  isUcumCode,
  joinName,
  LOINC_SYSTEM,
  ReportStatus,
  ResultStatus,
  SNOMED_SYSTEM,
  snText,
  testName,
  typeOfCategory,
  ucumOf,
  UCUM_SYSTEM,
  type Coding,
  type IncomingReport,
  type ReferenceRange,
  type ReportObservation,
  type StructuredNumeric,
} from '@hospital/shared';
import { flagOr, instant, pickIdNumber, placeNarrative, Problems, type Parsed } from './problems';

type Json = Record<string, unknown>;
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
/** Identifier types / systems that mean a Chinese resident ID number. */
const ID_TYPES = new Set(['NI', 'NNCHN']);
const ID_SYSTEMS = new Set(['urn:oid:2.16.156.10011.1.3', 'urn:oid:1.2.156.112604.1.2.1']);
/** SNOMED CT "Radiology" (a category some examples use instead of v2-0074 RAD). */
const SNOMED_SECTIONS: Record<string, string> = { '394914008': 'RAD', '252275004': 'HM', '15220000': 'LAB' };
const VALUE_KEYS = ['valueQuantity', 'valueCodeableConcept', 'valueString', 'valueBoolean', 'valueInteger', 'valueRange', 'valueRatio', 'valueSampledData', 'valueTime', 'valueDateTime', 'valuePeriod', 'valueAttachment'];

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const codings = (cc: unknown): Json[] => (isObj(cc) ? arr(cc.coding).filter(isObj) : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface Located {
  resource: Json;
  path: string;
  fullUrl?: string;
}

/** `https://lab.example/fhir/Patient/1`, `Patient/1`, `Patient/1/_history/2` → `Patient/1`. */
const typeId = (ref: string) => {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  return m ? `${m[1]}/${m[2]}` : undefined;
};

/**
 * Finds what a reference points at (R4 §2.36.4 "resolving references in Bundles"): `#id` inside
 * the resource, a `fullUrl` (absolute or `urn:uuid:`), a relative `Type/id` resolved against the
 * referring entry's base, and — because published examples do it — an entry whose resource has
 * that type and id although its fullUrl says otherwise.
 */
class Resolver {
  private byUrl = new Map<string, Located>();
  private byTypeId = new Map<string, Located>();
  private contained = new Map<string, Located>();
  constructor(resources: Located[]) {
    for (const r of resources) {
      if (r.fullUrl) this.byUrl.set(r.fullUrl, r);
      const type = str(r.resource.resourceType);
      const id = str(r.resource.id);
      if (type && id && !this.byTypeId.has(`${type}/${id}`)) this.byTypeId.set(`${type}/${id}`, r);
    }
  }
  addContained(owner: string, r: Located) {
    const id = str(r.resource.id);
    if (id) this.contained.set(`${owner}#${id}`, r);
  }
  resolve(owner: Located, ref: string | undefined): Located | undefined {
    if (!ref) return undefined;
    if (ref.startsWith('#')) return this.contained.get(`${owner.path}${ref}`) ?? this.contained.get(`${owner.path.replace(/\.contained\.\d+$/, '')}${ref}`);
    const direct = this.byUrl.get(ref);
    if (direct) return direct;
    const ti = typeId(ref);
    if (!ti) return undefined;
    const base = owner.fullUrl && /^https?:\/\//.test(owner.fullUrl) ? owner.fullUrl.replace(/[A-Z][A-Za-z]+\/[^/]+(\/_history\/[^/]+)?$/, '') : undefined;
    return (base && !/^https?:\/\//.test(ref) ? this.byUrl.get(`${base}${ti}`) : undefined) ?? this.byTypeId.get(ti);
  }
}

const isTestData = (r: Json) =>
  isObj(r.meta) && [...arr(r.meta.tag), ...arr(r.meta.security)].filter(isObj).some((c) => c.code === 'HTEST' && (!c.system || c.system === ACT_REASON));

export function parseFhir(body: unknown): Parsed {
  const p = new Problems();
  const none = (): Parsed => ({ reports: [], refs: [], groups: [], problems: p.list, processing: 'production' });
  if (!isObj(body)) {
    p.add('body', '需要 FHIR JSON 对象');
    return none();
  }
  const reports: Located[] = [];
  const all: Located[] = [];
  if (body.resourceType === 'DiagnosticReport') {
    const r = { resource: body, path: 'body' };
    reports.push(r);
    all.push(r);
  } else if (body.resourceType === 'Bundle') {
    arr(body.entry).forEach((e, i) => {
      const path = `body.entry.${i}.resource`;
      if (!isObj(e) || !isObj(e.resource)) return p.add(path, '缺少 resource');
      const located = { resource: e.resource, path, fullUrl: str(e.fullUrl) };
      all.push(located);
      if (e.resource.resourceType === 'DiagnosticReport') reports.push(located);
    });
    if (!reports.length) p.add('body.entry', 'Bundle 中没有 DiagnosticReport');
  } else {
    p.add('body.resourceType', '需要 DiagnosticReport 或 Bundle');
  }
  const processing = isTestData(body) ? 'test' : 'production';
  const resolver = new Resolver(all);
  for (const r of all) {
    arr(r.resource.contained).forEach((c, i) => {
      if (isObj(c)) resolver.addContained(r.path, { resource: c, path: `${r.path}.contained.${i}`, fullUrl: r.fullUrl });
    });
  }
  const out: IncomingReport[] = [];
  const refs: string[] = [];
  const groups: number[] = [];
  reports.forEach((r, i) => {
    const parsed = diagnosticReport(r, resolver, p, body);
    if (!parsed) return;
    if (processing === 'test' || isTestData(r.resource)) parsed.test = true;
    out.push(parsed);
    refs.push(r.path);
    groups.push(i);
  });
  return { reports: out, refs, groups, problems: p.list, processing };
}

/** A test code: LOINC (check digit verified), else SNOMED CT, else the lab's first coding, else the text alone. */
function testCode(cc: unknown, path: string, p: Problems, what: string): { code: string; system?: string; text?: string; codings: Coding[] } | undefined {
  const all: Coding[] = codings(cc).flatMap((c) => (str(c.code) ? [{ code: str(c.code)!, ...(str(c.system) ? { system: str(c.system) } : {}), ...(str(c.display) ? { display: str(c.display) } : {}) }] : []));
  const text = (isObj(cc) ? str(cc.text) : undefined) ?? all.find((c) => c.display)?.display;
  const loinc = all.filter((c) => c.system === LOINC_SYSTEM);
  const bad = loinc.find((c) => !isLoincCode(c.code));
  if (bad) {
    p.add(`${path}.coding`, `LOINC 代码 ${bad.code.slice(0, 20)} 无效（格式或校验位错误）`, { code: bad.code, name: text });
    return undefined;
  }
  const primary = loinc[0] ?? all.find((c) => c.system === SNOMED_SYSTEM) ?? all[0];
  if (primary) return { code: primary.code, system: primary.system === LOINC_SYSTEM ? undefined : (primary.system ?? 'urn:no-system'), text: loinc[0] ? (isObj(cc) ? str(cc.text) : undefined) ?? primary.display : text, codings: all };
  if (text) return { code: text.slice(0, 64), system: 'text', text, codings: [] };
  p.add(path, `${what}缺少代码（code 为 FHIR 必填项）`);
  return undefined;
}

function identifierOf(r: Located): IncomingReport['identifier'] | undefined {
  const ident = arr(r.resource.identifier).filter(isObj).find((i) => str(i.value));
  if (ident) return { system: str(ident.system), value: str(ident.value) as string };
  // Without a business identifier the report is known by its id on the lab's server, or its fullUrl.
  const id = str(r.resource.id);
  if (id) return { system: 'urn:fhir:DiagnosticReport.id', value: `DiagnosticReport/${id}` };
  if (r.fullUrl) return { system: 'urn:fhir:Bundle.entry.fullUrl', value: r.fullUrl };
  return undefined;
}

function diagnosticReport(r: Located, resolver: Resolver, p: Problems, bundle: Json): IncomingReport | undefined {
  const dr = r.resource;
  const at = (k: string) => `${r.path}.${k}`;
  const before = p.length;
  const resolve = (ref: string | undefined) => resolver.resolve(r, ref);

  const identifier = identifierOf(r);
  if (!identifier) p.add(at('identifier'), '报告没有 identifier、id 或 fullUrl：重发时无法识别为同一份报告');
  const status = ReportStatus.safeParse(dr.status);
  if (!status.success) p.add(at('status'), `报告状态须为 FHIR R4 的 ${ReportStatus.options.join(' / ')}`);
  const code = testCode(dr.code, at('code'), p, '报告');
  const cats = arr(dr.category).flatMap((cc) => codings(cc));
  const section =
    str(cats.find((c) => c.system === V2_0074)?.code) ?? cats.map((c) => (c.system === SNOMED_SYSTEM ? SNOMED_SECTIONS[str(c.code) ?? ''] : undefined)).find(Boolean) ?? 'LAB';
  const issuedRaw = str(dr.issued);
  const effectiveRaw = str(dr.effectiveDateTime) ?? (isObj(dr.effectivePeriod) ? str(dr.effectivePeriod.start) : undefined);
  const effectiveAt = instant(effectiveRaw);
  if (effectiveRaw && !effectiveAt) p.add(at('effectiveDateTime'), '无效的采样/检查时间');
  let issuedAt: string | undefined;
  if (issuedRaw) {
    // FHIR `instant` always has a time and a zone: a date alone is not one.
    issuedAt = instant(issuedRaw);
    if (!issuedAt?.includes('T')) {
      issuedAt = undefined;
      p.add(at('issued'), '无效的发布时间（issued 是 FHIR instant：须含时间和时区）');
    }
  } else {
    // issued is optional in R4: the time the version was made, else the observed time, else the Bundle's.
    const meta = isObj(dr.meta) ? instant(str(dr.meta.lastUpdated)) : undefined;
    issuedAt = [meta, effectiveAt, instant(str(bundle.timestamp))].find((t) => t?.includes('T'));
    if (!issuedAt) p.add(at('issued'), '报告没有 issued，也没有可用的 meta.lastUpdated / effective 时间');
  }

  const subjectRef = isObj(dr.subject) ? dr.subject : undefined;
  const subjectAt = resolve(str(subjectRef?.reference));
  const subject = subjectOf(subjectRef, subjectAt);
  const performer = arr(dr.performer)
    .filter(isObj)
    .map((ref) => str(ref.display) ?? nameOf(resolve(str(ref.reference))?.resource))
    .find(Boolean);
  const reportLevel = p.length > before;

  const rp = new Problems();
  const target: { observations: ReportObservation[]; findings?: string; conclusion?: string } = { observations: [] };
  const seen = new Set<Json>();
  const results = arr(dr.result);
  const sameSubject = (o: Located) => {
    const ref = isObj(o.resource.subject) ? str(o.resource.subject.reference) : undefined;
    if (!ref && !(isObj(o.resource.subject) && o.resource.subject.identifier)) return true;
    const found = resolver.resolve(o, ref);
    if (found && subjectAt) return found.resource === subjectAt.resource;
    const mine = str(subjectRef?.reference);
    return !!ref && !!mine && (ref === mine || (typeId(ref) !== undefined && typeId(ref) === typeId(mine)));
  };
  results.forEach((ref, i) => {
    const path = at(`result.${i}.reference`);
    const reference = isObj(ref) ? str(ref.reference) : undefined;
    const found = resolve(reference);
    if (!found || found.resource.resourceType !== 'Observation') {
      return rp.add(path, `引用的 Observation ${reference?.slice(0, 80) ?? ''} 不在消息中（须在 Bundle 或 contained 里），未归档`, { name: isObj(ref) ? str(ref.display) : undefined });
    }
    observation(found, resolver, rp, target, seen, 0, sameSubject);
  });
  // The conclusion in words, else the coded conclusion's words (SNOMED "At risk of osteoporotic fracture").
  const coded = arr(dr.conclusionCode).map((cc) => (isObj(cc) ? (str(cc.text) ?? str(codings(cc)[0]?.display)) : undefined)).filter(Boolean);
  const fullConclusion = [str(dr.conclusion) ?? (coded.length ? coded.join('；') : undefined), target.conclusion].filter(Boolean).join('\n') || undefined;
  const hidden = status.success && (status.data === 'cancelled' || status.data === 'entered-in-error');
  // A report written as narrative: `text.status` additional/extensions says it holds more than the
  // structured content (R4 Narrative.status), so it is the report's text. A `generated` narrative
  // only restates the structured content and is not used.
  const narrative = isObj(dr.text) && (dr.text.status === 'additional' || dr.text.status === 'extensions') ? narrativeText(str(dr.text.div)) : undefined;
  if (!target.observations.length && !target.findings && !fullConclusion && narrative) target.findings = narrative;
  if (!reportLevel && !hidden && !target.observations.length && !target.findings && !fullConclusion) {
    if (arr(dr.presentedForm).length) p.add(at('presentedForm'), '报告只有 presentedForm 附件（报告原件），没有可显示的结果、结论或叙述：未归档，请同时发送 result 或 conclusion');
    else if (isObj(dr.text) && dr.text.status === 'generated') p.add(at('text'), '报告只有 text.status=generated 的叙述（按 FHIR 只是复述结构化内容），而结构化结果不在消息中：未归档');
    else p.add(at('result'), rp.empty ? '报告没有结果（result）也没有结论（conclusion）' : '报告的结果都未能归档，整份报告未归档');
  }
  p.list.push(...rp.list);
  if (p.length - rp.length > before || !identifier || !status.success || !code || !issuedAt) return undefined;
  return {
    identifier,
    status: status.data,
    type: typeOfCategory(section),
    category: section.toUpperCase(),
    code: code.code,
    ...(code.system ? { codeSystem: code.system } : {}),
    title: testName(code.code, code.system, code.text),
    subject,
    effectiveAt,
    issuedAt,
    performer,
    observations: target.observations,
    findings: target.findings,
    conclusion: fullConclusion,
    ...(rp.empty ? {} : { rejected: rp.list }),
  };
}

/** XHTML narrative → plain text: block ends become line breaks, entities decoded, `<pre>` kept as laid out. */
export function narrativeText(div: string | undefined): string | undefined {
  if (!div) return undefined;
  const text = div
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|h[1-6]|li|table|pre)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? text.slice(0, 20_000) : undefined;
}

function nameOf(r: Json | undefined): string | undefined {
  if (!r) return undefined;
  if (typeof r.name === 'string') return str(r.name);
  const names = arr(r.name).filter(isObj);
  const n = names.find((x) => x.use === 'official') ?? names[0];
  return n ? (str(n.text) ?? joinName(str(n.family), arr(n.given).map(str))) : undefined;
}

function subjectOf(ref: Json | undefined, found: Located | undefined): IncomingReport['subject'] {
  if (!ref) return {};
  const patient = found?.resource.resourceType === 'Patient' ? found.resource : undefined;
  const conditional = /^Patient\?identifier=(?:([^|&]*)\|)?([^&]+)$/.exec(str(ref.reference) ?? '');
  const identifiers = [...arr(patient?.identifier), ...(isObj(ref.identifier) ? [ref.identifier] : []), ...(conditional ? [{ system: decodeURIComponent(conditional[1] ?? ''), value: decodeURIComponent(conditional[2]) }] : [])].filter(isObj);
  const typed = identifiers.filter((i) => ID_SYSTEMS.has(str(i.system) ?? '') || codings(i.type).some((c) => ID_TYPES.has(str(c.code) ?? '')));
  const idNumber = pickIdNumber([...typed, ...identifiers].map((i) => str(i.value) ?? ''));
  return { idNumber, name: nameOf(patient) ?? str(ref.display) };
}

/** `Quantity.unit`/`code`/`system` → UCUM code and the words as sent; false when a UCUM code is not one. */
function unitOf(q: Json, path: string, p: Problems, about: { code?: string; name?: string }): { unit?: string; unitText?: string } | false {
  const code = str(q.code);
  const words = str(q.unit);
  if (q.system === UCUM_SYSTEM && code) {
    if (!isUcumCode(code)) {
      p.add(`${path}.code`, `单位 ${code.slice(0, 20)} 不是 UCUM 代码（system 为 ${UCUM_SYSTEM}）`, about);
      return false;
    }
    return { unit: code, ...(words && words !== code ? { unitText: words } : {}) };
  }
  const sent = words ?? code;
  if (!sent) return {};
  const ucum = ucumOf(words) ?? ucumOf(code);
  return { ...(ucum ? { unit: ucum } : {}), ...(sent !== ucum ? { unitText: sent } : {}) };
}

const COMPARATORS = new Set(['<', '<=', '>=', '>']);

/** The value of an Observation or component into `o`; false when it is not a value we can file. */
function valueInto(r: Json, o: ReportObservation, at: (k: string) => string, p: Problems): boolean {
  const about = { code: o.code, name: o.labName ?? o.name };
  if (isObj(r.valueQuantity)) {
    const q = r.valueQuantity;
    const v = num(q.value);
    if (v === undefined) {
      p.add(at('valueQuantity.value'), '结果值须为数字', about);
      return false;
    }
    const cmp = str(q.comparator);
    if (cmp && !COMPARATORS.has(cmp)) {
      p.add(at('valueQuantity.comparator'), 'comparator 须为 < / <= / >= / >', about);
      return false;
    }
    if (cmp) {
      o.sn = { comparator: cmp as StructuredNumeric['comparator'], num1: v };
      o.valueText = snText(o.sn);
    } else o.value = v;
    const unit = unitOf(q, at('valueQuantity'), p, about);
    if (unit === false) return false;
    Object.assign(o, unit);
    return true;
  }
  if (isObj(r.valueRatio)) {
    const n = isObj(r.valueRatio.numerator) ? num(r.valueRatio.numerator.value) : undefined;
    const d = isObj(r.valueRatio.denominator) ? num(r.valueRatio.denominator.value) : undefined;
    if (n === undefined || d === undefined) {
      p.add(at('valueRatio'), '比值须有分子和分母', about);
      return false;
    }
    o.sn = { num1: n, separator: ':', num2: d };
    o.valueText = snText(o.sn);
    return true;
  }
  if (isObj(r.valueRange)) {
    const lo = isObj(r.valueRange.low) ? num(r.valueRange.low.value) : undefined;
    const hi = isObj(r.valueRange.high) ? num(r.valueRange.high.value) : undefined;
    if (lo === undefined && hi === undefined) {
      p.add(at('valueRange'), '范围结果须有 low 或 high', about);
      return false;
    }
    o.sn = lo !== undefined && hi !== undefined ? { num1: lo, separator: '-', num2: hi } : lo !== undefined ? { comparator: '>=', num1: lo } : { comparator: '<=', num1: hi };
    o.valueText = snText(o.sn);
    const unit = unitOf((isObj(r.valueRange.low) ? r.valueRange.low : r.valueRange.high) as Json, at('valueRange'), p, about);
    if (unit === false) return false;
    Object.assign(o, unit);
    return true;
  }
  if (typeof r.valueInteger === 'number') {
    o.value = r.valueInteger;
    return true;
  }
  if (str(r.valueString)) {
    o.valueText = str(r.valueString);
    return true;
  }
  if (isObj(r.valueCodeableConcept)) {
    const cs: Coding[] = codings(r.valueCodeableConcept).flatMap((c) => (str(c.code) ? [{ code: str(c.code)!, ...(str(c.system) ? { system: str(c.system) } : {}), ...(str(c.display) ? { display: str(c.display) } : {}) }] : []));
    o.valueText = str(r.valueCodeableConcept.text) ?? cs.find((c) => c.display)?.display ?? cs[0]?.code;
    if (!o.valueText) {
      p.add(at('valueCodeableConcept'), '编码结果缺少代码和文字', about);
      return false;
    }
    if (cs.length) o.valueCodings = cs;
    return true;
  }
  if (typeof r.valueBoolean === 'boolean') {
    o.valueText = r.valueBoolean ? '阳性' : '阴性';
    return true;
  }
  for (const k of ['valueDateTime', 'valueTime'] as const) {
    if (str(r[k])) {
      o.valueText = str(r[k]);
      return true;
    }
  }
  if (isObj(r.valuePeriod)) {
    o.valueText = [str(r.valuePeriod.start), str(r.valuePeriod.end)].filter(Boolean).join(' – ');
    return true;
  }
  if (r.valueSampledData !== undefined || r.valueAttachment !== undefined) {
    p.add(at(r.valueSampledData !== undefined ? 'valueSampledData' : 'valueAttachment'), '波形和附件结果无法在报告中显示，未归档', about);
    return false;
  }
  if (isObj(r.dataAbsentReason)) {
    o.absentReason = str(r.dataAbsentReason.text) ?? str(codings(r.dataAbsentReason)[0]?.display) ?? str(codings(r.dataAbsentReason)[0]?.code) ?? '无结果';
    return true;
  }
  return false;
}

function rangeOf(r: Json, at: (k: string) => string, p: Problems, unit: string | undefined, about: { code?: string; name?: string }): ReferenceRange | undefined | false {
  const ranges = arr(r.referenceRange).filter(isObj);
  const range = ranges.find((x) => !x.type || codings(x.type).some((c) => c.code === 'normal')) ?? ranges[0];
  if (!range) return undefined;
  const i = ranges.indexOf(range);
  const low = isObj(range.low) ? range.low.value : undefined;
  const high = isObj(range.high) ? range.high.value : undefined;
  if (low !== undefined && num(low) === undefined) {
    p.add(at(`referenceRange.${i}.low.value`), '参考范围下限须为数字', about);
    return false;
  }
  if (high !== undefined && num(high) === undefined) {
    p.add(at(`referenceRange.${i}.high.value`), '参考范围上限须为数字', about);
    return false;
  }
  const q = (isObj(range.low) ? range.low : isObj(range.high) ? range.high : undefined) as Json | undefined;
  const rangeUnit = q ? (q.system === UCUM_SYSTEM && str(q.code) ? str(q.code) : ucumOf(str(q.unit)) ?? ucumOf(str(q.code)) ?? str(q.unit) ?? str(q.code)) : undefined;
  const out: ReferenceRange = {
    ...(num(low) !== undefined ? { low: num(low) } : {}),
    ...(num(high) !== undefined ? { high: num(high) } : {}),
    ...(str(range.text) ? { text: str(range.text) } : {}),
    // A range in another unit than the value's is shown, but no flag is computed from it.
    ...(rangeUnit && unit && rangeUnit !== unit ? { unit: rangeUnit } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

function observation(
  o: Located,
  resolver: Resolver,
  p: Problems,
  target: { observations: ReportObservation[]; findings?: string; conclusion?: string },
  seen: Set<Json>,
  depth: number,
  sameSubject: (o: Located) => boolean,
) {
  const r = o.resource;
  if (seen.has(r) || depth > 3) return;
  seen.add(r);
  const at = (k: string) => `${o.path}.${k}`;
  const code = testCode(r.code, at('code'), p, '检验项目');
  const about = { code: code?.code, name: code?.text };
  if (!sameSubject(o)) {
    p.add(at('subject'), 'Observation 的 subject 与报告的 subject 不是同一人：不归入这份报告', about);
    return;
  }
  const status = ResultStatus.safeParse(r.status);
  if (!status.success) {
    p.add(at('status'), `结果状态须为 FHIR R4 的 ${ResultStatus.options.join(' / ')}`, about);
    return;
  }
  const members = arr(r.hasMember).filter(isObj);
  const components = arr(r.component).filter(isObj);
  const hasValue = VALUE_KEYS.some((k) => r[k] !== undefined) || isObj(r.dataAbsentReason);
  // A panel: its members are the values (each checked on its own).
  members.forEach((m, i) => {
    const found = resolver.resolve(o, str(m.reference));
    if (!found || found.resource.resourceType !== 'Observation') return p.add(at(`hasMember.${i}.reference`), '引用的 Observation 不在消息中，未归档', about);
    observation(found, resolver, p, target, seen, depth + 1, sameSubject);
  });
  if (!code) return;
  const row = (src: Json, c: NonNullable<ReturnType<typeof testCode>>, path: (k: string) => string): ReportObservation | undefined => {
    const name = testName(c.code, c.system, c.text);
    const x: ReportObservation = { code: c.code, name };
    if (c.system) x.system = c.system;
    if (c.codings.length > 1) x.codings = c.codings;
    if (c.text && c.text !== name) x.labName = c.text;
    if (status.data !== 'final') x.status = status.data;
    const before = p.length;
    const filed = valueInto(src, x, path, p);
    if (!filed) {
      if (p.length === before && status.data !== 'cancelled' && status.data !== 'entered-in-error' && status.data !== 'registered') {
        p.add(path('value[x]'), '没有结果值（value[x]、component、hasMember、dataAbsentReason 都没有）：没有可归档的内容', { code: c.code, name: c.text });
      }
      if (p.length > before) return undefined;
    }
    const range = rangeOf(src, path, p, x.unit, { code: c.code, name: c.text });
    if (range === false) return undefined;
    if (range) x.range = range;
    const interp = arr(src.interpretation).filter(isObj).flatMap((cc) => codings(cc))[0];
    const interpCode = str(interp?.code);
    let flag: ReportObservation['flag'];
    if (interpCode) {
      flag = flagOfInterpretation(interpCode);
      if (!flag) {
        p.add(path('interpretation.0.coding.0.code'), `未知的结果解释代码 ${interpCode.slice(0, 10)}`, { code: c.code, name: c.text });
        return undefined;
      }
    }
    const f = flagOr(flag, x);
    if (f && status.data !== 'cancelled' && status.data !== 'entered-in-error') x.flag = f;
    if (!x.system && (FINDINGS_CODES.includes(x.code) || CONCLUSION_CODES.includes(x.code))) delete x.flag;
    return x;
  };
  if (hasValue || (!members.length && !components.length)) {
    const x = row(r, code, at);
    if (x) {
      const note = arr(r.note).filter(isObj).map((n) => str(n.text)).filter(Boolean).join('；');
      if (note) x.note = note;
      placeNarrative(target, x);
    }
  }
  // Components (a blood pressure, a Gram stain's parts): one row each, under the observation's status.
  components.forEach((c, j) => {
    const cat = (k: string) => at(`component.${j}.${k}`);
    const cc = testCode(c.code, cat('code'), p, '分量');
    if (!cc) return;
    const x = row(c, cc, cat);
    if (x) placeNarrative(target, x);
  });
}
