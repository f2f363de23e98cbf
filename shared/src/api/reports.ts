/**
 * Reports (报告查询): lab pushes in, patients read their people's reports, staff read with a
 * consent (audited), unmatched reports wait for staff. The model is in `../reports.ts`.
 */
import * as z from 'zod';
import { route } from './contract';
import { AccessPurpose } from './records';
import { Flag, ReferenceRange, ReportObservation, ReportStatus, ReportType } from '../reports';

export const ReportSummaryView = z.object({
  id: z.string(),
  patientId: z.string(),
  type: ReportType,
  category: z.string(),
  code: z.string(),
  title: z.string(),
  status: ReportStatus,
  effectiveAt: z.string().optional(),
  issuedAt: z.string(),
  performer: z.string().optional(),
  /** Values outside their range (any flag but normal). */
  abnormalCount: z.number().int(),
  critical: z.boolean(),
  /** A later version replaced the first one (amended/corrected). */
  amended: z.boolean(),
  /** Not final yet (初步结果 / 部分结果): the final report replaces it. */
  preliminary: z.boolean(),
});
export type ReportSummaryView = z.infer<typeof ReportSummaryView>;

/** A result as the patient reads it: cancelled results carry no value, retracted ones are left out. */
export const ObservationView = ReportObservation.extend({
  /** One plain-language line for common analytes. */
  hint: z.string().optional(),
});
export type ObservationView = z.infer<typeof ObservationView>;

export const ReportVersionView = z.object({ version: z.number().int(), status: ReportStatus, issuedAt: z.string(), receivedAt: z.string() });

export const ReportDetailView = ReportSummaryView.extend({
  observations: z.array(ObservationView),
  findings: z.string().optional(),
  conclusion: z.string().optional(),
  version: z.number().int(),
  versions: z.array(ReportVersionView),
});
export type ReportDetailView = z.infer<typeof ReportDetailView>;

export const TrendView = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string().optional(),
  points: z.array(
    z.object({
      reportId: z.string(),
      at: z.string(),
      value: z.number(),
      flag: Flag.optional(),
      range: ReferenceRange.optional(),
      /** From a report or result that is not final yet. */
      preliminary: z.boolean().optional(),
    }),
  ),
});
export type TrendView = z.infer<typeof TrendView>;

/**
 * created/updated (a preliminary or incomplete report replaced)/amended/retracted/duplicate, or
 * not_filed: test data, or a retraction of a report we never had.
 */
export const LabIngestOutcome = z.enum(['created', 'updated', 'duplicate', 'amended', 'retracted', 'not_filed']);
/** What was not kept, named by its place in the message (`OBX[3]-5`, `body.entry.4.resource…`). */
export const RejectedPartView = z.object({
  path: z.string(),
  message: z.string(),
  /** The report (its identifier) the part belongs to. */
  report: z.string().optional(),
  /** The test's code and the lab's name for it (never its value). */
  code: z.string().optional(),
  name: z.string().optional(),
  /** For a whole report refused: REPORT_CHANGED, STALE_VERSION… */
  reason: z.string().optional(),
});
export const HeldReason = z.enum(['no_id_number', 'unknown_person', 'name_mismatch', 'results_rejected']);
export const LabIngestResult = z.object({
  /** `training` / `debugging` (HL7 MSH-11 T / D) and `test` (FHIR meta tag HTEST): checked and answered exactly as production, nothing filed. */
  processing: z.enum(['production', 'training', 'debugging', 'test']),
  reports: z.array(
    z.object({
      reportId: z.string(),
      identifier: z.string(),
      outcome: LabIngestOutcome,
      status: ReportStatus,
      /** No person matched: waiting for staff (GET /v1/staff/lab/held). */
      held: z.boolean(),
      heldReason: HeldReason.optional(),
      /** Results filed, and results of this report that were not. */
      results: z.number().int(),
      rejected: z.number().int(),
    }),
  ),
  /** Everything that was not filed, and why; empty when all was. */
  rejected: z.array(RejectedPartView),
  /** For HL7 v2: the acknowledgement (ACK^R01, MSA AA or AE with an ERR segment per part not filed). */
  ack: z.string().optional(),
});
export type LabIngestResult = z.infer<typeof LabIngestResult>;

export const HELD_REASON_LABEL: Record<z.infer<typeof HeldReason>, string> = {
  no_id_number: '报告未带有效身份证号',
  unknown_person: '没有登记该身份证号的就诊人',
  name_mismatch: '姓名与登记的就诊人不一致',
  results_rejected: '已归档，但部分结果未通过校验（请联系检验科重发）',
};
export const HeldReportView = z.object({
  id: z.string(),
  source: z.string(),
  type: ReportType,
  title: z.string(),
  issuedAt: z.string(),
  receivedAt: z.string(),
  performer: z.string().optional(),
  subjectName: z.string().optional(),
  idNumberMasked: z.string().optional(),
  reason: HeldReason,
  /** Results of the report that were not filed (the lab must resend them). */
  rejected: z.array(RejectedPartView).optional(),
});

const idNumber = z.string().trim().regex(/^\d{17}[\dXx]$/, '身份证号码应为18位');
const code = z.string().trim().regex(/^(\d{1,7}-\d|\d{6,18})$/, '请给出 LOINC 或 SNOMED CT 代码');
const STAFF_READERS = ['doctor', 'nurse'] as const;
const LAB_DESK = ['doctor', 'nurse', 'admin'] as const;

/**
 * Matching a held report: the person's ID number; the report's name must agree with the person's
 * (as at ingest) unless staff override it, saying why (audited in the person's access log).
 */
export const MatchHeldRequest = z.object({
  idNumber,
  nameOverride: z.object({ reason: z.string().trim().min(4, '请说明姓名不一致的原因（至少4个字）').max(200, '原因过长') }).optional(),
});

export const reportsRoutes = {
  ingest: route({
    method: 'POST',
    path: '/v1/integrations/lab/reports',
    access: 'signature',
    rawBody: true,
    response: LabIngestResult,
    status: 202,
    summary:
      'A laboratory releases reports: FHIR R4 DiagnosticReport (contained or bundled Observations) or HL7 v2 ORU^R01; HMAC-signed (X-Source, X-Timestamp, X-Nonce, X-Signature); idempotent by report identifier',
  }),
  mine: route({
    method: 'GET',
    path: '/v1/me/reports',
    access: ['patient'], person: 'verified',
    query: z.object({ patientId: z.string().min(1), type: ReportType.optional() }),
    response: z.object({ items: z.array(ReportSummaryView) }),
    summary: 'Reports of a person on my account, newest first',
  }),
  trend: route({
    method: 'GET',
    path: '/v1/me/reports/trend',
    access: ['patient'], person: 'verified',
    query: z.object({ patientId: z.string().min(1), code }),
    response: TrendView,
    summary: 'One analyte (LOINC) across a person’s reports, oldest first',
  }),
  detail: route({
    method: 'GET',
    path: '/v1/reports/{reportId}',
    access: ['patient', ...STAFF_READERS], person: 'verified',
    query: z.object({ patientId: z.string().min(1).optional(), purpose: AccessPurpose.optional() }),
    response: ReportDetailView,
    summary: 'One report: a patient for their own people; staff with `patientId` under a consent or visit (audited)',
  }),
  staffList: route({
    method: 'GET',
    path: '/v1/staff/patients/{patientId}/reports',
    access: STAFF_READERS,
    query: z.object({ purpose: AccessPurpose, type: ReportType.optional() }),
    response: z.object({ items: z.array(ReportSummaryView) }),
    summary: 'A staff read of a person’s reports: needs access with scope reports; always audited',
  }),
  staffTrend: route({
    method: 'GET',
    path: '/v1/staff/patients/{patientId}/reports/trend',
    access: STAFF_READERS,
    query: z.object({ purpose: AccessPurpose, code }),
    response: TrendView,
    summary: 'A staff read of one analyte’s trend (audited)',
  }),
  held: route({
    method: 'GET',
    path: '/v1/staff/lab/held',
    access: LAB_DESK,
    response: z.object({ items: z.array(HeldReportView) }),
    summary: 'Reports no person matched yet, oldest first',
  }),
  match: route({
    method: 'POST',
    path: '/v1/staff/lab/held/{reportId}/match',
    access: LAB_DESK,
    body: MatchHeldRequest,
    response: z.object({ reportId: z.string(), matched: z.literal(true), name: z.enum(['agrees', 'overridden']) }),
    summary: 'Staff of the receiving organisation confirm whose report it is (ID number; the name must agree, or an override with a reason, audited); the family is told',
  }),
};
