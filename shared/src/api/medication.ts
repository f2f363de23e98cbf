/**
 * Supervised medication plans (督导服药, TB DOT): a clinician's plan, every scheduled dose as an
 * item, the supervisor's confirmation (a village doctor's account, or a family member on the
 * patient's account who accepted the role), the patient's own view, adherence and alerts.
 */
import * as z from 'zod';
import { route } from './contract';
import { Relation } from './patients';
import { AlertReason, ConfirmMethod, DoseStatus, PlanStatus, SideEffect, SupervisorKind, SupervisorState } from '../medication';

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);
const text = (what: string, max: number) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过${max}个字`);
const optionalText = (what: string, max: number) => z.string().trim().max(max, `${what}不能超过${max}个字`);

/** The longest course we schedule (MDR-TB regimens run up to 20 months). */
export const MAX_PLAN_DAYS = 730;

export const Drug = z.object({ name: text('药品', 40), dose: text('剂量', 30) });
export const Phase = z.object({
  name: text('阶段名称', 20),
  days: z.number().int().min(1, '阶段至少1天').max(365, '单个阶段最多365天'),
  drugs: z.array(Drug).min(1, '请填写药品').max(8),
});
export const Regimen = z
  .object({ code: text('方案', 30), phases: z.array(Phase).min(1, '至少一个治疗阶段').max(4) })
  .refine((r) => r.phases.reduce((n, p) => n + p.days, 0) <= MAX_PLAN_DAYS, { message: `疗程合计不能超过${MAX_PLAN_DAYS}天`, path: ['phases'] });

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '服药时间格式为 HH:mm');

export const PlanSupervisorInput = z.discriminatedUnion('kind', [
  /** A village doctor (or other staff) account on the patient's family-doctor team. */
  z.object({ kind: z.literal('staff'), userId: id('督导人') }),
  /** A family member listed on the patient's account; they accept the role from their own login. */
  z.object({ kind: z.literal('family'), patientId: id('家属') }),
]);

export const CreatePlanRequest = z.object({
  patientId: id('患者'),
  diagnosis: text('诊断', 60),
  regimen: Regimen,
  doseTimes: z
    .array(HHMM)
    .min(1, '请设置服药时间')
    .max(3, '每天最多3次')
    .refine((t) => new Set(t).size === t.length, { message: '服药时间不能重复' }),
  startDate: z.iso.date({ message: '请选择开始日期' }),
  /** The patient may report a dose with a photo themselves (e.g. on days the supervisor cannot come). */
  selfReportAllowed: z.boolean().default(false),
  supervisor: PlanSupervisorInput,
});

export const RateView = z.object({ taken: z.number().int(), missed: z.number().int(), due: z.number().int(), percent: z.number().int().nullable() });
export const AdherenceView = z.object({
  overall: RateView,
  phases: z.array(RateView.extend({ name: z.string() })),
  today: z.object({ date: z.string(), taken: z.number().int(), total: z.number().int(), percent: z.number().int().nullable() }),
});

export const PlanView = z.object({
  id: z.string(),
  status: PlanStatus,
  patient: z.object({ id: z.string(), name: z.string() }),
  diagnosis: z.string(),
  regimen: z.object({ code: z.string(), phases: z.array(z.object({ name: z.string(), days: z.number().int(), drugs: z.array(z.object({ name: z.string(), dose: z.string() })) })) }),
  doseTimes: z.array(z.string()),
  startDate: z.string(),
  endDate: z.string(),
  selfReportAllowed: z.boolean(),
  clinician: z.object({ id: z.string(), name: z.string() }),
  supervisor: z.object({ kind: SupervisorKind, name: z.string(), state: SupervisorState, relation: Relation.optional() }),
  adherence: AdherenceView,
  openAlerts: z.number().int(),
  stoppedReason: z.string().optional(),
  createdAt: z.string(),
});
export type PlanView = z.infer<typeof PlanView>;

export const DoseView = z.object({
  id: z.string(),
  date: z.string(),
  time: z.string(),
  phase: z.number().int(),
  status: DoseStatus,
  confirmedAt: z.string().optional(),
  confirmedByName: z.string().optional(),
  method: ConfirmMethod.optional(),
  /** A signed, short-lived link to the photo. */
  photoUrl: z.string().optional(),
  note: z.string().optional(),
  sideEffects: z.array(SideEffect).optional(),
  /** The dose can be confirmed now (its day, still open). */
  confirmable: z.boolean(),
});
export type DoseView = z.infer<typeof DoseView>;

export const PlanDetail = z.object({ plan: PlanView, doses: z.array(DoseView) });
export type PlanDetail = z.infer<typeof PlanDetail>;

export const MedicationAlertView = z.object({
  id: z.string(),
  planId: z.string(),
  patient: z.object({ id: z.string(), name: z.string() }),
  reason: AlertReason,
  detail: z.string(),
  misses: z.number().int().optional(),
  sideEffects: z.array(SideEffect).optional(),
  reportedByName: z.string().optional(),
  createdAt: z.string(),
  acknowledgedAt: z.string().optional(),
  acknowledgedByName: z.string().optional(),
});
export type MedicationAlertView = z.infer<typeof MedicationAlertView>;

export const ConfirmDoseRequest = z
  .object({
    method: ConfirmMethod.exclude(['self_photo']),
    /** From POST /v1/care/images; required for a photo confirmation. */
    imageId: id('照片').optional(),
    note: optionalText('备注', 200).optional(),
    /** Reactions noticed at the dose; any one alerts the clinician. */
    sideEffects: z.array(SideEffect).max(8).default([]),
  })
  .refine((b) => b.method !== 'photo' || !!b.imageId, { message: '照片确认须上传服药照片', path: ['imageId'] });

export const SelfReportRequest = z.object({
  imageId: id('照片'),
  note: optionalText('备注', 200).optional(),
  sideEffects: z.array(SideEffect).max(8).default([]),
});

export const ProblemRequest = z.object({
  sideEffects: z.array(SideEffect).min(1, '请选择出现的不适').max(8),
  note: optionalText('说明', 300).optional(),
});

export const SupervisorResponse = z.object({ accept: z.boolean() });

export const SupervisedView = z.object({ plan: PlanView, today: z.array(DoseView) });

export const SupervisorCandidates = z.object({
  staff: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string(), teamName: z.string() })),
  family: z.array(z.object({ patientId: z.string(), name: z.string(), relation: Relation })),
});

const DOCTOR = ['doctor'] as const;
const PATIENT = ['patient'] as const;
const SUPERVISOR = ['patient', 'doctor', 'nurse'] as const;

export const medicationRoutes = {
  create: route({
    method: 'POST',
    path: '/v1/staff/medication-plans',
    access: DOCTOR,
    body: CreatePlanRequest,
    response: PlanDetail,
    status: 201,
    idempotency: 'required',
    summary: 'A clinician creates a plan; every dose is scheduled (needs follow-up access to the patient; 409 PLAN_EXISTS)',
  }),
  candidates: route({
    method: 'GET',
    path: '/v1/staff/medication-plans/candidates',
    access: DOCTOR,
    query: z.object({ patientId: id('患者') }),
    response: SupervisorCandidates,
    summary: "Who can supervise: the patient's team members with accounts, family members on the patient's account",
  }),
  staffList: route({ method: 'GET', path: '/v1/staff/medication-plans', access: DOCTOR, response: z.object({ items: z.array(PlanView) }), summary: 'Plans I created, with adherence (the adherence table)' }),
  staffGet: route({ method: 'GET', path: '/v1/staff/medication-plans/{planId}', access: DOCTOR, response: PlanDetail, summary: 'A plan with every dose (audited read)' }),
  stop: route({ method: 'POST', path: '/v1/staff/medication-plans/{planId}/stop', access: DOCTOR, body: z.object({ reason: text('停止原因', 200) }), response: PlanDetail, summary: 'Stop a plan; open doses are no longer expected' }),
  alerts: route({ method: 'GET', path: '/v1/staff/medication-alerts', access: DOCTOR, query: z.object({ open: z.enum(['true', 'false']).optional() }), response: z.object({ items: z.array(MedicationAlertView) }), summary: 'Alerts of my plans, newest first' }),
  ackAlert: route({ method: 'POST', path: '/v1/staff/medication-plans/{planId}/alerts/{alertId}/ack', access: DOCTOR, response: MedicationAlertView, summary: 'Acknowledge an alert' }),

  mine: route({ method: 'GET', path: '/v1/me/medication-plans', access: PATIENT, response: z.object({ items: z.array(SupervisedView) }), summary: "Plans of the people on my account, with today's doses" }),
  myPlan: route({ method: 'GET', path: '/v1/me/medication-plans/{planId}', access: PATIENT, response: PlanDetail, summary: 'My plan: every dose and adherence' }),
  selfReport: route({
    method: 'POST',
    path: '/v1/me/medication-plans/{planId}/doses/{doseId}/self-report',
    access: PATIENT,
    body: SelfReportRequest,
    response: DoseView,
    idempotency: 'optional',
    summary: 'Report a dose with a photo, when the plan allows it (409 DOSE_CLOSED)',
  }),
  selfProblem: route({ method: 'POST', path: '/v1/me/medication-plans/{planId}/problems', access: PATIENT, body: ProblemRequest, response: MedicationAlertView, status: 201, idempotency: 'optional', summary: 'Report a side effect (alerts the clinician)' }),

  supervised: route({
    method: 'GET',
    path: '/v1/supervision/plans',
    access: SUPERVISOR, person: 'verified',
    response: z.object({ items: z.array(SupervisedView), invitations: z.array(PlanView) }),
    summary: "Patients I supervise with today's doses, and family invitations waiting for my answer",
  }),
  supervisedPlan: route({ method: 'GET', path: '/v1/supervision/plans/{planId}', access: SUPERVISOR, response: PlanDetail, summary: 'A plan I supervise' }),
  respond: route({ method: 'POST', path: '/v1/supervision/plans/{planId}/respond', access: ['patient'], person: 'verified', body: SupervisorResponse, response: PlanView, summary: 'A family member accepts or declines the supervisor role' }),
  confirm: route({
    method: 'POST',
    path: '/v1/supervision/plans/{planId}/doses/{doseId}/confirm',
    access: SUPERVISOR,
    body: ConfirmDoseRequest,
    response: DoseView,
    idempotency: 'optional',
    summary: 'The supervisor confirms a dose was taken, on its day (409 DOSE_CLOSED)',
  }),
  problem: route({ method: 'POST', path: '/v1/supervision/plans/{planId}/problems', access: SUPERVISOR, body: ProblemRequest, response: MedicationAlertView, status: 201, idempotency: 'optional', summary: 'The supervisor reports a side effect (alerts the clinician)' }),
};
