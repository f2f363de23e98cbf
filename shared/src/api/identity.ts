/**
 * 实名认证 routes: how an account proves a person on it (face, SMS code to the phone on record,
 * guardian for a child, staff checking the ID card), and what staff see of flagged ID numbers.
 */
import * as z from 'zod';
import { route } from './contract';
import { GuardianRelationship, SMS_CODE, Verification, VerificationMethod } from '../identity';
import { PatientView } from './patients';

const PATIENT = ['patient'] as const;
/** Who checks an ID card in person: a nurse at a window, a station doctor, a kiosk operator (nurse), a cashier. */
export const IN_PERSON_VERIFIERS = ['nurse', 'doctor', 'cashier', 'admin'] as const;

const token = (what: string) => z.string().trim().regex(/^[\w-]{8,128}$/, `${what}无效`);

export const VerificationStatusView = z.object({
  patientId: z.string(),
  verification: Verification,
  /** Ways this account can still use for this person (a child: guardian or in person). */
  ways: z.array(VerificationMethod),
  /** Where an SMS code would go (the phone on record, masked); absent when none is on record. */
  smsPhoneMasked: z.string().optional(),
  /** Verified adults on this account who may act as guardian of a child. */
  guardians: z.array(z.object({ patientId: z.string(), name: z.string() })).optional(),
});
export type VerificationStatusView = z.infer<typeof VerificationStatusView>;

export const StartFaceRequest = z.object({
  /** Where the FaceID page sends the user back (the app's own page; checked against the H5 origin). */
  redirectUrl: z.string().url('返回地址无效').max(500).optional(),
});
export const FaceSessionView = z.object({ bizToken: z.string(), url: z.string(), expiresAt: z.string() });
export const ConfirmFaceRequest = z.object({ bizToken: token('核验编号') });

export const SmsSentView = z.object({ phoneMasked: z.string(), expiresAt: z.string(), resendAfter: z.string() });
export const ConfirmSmsRequest = z.object({ code: z.string().trim().regex(new RegExp(`^\\d{${SMS_CODE.length}}$`), `请输入${SMS_CODE.length}位验证码`) });

export const GuardianRequest = z.object({
  guardianPatientId: z.string().regex(/^[\w-]{1,80}$/, '监护人无效'),
  relationship: GuardianRelationship,
  /** PIPL Art 31: the guardian consents to processing the child's personal information. */
  consent: z.literal(true, { error: '请确认您是该儿童的监护人并同意处理其个人信息' }),
});

export const PersonCodeView = z.object({ code: z.string(), expiresAt: z.string() });

const personCode = z.string().trim().regex(/^\d{8}$/, '请输入8位就诊人核验码');
/** What staff see before checking the card: enough to compare, never the full number. */
export const PersonLookupView = z.object({
  name: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string(),
  idNumberMasked: z.string(),
  relation: z.string(),
  verification: Verification,
});
export const InPersonRequest = z.object({
  code: personCode,
  /** Typed from the card in the staff member's hand: must equal the person's number. */
  idNumber: z.string().trim().min(15, '请输入证件上的身份证号').max(18, '请输入证件上的身份证号'),
  place: z.string().trim().min(1, '请填写核验地点').max(60, '地点过长'),
  /** The organisation the window belongs to; needed only by staff of several organisations. */
  orgId: z.string().trim().min(1).max(120).optional(),
});
export const InPersonResult = z.object({ name: z.string(), verification: Verification });

export const IdentityFlagView = z.object({
  idNumberMasked: z.string(),
  accounts: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
});

export const identityRoutes = {
  status: route({ method: 'GET', path: '/v1/me/patients/{patientId}/verification', access: PATIENT, person: 'own', response: VerificationStatusView, summary: 'Is this person verified on my account, and how can I verify them?' }),
  startFace: route({ method: 'POST', path: '/v1/me/patients/{patientId}/verification/face', access: PATIENT, person: 'own', body: StartFaceRequest, response: FaceSessionView, status: 201, summary: 'Start FaceID (DetectAuth): the page to open' }),
  confirmFace: route({ method: 'POST', path: '/v1/me/patients/{patientId}/verification/face/confirm', access: PATIENT, person: 'own', body: ConfirmFaceRequest, response: PatientView, summary: 'The server fetches the FaceID result (GetDetectInfoEnhanced) and verifies the person on a match' }),
  sendSms: route({ method: 'POST', path: '/v1/me/patients/{patientId}/verification/sms', access: PATIENT, person: 'own', response: SmsSentView, status: 201, summary: 'Send a one-time code to the phone on record for this person (429 when too many)' }),
  confirmSms: route({ method: 'POST', path: '/v1/me/patients/{patientId}/verification/sms/confirm', access: PATIENT, person: 'own', body: ConfirmSmsRequest, response: PatientView, summary: 'Verify by the code (expires, single use, 5 wrong tries end it)' }),
  guardian: route({ method: 'POST', path: '/v1/me/patients/{patientId}/verification/guardian', access: PATIENT, person: 'own', body: GuardianRequest, response: PatientView, summary: 'A verified guardian on this account verifies a child under 14, with consent recorded' }),
  personCode: route({ method: 'POST', path: '/v1/me/patients/{patientId}/verification/code', access: PATIENT, person: 'own', response: PersonCodeView, status: 201, summary: 'A short-lived code to show at a window for in-person verification' }),
  staffLookup: route({ method: 'GET', path: '/v1/staff/person-verifications/{code}', access: IN_PERSON_VERIFIERS, response: PersonLookupView, summary: 'The person behind a code shown at the window (masked, to compare with the card)' }),
  staffVerify: route({ method: 'POST', path: '/v1/staff/person-verifications', access: IN_PERSON_VERIFIERS, body: InPersonRequest, response: InPersonResult, idempotency: 'optional', summary: 'Staff checked the ID card: the person is verified for that account (audited with staff and place)' }),
  staffFlags: route({ method: 'GET', path: '/v1/staff/identity-flags', access: ['platform_admin'], response: z.object({ items: z.array(IdentityFlagView) }), summary: 'ID numbers added on many accounts (possible guessing): the platform admin’s (audited), no organisation’s' }),
};
