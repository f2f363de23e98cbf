/** People on the account (就诊人): the resident and family members they book and pay for. */
import * as z from 'zod';
import { route } from './contract';
import { MOBILE_PATTERN, validateIdCard } from '../idcard';
import { Verification } from '../identity';

export const MAX_PATIENTS_PER_ACCOUNT = 5;

export const Relation = z.enum(['self', 'spouse', 'child', 'parent', 'other']);
export type Relation = z.infer<typeof Relation>;
export const RELATION_LABEL: Record<Relation, string> = { self: '本人', spouse: '配偶', child: '子女', parent: '父母', other: '其他' };

const name = z
  .string()
  .trim()
  .min(1, '请填写姓名')
  .max(30, '姓名过长')
  .regex(/^[\p{L}·•.\s-]+$/u, '姓名只能包含文字、间隔号和空格');
const phone = z.string().trim().regex(MOBILE_PATTERN, '请填写11位手机号');

/** GB 11643 checksum and birth date, with the reason in the message. */
export const IdNumber = z.string().transform((v, ctx) => {
  const r = validateIdCard(v);
  if (r.ok) return r.idNumber;
  ctx.addIssue({ code: 'custom', message: r.message });
  return z.NEVER;
});

export const CreatePatientRequest = z.object({ name, relation: Relation, phone, idNumber: IdNumber });

/** The ID number is who the person is: to change it, remove the person and add them again. */
export const UpdatePatientRequest = z
  .object({ name: name.optional(), relation: Relation.optional(), phone: phone.optional() })
  .refine((b) => b.name !== undefined || b.relation !== undefined || b.phone !== undefined, { message: '至少修改一项' });

/** Never the full ID number or phone: `1101**********123X`, `138****5678`. */
export const PatientView = z.object({
  id: z.string(),
  name: z.string(),
  relation: Relation,
  phoneMasked: z.string(),
  idNumberMasked: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string(),
  /** 爽约 rule: online booking paused through this date. */
  bookingPausedUntil: z.string().optional(),
  /** 实名认证 on this account: until verified, data filed under the ID number stays hidden. */
  verification: Verification,
  createdAt: z.string(),
});
export type PatientView = z.infer<typeof PatientView>;

const PATIENT = ['patient'] as const;

export const patientsRoutes = {
  list: route({
    method: 'GET',
    path: '/v1/me/patients',
    access: PATIENT,
    response: z.object({ items: z.array(PatientView), max: z.number().int() }),
    summary: 'People on my account',
  }),
  create: route({
    method: 'POST',
    path: '/v1/me/patients',
    access: PATIENT,
    person: 'own',
    body: CreatePatientRequest,
    response: PatientView,
    status: 201,
    idempotency: 'optional',
    summary: 'Add a person (at most 5 per account)',
  }),
  update: route({ method: 'PATCH', path: '/v1/me/patients/{patientId}', access: PATIENT, person: 'own', body: UpdatePatientRequest, response: PatientView, summary: "Change a person's name, relation or phone" }),
  remove: route({
    method: 'DELETE',
    path: '/v1/me/patients/{patientId}',
    access: PATIENT, person: 'own',
    response: z.object({ ok: z.literal(true) }),
    summary: 'Remove a person (not while they hold an active appointment)',
  }),
};
