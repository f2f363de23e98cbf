/**
 * Reading reports. A patient reads the reports of people verified on their own account (404 for
 * anyone else's, so ids cannot be probed; 403 PERSON_NOT_VERIFIED until verified); staff read under a grant with scope `reports`, and every staff
 * read — allowed or refused — is in the person's access log.
 */
import {
  ANALYTE_HINTS,
  isHiddenReport,
  isPendingReport,
  isPreliminaryResult,
  LOINC_SYSTEM,
  maskIdCard,
  resultHasValue,
  sameName,
  SNOMED_SYSTEM,
  validateIdCard,
  type AccessPurpose,
  type ReportDetailView,
  type ReportObservation,
  type ReportSummaryView,
  type ReportType,
  type TrendView,
} from '@hospital/shared';
import { orgsWithRole, requireOrgRole } from '#lib/authority';
import { conflict, HttpError, invalidField, notFound } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import { requireVerifiedPerson, verifiedPeople } from '../identity/access';
import { findByPersonKey, getPatient, personKey } from '../patients/store';
import { authorizeStaffRead } from '../records/access';
import { putAudit } from '../records/store';
import { receivingOrg, sourcesReceivedBy } from './sources';
import { tellFamilies } from './ingest';
import * as store from './store';

const NOT_FOUND = '报告不存在';

export function summaryView(r: store.ReportItem, patientId: string): ReportSummaryView {
  return {
    id: r.reportId,
    patientId,
    type: r.type,
    category: r.category,
    code: r.code,
    title: r.title,
    status: r.status,
    effectiveAt: r.effectiveAt,
    issuedAt: r.issuedAt,
    performer: r.performer,
    abnormalCount: r.abnormalCount,
    critical: r.critical,
    amended: r.version > 1 && (r.status === 'amended' || r.status === 'corrected' || r.status === 'appended'),
    preliminary: isPendingReport(r.status),
  };
}

/**
 * A result as a person reads it: a retracted one (entered-in-error) is left out, a cancelled one
 * carries no value or flag, only its status; the catalogue's hint for LOINC codes.
 */
function observationView(o: ReportObservation) {
  const hint = !o.system || o.system === LOINC_SYSTEM ? ANALYTE_HINTS[o.code]?.hint : undefined;
  if (resultHasValue(o.status)) return { ...o, hint };
  const { value: _v, valueText: _t, sn: _s, valueCodings: _c, flag: _f, ...rest } = o;
  return { ...rest, hint };
}

async function detailView(r: store.ReportItem, patientId: string): Promise<ReportDetailView> {
  const versions = (await store.listVersions(r.reportId)).map((v) => ({ version: v.version, status: v.status, issuedAt: v.issuedAt, receivedAt: v.receivedAt }));
  // A retracted or cancelled report (sent for the wrong person, say) keeps its trail but shows no results.
  const retracted = isHiddenReport(r.status);
  return {
    ...summaryView(r, patientId),
    observations: retracted ? [] : r.observations.filter((o) => o.status !== 'entered-in-error').map(observationView),
    findings: retracted ? undefined : r.findings,
    conclusion: retracted ? undefined : r.conclusion,
    version: r.version,
    versions,
  };
}

async function listOf(personKeyOf: string, patientId: string, type?: ReportType) {
  const items = await store.listForPerson(personKeyOf, type);
  return { items: items.filter((r) => !isHiddenReport(r.status)).map((r) => summaryView(r, patientId)) };
}

/** LOINC `6690-2` or a SNOMED CT concept id: the same code in the same system, across reports. */
const sameTest = (o: ReportObservation, code: string) => {
  const system = o.system ?? LOINC_SYSTEM;
  return code.includes('-') ? system === LOINC_SYSTEM && o.code === code : system === SNOMED_SYSTEM && o.code === code;
};

function trendOf(items: store.ReportItem[], code: string): TrendView {
  const points = items
    .filter((r) => !isHiddenReport(r.status))
    .flatMap((r) => r.observations.filter((o) => sameTest(o, code) && o.value !== undefined && resultHasValue(o.status)).map((o) => ({ r, o })))
    .sort((a, b) => (a.r.effectiveAt ?? a.r.issuedAt).localeCompare(b.r.effectiveAt ?? b.r.issuedAt));
  const latest = points.at(-1);
  // Never draw mg/dL and mmol/L on one line: keep the points in the latest unit.
  const same = points.filter((p) => p.o.unit === latest?.o.unit);
  return {
    code,
    name: latest?.o.name ?? ANALYTE_HINTS[code]?.name ?? code,
    unit: latest?.o.unit,
    points: same.map(({ r, o }) => ({
      reportId: r.reportId,
      at: r.effectiveAt ?? r.issuedAt,
      value: o.value as number,
      flag: o.flag,
      range: o.range,
      ...(isPendingReport(r.status) || isPreliminaryResult(o.status) ? { preliminary: true } : {}),
    })),
  };
}

// ── patient ──

export async function myReports(userId: string, patientId: string, type?: ReportType) {
  const p = await requireVerifiedPerson(userId, patientId);
  return listOf(personKey(p.idNumber), p.patientId, type);
}

export async function myTrend(userId: string, patientId: string, code: string) {
  const p = await requireVerifiedPerson(userId, patientId);
  return trendOf(await store.listForPerson(personKey(p.idNumber)), code);
}

async function patientDetail(userId: string, reportId: string, patientId?: string) {
  const r = /^r-[0-9a-f]{32}$/.test(reportId) ? await store.getReport(reportId) : undefined;
  if (!r?.personKey) throw notFound(NOT_FOUND);
  const mine = patientId ? [await requireVerifiedPerson(userId, patientId)] : await verifiedPeople(userId);
  const who = mine.find((p) => personKey(p.idNumber) === r.personKey);
  if (!who) throw notFound(NOT_FOUND);
  return detailView(r, who.patientId);
}

// ── staff ──

async function staffPerson(principal: Principal, patientId: string, purpose: AccessPurpose, resource: string) {
  await authorizeStaffRead({ principal, patientId, scope: 'reports', purpose, resource });
  const p = await getPatient(patientId);
  if (!p) throw notFound('就诊人不存在');
  return p;
}

export async function staffReports(principal: Principal, patientId: string, purpose: AccessPurpose, type?: ReportType) {
  const p = await staffPerson(principal, patientId, purpose, 'reports');
  return listOf(personKey(p.idNumber), patientId, type);
}

export async function staffTrend(principal: Principal, patientId: string, purpose: AccessPurpose, code: string) {
  const p = await staffPerson(principal, patientId, purpose, `reports:trend:${code}`);
  return trendOf(await store.listForPerson(personKey(p.idNumber)), code);
}

export async function reportDetail(principal: Principal, reportId: string, query: { patientId?: string; purpose?: AccessPurpose }) {
  if (principal.roles.includes('patient')) return patientDetail(principal.userId, reportId, query.patientId);
  if (!query.patientId) throw invalidField('query.patientId', '医护查看报告须指明就诊人（patientId）');
  const p = await staffPerson(principal, query.patientId, query.purpose ?? 'treatment', `report:${reportId}`);
  const r = /^r-[0-9a-f]{32}$/.test(reportId) ? await store.getReport(reportId) : undefined;
  if (!r || r.personKey !== personKey(p.idNumber)) throw notFound(NOT_FOUND);
  return detailView(r, p.patientId);
}

// ── the lab desk: reports no person matched ──

/** The lab desk: doctors, nurses and admins of the organisation a laboratory sends to. */
const LAB_DESK = ['doctor', 'nurse', 'admin'] as const;

/** The held reports of the laboratories that send to the caller's organisations (nobody else's). */
export async function heldReports(principal: Principal) {
  const items = await store.listHeld(sourcesReceivedBy(orgsWithRole(principal, ...LAB_DESK)));
  return {
    items: items
      .filter((r) => r.held || r.rejected?.length)
      .map((r) => ({
        id: r.reportId,
        source: r.source,
        type: r.type,
        title: r.title,
        issuedAt: r.issuedAt,
        receivedAt: r.receivedAt,
        performer: r.performer,
        subjectName: r.subject.name,
        idNumberMasked: r.subject.idMasked,
        reason: r.held?.reason ?? ('results_rejected' as const),
        rejected: r.rejected,
      })),
  };
}

/**
 * Files a held report under the person with this ID number. Only the lab desk of the receiving
 * organisation (another organisation's report is not found), and only when the report's name
 * agrees with the person's — the rule of ingest (`sameName`) — unless staff override it with a
 * reason. Every attempt is in the person's access log: refused, agreed, or overridden and why.
 */
export async function matchReport(principal: Principal, reportId: string, body: { idNumber: string; nameOverride?: { reason: string } }) {
  const id = validateIdCard(body.idNumber);
  if (!id.ok) throw invalidField('body.idNumber', id.message);
  const r = /^r-[0-9a-f]{32}$/.test(reportId) ? await store.getReport(reportId) : undefined;
  if (!r) throw notFound(NOT_FOUND);
  requireOrgRole(principal, receivingOrg(r.source), LAB_DESK, NOT_FOUND);
  if (!r.held) throw conflict('NOT_HELD', '该报告已归属就诊人');
  const key = personKey(id.idNumber);
  const patients = await findByPersonKey(key);
  if (!patients.length) throw notFound(`没有登记身份证号 ${maskIdCard(id.idNumber)} 的就诊人`);
  const agrees = patients.some((p) => sameName(p.name, r.subject.name));
  const at = new Date().toISOString();
  const trail = (outcome: 'allowed' | 'refused', basis: string) =>
    Promise.all(patients.map((p) => putAudit({ patientId: p.patientId, at, actorId: principal.userId, actorName: principal.name, actorRole: principal.roles.join(','), resource: `report:${r.reportId}`, purpose: 'report_match', outcome, basis })));
  if (!agrees && !body.nameOverride) {
    await trail('refused', 'name_mismatch');
    // The registered name is not shown: typing ID numbers must not reveal whose they are.
    throw new HttpError(409, 'NAME_MISMATCH', '报告上的姓名与该身份证号登记的就诊人姓名不一致。请核对身份证；确属同一人（如改名、录入错误）时，填写原因后强制归属。', [{ path: 'body.nameOverride', message: '姓名不一致，须填写原因' }]);
  }
  if (!(await store.matchHeld(r, key, principal.userId, at))) throw conflict('STATE_CHANGED', '报告刚被更新，请刷新后重试');
  await trail('allowed', agrees ? 'name_agrees' : `name_override:${body.nameOverride!.reason}`);
  if (!isHiddenReport(r.status)) await tellFamilies({ ...r, personKey: key }, patients, false);
  return { reportId, matched: true as const, name: agrees ? ('agrees' as const) : ('overridden' as const) };
}
