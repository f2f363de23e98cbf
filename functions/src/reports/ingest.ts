/**
 * A laboratory releases reports (`POST /v1/integrations/lab/reports`). In order:
 *   1. the HMAC signature (source, ±300 s) — nothing is parsed before it holds;
 *   2. the payload, FHIR R4 JSON or HL7 v2 ORU^R01, into one model; every bad entry → 400;
 *   3. the nonce, used once (a replay is a 409);
 *   4. each report: the same identifier with the same content changes nothing; a changed report
 *      must say amended/corrected/appended and becomes the new version (history kept); a person
 *      is matched by ID number and name, else the report is held for staff — never dropped;
 *   5. the family is told (never with values).
 * All reports of a message are decided before any is written, so a conflict writes nothing.
 */
import { createHash } from 'node:crypto';
import { dayjs, HOSPITAL_TZ, isAbnormal, isCritical, maskIdCard, REPORT_TYPE_LABEL, type IncomingReport, type LabIngestResult } from '@hospital/shared';
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
  const text = rawBody.trimStart();
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

const sameName = (a?: string, b?: string) => !!a && !!b && a.replace(/[\s·•.]/g, '').toLowerCase() === b.replace(/[\s·•.]/g, '').toLowerCase();

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
  title: r.title,
  subject: { name: r.subject.name, idMasked: r.subject.idNumber ? maskIdCard(r.subject.idNumber) : undefined, idKey: r.subject.idNumber ? personKey(r.subject.idNumber) : undefined },
  effectiveAt: r.effectiveAt,
  issuedAt: r.issuedAt,
  performer: r.performer,
  observations: r.observations,
  findings: r.findings,
  conclusion: r.conclusion,
});

type Plan =
  | { kind: 'duplicate'; current: store.ReportItem }
  | { kind: 'write'; item: store.ReportItem; hash: string; expected?: number; outcome: 'created' | 'amended' | 'retracted'; match: Match };

async function plan(source: string, incoming: IncomingReport, now: string): Promise<Plan> {
  const reportId = reportIdOf(source, incoming.identifier.value);
  const content = contentOf(incoming);
  if (!content.performer) content.performer = labSources().get(source);
  const hash = contentHash(content);
  const current = await store.getReport(reportId);
  if (current?.hashes.includes(hash)) return { kind: 'duplicate', current };
  const label = `报告 ${incoming.identifier.value.slice(0, 40)}`;
  if (!current && incoming.status === 'entered-in-error') throw new HttpError(409, 'REPORT_UNKNOWN', `${label}：撤回的报告不存在`);
  if (current && incoming.status === 'final') throw new HttpError(409, 'REPORT_CHANGED', `${label}已存在且内容不同：修改后的报告须标为 amended / corrected`);
  if (current && incoming.issuedAt < current.issuedAt) throw new HttpError(409, 'STALE_VERSION', `${label}：已有更新的版本`);

  let match = await matchPerson(incoming.subject);
  // A report staff matched by hand stays with that person unless the lab names someone we know.
  if ('reason' in match && current?.matchedBy && current.personKey) match = { personKey: current.personKey, patients: await findByPersonKey(current.personKey) };
  const flags = { abnormalCount: content.observations.filter((o) => isAbnormal(o.flag)).length, critical: content.observations.some((o) => isCritical(o.flag)) };
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
  const outcome = !current ? 'created' : incoming.status === 'entered-in-error' ? 'retracted' : 'amended';
  return { kind: 'write', item, hash, expected: current?.version, outcome, match };
}

export async function ingest(headers: Record<string, string>, rawBody: string): Promise<LabIngestResult> {
  if (Buffer.byteLength(rawBody) > MAX_REPORT_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', '报告内容过大');
  const push = await verifyPush(headers, rawBody, labSecrets);
  const parsed = parsePayload(headers['content-type'], rawBody);
  if (parsed.problems.length) throw new HttpError(400, 'VALIDATION_FAILED', `报告内容有误（${parsed.problems.length} 处）`, parsed.problems);
  const ids = parsed.reports.map((r) => r.identifier.value);
  const dup = ids.find((v, i) => ids.indexOf(v) !== i);
  if (dup) throw new HttpError(400, 'VALIDATION_FAILED', '同一消息中报告编号重复', [{ path: 'identifier', message: `报告编号 ${dup.slice(0, 40)} 出现多次` }]);
  await claimNonce(`lab:${push.source}`, push.nonce);
  return storeReports(push.source, parsed.reports);
}

/** Stores parsed reports from an authenticated source (the push above; the demo seed). */
export async function storeReports(source: string, reports: IncomingReport[]): Promise<LabIngestResult> {
  const results: LabIngestResult['reports'] = [];
  const now = new Date().toISOString();
  // Decide everything first: a conflict on the third report must not leave the first two written.
  const plans = await Promise.all(reports.map((r) => plan(source, r, now)));
  for (let i = 0; i < plans.length; i++) {
    let p = plans[i];
    for (let attempt = 0; p.kind === 'write' && !(await store.writeVersion(p.item, p.hash, p.expected)); attempt++) {
      // Someone wrote this report meanwhile (a concurrent resend): decide again on what is there now.
      if (attempt >= 3) throw new HttpError(409, 'CONFLICT', '报告正在被并发更新，请稍后重试');
      p = await plan(source, reports[i], now);
    }
    if (p.kind === 'duplicate') {
      results.push({ reportId: p.current.reportId, identifier: p.current.identifier.value, outcome: 'duplicate', held: !!p.current.held });
      continue;
    }
    results.push({ reportId: p.item.reportId, identifier: p.item.identifier.value, outcome: p.outcome, held: !!p.item.held });
    logger.info('lab report stored', { source, report: p.item.reportId, version: p.item.version, outcome: p.outcome, held: p.item.held?.reason });
    if ('patients' in p.match && p.outcome !== 'retracted') await tellFamilies(p.item, p.match.patients, p.outcome === 'amended');
  }
  return { reports: results };
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
      note: r.critical ? '报告中有需要尽快处理的结果，请及时查看并联系医生' : amended ? '报告已更新，请查看最新版本' : undefined,
      ref: `report:${r.reportId}`,
      page: `packages/records/pages/report/index?id=${encodeURIComponent(r.reportId)}&patientId=${encodeURIComponent(p.patientId)}`,
    });
  }
}
