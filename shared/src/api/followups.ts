/**
 * Follow-ups (随访) of contracted residents with hypertension or type 2 diabetes: what is due this
 * quarter, the resident's latest kiosk readings (when the devices feature provides them), and
 * the record of each follow-up.
 */
import * as z from 'zod';
import { route } from './contract';
import { ChronicCondition } from '../care';

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);

export const FollowUpMethod = z.enum(['clinic', 'home', 'phone', 'online']);
export const FOLLOW_UP_METHOD_LABEL: Record<z.infer<typeof FollowUpMethod>, string> = { clinic: '门诊', home: '家庭', phone: '电话', online: '线上' };
export const FollowUpAssessment = z.enum(['controlled', 'uncontrolled', 'adverse_reaction', 'complication']);
export const FOLLOW_UP_ASSESSMENT_LABEL: Record<z.infer<typeof FollowUpAssessment>, string> = {
  controlled: '控制满意',
  uncontrolled: '控制不满意',
  adverse_reaction: '药物不良反应',
  complication: '并发症',
};

export const RecordFollowUpRequest = z
  .object({
    contractId: id('签约'),
    condition: ChronicCondition,
    date: z.iso.date({ message: '请选择随访日期' }),
    method: FollowUpMethod,
    systolic: z.number().int().min(50, '收缩压数值异常').max(300, '收缩压数值异常').optional(),
    diastolic: z.number().int().min(30, '舒张压数值异常').max(200, '舒张压数值异常').optional(),
    heartRate: z.number().int().min(20).max(250).optional(),
    /** Fasting capillary glucose, mmol/L. */
    fastingGlucose: z.number().min(1).max(40).optional(),
    medicationAdherence: z.enum(['regular', 'intermittent', 'none']),
    assessment: FollowUpAssessment,
    advice: z.string().trim().max(300, '指导意见不能超过300字').default(''),
  })
  .refine((f) => f.condition !== 'hypertension' || (f.systolic !== undefined && f.diastolic !== undefined), { message: '高血压随访须填写血压', path: ['systolic'] })
  .refine((f) => f.condition !== 'diabetes' || f.fastingGlucose !== undefined, { message: '糖尿病随访须填写空腹血糖', path: ['fastingGlucose'] });

export const FollowUpView = z.object({
  id: z.string(),
  contractId: z.string(),
  patientId: z.string(),
  condition: ChronicCondition,
  date: z.string(),
  method: FollowUpMethod,
  systolic: z.number().int().optional(),
  diastolic: z.number().int().optional(),
  heartRate: z.number().int().optional(),
  fastingGlucose: z.number().optional(),
  medicationAdherence: z.enum(['regular', 'intermittent', 'none']),
  assessment: FollowUpAssessment,
  advice: z.string(),
  recordedByName: z.string(),
  createdAt: z.string(),
});
export type FollowUpView = z.infer<typeof FollowUpView>;

/** A kiosk reading as the devices feature reports it (LOINC code, UCUM unit). */
export const ReadingSummary = z.object({ code: z.string(), name: z.string(), value: z.string(), unit: z.string(), at: z.string(), alert: z.string().optional() });
export type ReadingSummary = z.infer<typeof ReadingSummary>;

export const DueFollowUp = z.object({
  contractId: z.string(),
  teamId: z.string(),
  patient: z.object({ id: z.string(), name: z.string(), sex: z.enum(['male', 'female']), birthDate: z.string() }),
  condition: ChronicCondition,
  lastDate: z.string().optional(),
  dueDate: z.string(),
  state: z.enum(['overdue', 'due', 'not_due']),
});

export const FollowUpHistory = z.object({
  items: z.array(FollowUpView),
  /** null: no kiosk readings are available for this resident (or the devices feature is not connected). */
  latestReadings: z.array(ReadingSummary).nullable(),
});

const TEAM = ['doctor', 'nurse'] as const;

export const followupsRoutes = {
  due: route({
    method: 'GET',
    path: '/v1/staff/followups/due',
    access: TEAM,
    query: z.object({ all: z.enum(['true', 'false']).optional() }),
    response: z.object({ items: z.array(DueFollowUp) }),
    summary: 'Follow-ups of my teams that are overdue or due within two weeks (all=true: every one)',
  }),
  record: route({ method: 'POST', path: '/v1/staff/followups', access: TEAM, body: RecordFollowUpRequest, response: FollowUpView, status: 201, idempotency: 'required', summary: 'Record a follow-up of a contracted resident' }),
  history: route({ method: 'GET', path: '/v1/staff/contracts/{contractId}/followups', access: TEAM, response: FollowUpHistory, summary: "A resident's follow-ups and latest kiosk readings (audited read)" }),
};
