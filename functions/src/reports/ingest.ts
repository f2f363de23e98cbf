/**
 * A laboratory releases reports (`POST /v1/integrations/lab/reports`). In order:
 *   1. the HMAC signature (source, ±300 s) — nothing is parsed before it holds;
 *   2. the payload, FHIR R4 JSON or HL7 v2 ORU^R01, into one model. Each report is its own
 *      person's (HL7 PATIENT_RESULT group, FHIR `subject`); a bad result is left out and named, the
 *      report's other results are filed; a report that cannot be read at all is named too. Only a
 *      message with nothing to file is refused (400, every problem named);
 *   3. the nonce, used once (a replay is a 409);
 *   4. each report: the same identifier with the same content changes nothing; a preliminary or
 *      incomplete report is replaced by the next version; a final one changes only as
 *      amended/corrected/appended (history kept); cancelled/entered-in-error retracts it. A report
 *      that breaks these rules is refused by itself (REPORT_CHANGED, STALE_VERSION) while the
 *      message's other reports are filed; a person is matched by ID number and name, else the
 *      report is held for staff — never dropped, never filed under someone else;
 *   5. training/debugging (HL7 MSH-11 T/D) and test data (FHIR HTEST) go through 1–4 without
 *      writing anything: the answer says what would have been filed;
 *   6. the answer (202) lists every report's outcome and everything not filed; for HL7 it carries
 *      the ACK (AA, or AE with an ERR per part not filed); the family is told (never with values).
 */
import { createHash } from 'node:crypto';
import {
  dayjs,
  HOSPITAL_TZ,
  isAbnormal,
  isCritical,
  isHiddenReport,
  isPendingReport,
  maskIdCard,
  REPORT_TYPE_LABEL,
  resultHasValue,
  sameName,
  type IncomingReport,
  type LabIngestResult,
  type RejectedPart,
} from '@hospital/shared';
import { HttpError } from '#lib/errors';
import { claimNonce, verifyPush } from '#lib/hmac-push';
import { logger } from '#lib/logger';
import { notify } from '#lib/notifier';
import { findByPersonKey, personKey, type PatientItem } from '../patients/store';
import { parseFhir } from './ingest/fhir-in';
import { parseHl7 } from './ingest/hl7-in';
import type { Parsed } from './ingest/problems';
import { labSecrets, labSources } from './sources';
import * as store from './store';

export const MAX_REPORT_BYTES = 512 * 1024;

export const reportIdOf = (source: string, identifier: string) => `r-${createHash('sha256').update(`${source}\n${identifier}`).digest('hex').slice(0, 32)}`;

/** Canonical JSON (sorted keys) so the same content always hashes the same. */
const canonical = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(canonical).join(',')}]` : v && typeof v === 'object' ? `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}` : JSON.stringify(v);
/** The identifier's system is left out: HL7 names it a namespace, FHIR a URI; the value is the report. */
export const contentHash = (c: store.ReportContent) => createHash('sha256').update(canonical({ ...c, identifier: c.identifier.value })).digest('hex');

export function parsePayload(contentType: string | undefined, rawBody: string): Parsed {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = rawBody.replace(/^[\s\x0b]+/, '');
  const isHl7 = /hl7-v2|er7/.test(type) || ((type === '' || type === 'text/plain') && text.startsWith('MSH'));
  const isJson = /^application\/(fhir\+)?json$/.test(type) || ((type === '' || type === 'text/plain') && text.startsWith('{'));
  if (isHl7) return parseHl7(rawBody);
  if (!isJson) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', '报告须为 application/fhir+json 或 x-application/hl7-v2+er7');
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', '请求内容不是有效的 JSON', [{ path: 'body', message: 'malformed JSON' }]);
  }
  return parseFhir(body);
}

type Match = { personKey: string; patients: PatientItem[] } | { reason: store.HeldReason; idKey?: string };

/** ID number finds the person; the name must agree with at least one account's entry (a typo guard). */
export async function matchPerson(subject: IncomingReport['subject']): Promise<Match> {
  if (!subject.idNumber) return { reason: 'no_id_number' };
  const key = personKey(subject.idNumber);
  const patients = await findByPersonKey(key);
  if (!patients.length) return { reason: 'unknown_person', idKey: key };
  if (!patients.some((p) => sameName(p.name, subject.name))) return { reason: 'name_mismatch', idKey: key };
  return { personKey: key, patients };
}

const contentOf = (r: IncomingReport): store.ReportContent => ({
  identifier: r.identifier,
  status: r.status,
  type: r.type,
  category: r.category,
  code: r.code,
  codeSystem: r.codeSystem,
  title: r.title,
  subject: { name: r.subject.name, idMasked: r.subject.idNumber ? maskIdCard(r.subject.idNumber) : undefined, idKey: r.subject.idNumber ? personKey(r.subject.idNumber) : undefined },
  effectiveAt: r.effectiveAt,
  issuedAt: r.issuedAt,
  performer: r.performer,
  observations: r.observations,
  findings: r.findings,
  conclusion: r.conclusion,
  rejected: r.rejected?.length ? r.rejected : undefined,
});

type Written = 'created' | 'updated' | 'amended' | 'retracted';
type Plan =
  | { kind: 'duplicate'; current: store.ReportItem }
  | { kind: 'write'; item: store.ReportItem; hash: string; expected?: number; outcome: Written; match: Match }
  | { kind: 'not_filed'; reportId: string; why: string }
  | { kind: 'refused'; reportId: string; code: string; message: string };

/** Flags that count are those of results a person may read. */
const shownResults = (r: store.ReportContent) => r.observations.filter((o) => resultHasValue(o.status));

async function plan(source: string, incoming: IncomingReport, now: string): Promise<Plan> {
  const reportId = reportIdOf(source, incoming.identifier.value);
  const content = contentOf(incoming);
  if (!content.performer) content.performer = labSources().get(source);
  const hash = contentHash(content);
  const current = await store.getReport(reportId);
  if (current?.hashes.includes(hash)) return { kind: 'duplicate', current };
  const label = `报告 ${incoming.identifier.value.slice(0, 40)}`;
  let outcome: Written;
  if (!current) {
    if (isHiddenReport(incoming.status)) return { kind: 'not_filed', reportId, why: `${label}：撤回或取消的报告此前未收到，无需处理` };
    outcome = 'created';
  } else {
    if (incoming.issuedAt < current.issuedAt) return { kind: 'refused', reportId, code: 'STALE_VERSION', message: `${label}：已有更新的版本` };
    // Not final yet, retracted, or with results still missing: the next version simply replaces it.
    const open = isPendingReport(current.status) || isHiddenReport(current.status) || !!current.rejected?.length;
    if (isHiddenReport(incoming.status)) outcome = 'retracted';
    else if (incoming.status === 'amended' || incoming.status === 'corrected' || incoming.status === 'appended') outcome = 'amended';
    else if (open) outcome = 'updated';
    else if (isPendingReport(incoming.status)) return { kind: 'refused', reportId, code: 'REPORT_CHANGED', message: `${label}已是最终报告：不能再改回初步结果，修改须标为 amended / corrected` };
    else return { kind: 'refused', reportId, code: 'REPORT_CHANGED', message: `${label}已存在且内容不同：修改后的报告须标为 amended / corrected` };
  }

  let match = await matchPerson(incoming.subject);
  // A report staff matched by hand stays with that person unless the lab names someone we know.
  if ('reason' in match && current?.matchedBy && current.personKey) match = { personKey: current.personKey, patients: await findByPersonKey(current.personKey) };
  const shown = shownResults(content);
  const flags = { abnormalCount: shown.filter((o) => isAbnormal(o.flag)).length, critical: shown.some((o) => isCritical(o.flag)) };
  const item: store.ReportItem = {
    ...content,
    ...flags,
    reportId,
    source,
    version: (current?.version ?? 0) + 1,
    receivedAt: now,
    firstReceivedAt: current?.firstReceivedAt ?? now,
    hashes: [...(current?.hashes ?? []), hash],
    ...('personKey' in match ? { personKey: match.personKey } : { held: { reason: match.reason, since: current?.held?.since ?? now } }),
    matchedBy: 'personKey' in match ? current?.matchedBy : undefined,
    matchedAt: 'personKey' in match ? current?.matchedAt : undefined,
  };
  return { kind: 'write', item, hash, expected: current?.version, outcome, match };
}

export interface StoreOutcome extends LabIngestResult {
  /** Reports refused for a conflict with what is stored (REPORT_CHANGED, STALE_VERSION). */
  conflicts: { code: string; message: string }[];
}

/**
 * Stores parsed reports from an authenticated source (the push above; the demo seed). Each report
 * is decided and written on its own: a conflict on one never stops the others. `dryRun` (test
 * data) decides exactly the same and writes nothing.
 */
export async function storeReports(source: string, reports: IncomingReport[], o: { refs?: string[]; dryRun?: boolean } = {}): Promise<StoreOutcome> {
  const results: LabIngestResult['reports'] = [];
  const rejected: LabIngestResult['rejected'] = [];
  const conflicts: StoreOutcome['conflicts'] = [];
  const now = new Date().toISOString();
  const seen = new Set<string>();
  for (let i = 0; i < reports.length; i++) {
    const incoming = reports[i];
    const ref = o.refs?.[i] ?? `report[${i}]`;
    const counts = { results: incoming.observations.length + (incoming.findings ? 1 : 0) + (incoming.conclusion ? 1 : 0), rejected: incoming.rejected?.length ?? 0 };
    if (seen.has(incoming.identifier.value)) {
      rejected.push({ path: ref, message: `报告编号 ${incoming.identifier.value.slice(0, 40)} 在同一消息中出现多次：只归档第一份`, report: incoming.identifier.value, reason: 'DUPLICATE_IN_MESSAGE' });
      continue;
    }
    seen.add(incoming.identifier.value);
    let p = await plan(source, incoming, now);
    for (let attempt = 0; p.kind === 'write' && !o.dryRun && !(await store.writeVersion(p.item, p.hash, p.expected)); attempt++) {
      // Someone wrote this report meanwhile (a concurrent resend): decide again on what is there now.
      if (attempt >= 3) {
        p = { kind: 'refused', reportId: p.item.reportId, code: 'CONFLICT', message: '报告正在被并发更新，请稍后重试' };
        break;
      }
      p = await plan(source, incoming, now);
    }
    const base = { identifier: incoming.identifier.value, status: incoming.status, ...counts };
    if (p.kind === 'refused') {
      rejected.push({ path: ref, message: p.message, report: incoming.identifier.value, reason: p.code });
      conflicts.push({ code: p.code, message: p.message });
      continue;
    }
    if (p.kind === 'duplicate') {
      results.push({ ...base, reportId: p.current.reportId, outcome: 'duplicate', held: !!p.current.held, heldReason: p.current.held?.reason });
      continue;
    }
    if (p.kind === 'not_filed') {
      results.push({ ...base, reportId: p.reportId, outcome: 'not_filed', held: false });
      continue;
    }
    const held = { held: !!p.item.held, heldReason: p.item.held?.reason };
    if (o.dryRun) {
      results.push({ ...base, reportId: p.item.reportId, outcome: 'not_filed', ...held });
      continue;
    }
    results.push({ ...base, reportId: p.item.reportId, outcome: p.outcome, ...held });
    logger.info('lab report stored', { source, report: p.item.reportId, version: p.item.version, outcome: p.outcome, status: p.item.status, held: p.item.held?.reason, resultsRejected: counts.rejected });
    if ('patients' in p.match && p.outcome !== 'retracted' && !isHiddenReport(p.item.status)) await tellFamilies(p.item, p.match.patients, p.outcome === 'amended' || p.outcome === 'updated');
  }
  return { processing: 'production', reports: results, rejected, conflicts };
}

export async function ingest(headers: Record<string, string>, rawBody: string): Promise<LabIngestResult> {
  if (Buffer.byteLength(rawBody) > MAX_REPORT_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', '报告内容过大');
  const push = await verifyPush(headers, rawBody, labSecrets);
  const parsed = parsePayload(headers['content-type'], rawBody);
  // Each part not filed, with the report it belongs to.
  const owner = new Map<RejectedPart, string>();
  parsed.reports.forEach((r) => r.rejected?.forEach((x) => owner.set(x, r.identifier.value)));
  const problems: LabIngestResult['rejected'] = parsed.problems.map((x) => ({ ...x, ...(owner.has(x) ? { report: owner.get(x) } : {}) }));
  if (!parsed.reports.length) {
    const ack = parsed.ack?.('AR', problems);
    throw new HttpError(400, 'VALIDATION_FAILED', `报告内容有误（${problems.length} 处），没有可归档的报告`, problems.map(({ path, message }) => ({ path, message })), undefined, ack ? { ack } : undefined);
  }
  await claimNonce(`lab:${push.source}`, push.nonce);
  const dryRun = parsed.processing !== 'production';
  const live = parsed.reports.map((r, i) => ({ r, ref: parsed.refs[i] })).filter((x) => dryRun || !x.r.test);
  // A test-tagged report inside a production Bundle is answered, not filed.
  const tagged = parsed.reports.filter((r) => !dryRun && r.test);
  const out = await storeReports(push.source, live.map((x) => x.r), { refs: live.map((x) => x.ref), dryRun });
  for (const r of tagged) out.reports.push({ reportId: reportIdOf(push.source, r.identifier.value), identifier: r.identifier.value, outcome: 'not_filed', status: r.status, held: false, results: r.observations.length, rejected: r.rejected?.length ?? 0 });
  const rejected = [...problems, ...out.rejected];
  const written = out.reports.length > 0;
  logger.info('lab message', { source: push.source, processing: parsed.processing, reports: out.reports.length, rejected: rejected.length });
  if (!written) {
    const first = out.conflicts[0];
    const ack = parsed.ack?.('AR', rejected);
    if (first && problems.length === 0) throw new HttpError(409, first.code, first.message, undefined, undefined, ack ? { ack } : undefined);
    throw new HttpError(400, 'VALIDATION_FAILED', `没有可归档的报告（${rejected.length} 处问题）`, rejected.map(({ path, message }) => ({ path, message })), undefined, ack ? { ack } : undefined);
  }
  return {
    processing: parsed.processing,
    reports: out.reports,
    rejected,
    ...(parsed.ack ? { ack: parsed.ack(rejected.length ? 'AE' : 'AA', rejected) } : {}),
  };
}

/**
 * One message per account that has verified the person; the text says a report is out, never what
 * it says. An account that only typed the ID number hears nothing (实名认证).
 */
export async function tellFamilies(r: store.ReportItem, patients: PatientItem[], amended: boolean) {
  const seen = new Set<string>();
  for (const p of patients) {
    if (seen.has(p.userId) || p.verification.state !== 'verified') continue;
    seen.add(p.userId);
    await notify(p.userId, 'report_ready', {
      patientName: p.name,
      orgName: r.performer ?? '',
      deptName: REPORT_TYPE_LABEL[r.type],
      doctorName: '',
      time: dayjs(r.issuedAt).tz(HOSPITAL_TZ).format('YYYY-MM-DD HH:mm'),
      note: r.critical
        ? '报告中有需要尽快处理的结果，请及时查看并联系医生'
        : isPendingReport(r.status)
          ? '这是初步结果，最终报告发布后会再通知您'
          : amended
            ? '报告已更新，请查看最新版本'
            : undefined,
      ref: `report:${r.reportId}`,
      page: `packages/records/pages/report/index?id=${encodeURIComponent(r.reportId)}&patientId=${encodeURIComponent(p.patientId)}`,
    });
  }
}
