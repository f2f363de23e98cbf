/**
 * Reports (报告查询): lab pushes in, patients read their people's reports, staff read with a
 * consent (audited), unmatched reports wait for staff. The model is in `../reports.ts`.
 */
import * as z from 'zod';
import { route } from './contract';
import { AccessPurpose } from './records';
import { Flag, ReferenceRange, ReportStatus, ReportType } from '../reports';

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
});
export type ReportSummaryView = z.infer<typeof ReportSummaryView>;

export const ObservationView = z.object({
  code: z.string(),
  name: z.string(),
  /** One plain-language line for common analytes. */
  hint: z.string().optional(),
  value: z.number().optional(),
  valueText: z.string().optional(),
  unit: z.string().optional(),
  range: ReferenceRange.optional(),
  flag: Flag.optional(),
  note: z.string().optional(),
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
  points: z.array(z.object({ reportId: z.string(), at: z.string(), value: z.number(), flag: Flag.optional(), range: ReferenceRange.optional() })),
});
export type TrendView = z.infer<typeof TrendView>;

export const LabIngestOutcome = z.enum(['created', 'duplicate', 'amended', 'retracted']);
export const LabIngestResult = z.object({
  reports: z.array(
    z.object({
      reportId: z.string(),
      identifier: z.string(),
      outcome: LabIngestOutcome,
      /** No person matched: waiting for staff (GET /v1/staff/lab/held). */
      held: z.boolean(),
    }),
  ),
});
export type LabIngestResult = z.infer<typeof LabIngestResult>;

export const HeldReason = z.enum(['no_id_number', 'unknown_person', 'name_mismatch']);
export const HELD_REASON_LABEL: Record<z.infer<typeof HeldReason>, string> = {
  no_id_number: '报告未带有效身份证号',
  unknown_person: '没有登记该身份证号的就诊人',
  name_mismatch: '姓名与登记的就诊人不一致',
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
});

const idNumber = z.string().trim().regex(/^\d{17}[\dXx]$/, '身份证号码应为18位');
const code = z.string().trim().regex(/^\d{1,7}-\d$/, '请给出 LOINC 代码');
const STAFF_READERS = ['doctor', 'nurse'] as const;
const LAB_DESK = ['doctor', 'nurse', 'admin'] as const;

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
    body: z.object({ idNumber }),
    response: z.object({ reportId: z.string(), matched: z.literal(true) }),
    summary: 'Staff confirm whose report it is (by the person’s ID number); the family is told',
  }),
};
