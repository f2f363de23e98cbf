/**
 * 实名认证: who a person (就诊人) on an account is proven to be, and the rule every feature reads.
 * An account sees data filed under a person's ID number (reports, bills, admissions, the health
 * record, FHIR export, kiosk history, contract lock, no-show record, supervision roles) only for
 * people it has verified. A person verified on one account is still unverified on another.
 */
import * as z from 'zod';
import { ageOn } from './idcard';

/**
 * face: Tencent Cloud FaceID against the national ID photo; sms: a code to the phone on record for
 * the person (never the phone the account typed); guardian: a verified guardian for a child under
 * 14 (PIPL Art 31); in_person: staff checked the ID card at a window, station or kiosk.
 */
export const VerificationMethod = z.enum(['face', 'sms', 'guardian', 'in_person']);
export type VerificationMethod = z.infer<typeof VerificationMethod>;

export const VERIFICATION_METHOD_LABEL: Record<VerificationMethod, string> = {
  face: '人脸识别',
  sms: '短信验证码',
  guardian: '监护人认证',
  in_person: '窗口/工作站现场核验',
};

export const Verification = z.discriminatedUnion('state', [
  z.object({ state: z.literal('unverified') }),
  z.object({
    state: z.literal('verified'),
    method: VerificationMethod,
    at: z.string(),
    /** The account that proved them (face, sms, guardian) or the staff member (in_person). */
    by: z.string(),
    /** The provider's reference (FaceID BizToken, SMS serial), the guardian's person id, or the staff place. */
    evidenceRef: z.string(),
    /** in_person: the organisation and place where the card was checked. */
    orgId: z.string().optional(),
    place: z.string().optional(),
  }),
]);
export type Verification = z.infer<typeof Verification>;

/** Under 14 a person's data is a guardian's to consent to (PIPL Art 31): only guardian or in-person verification. */
export const GUARDIAN_AGE = 14;
export const needsGuardian = (birthDate: string, today = new Date().toISOString().slice(0, 10)) => ageOn(birthDate, today) < GUARDIAN_AGE;

/** The ways an account can verify this person, in the order the app offers them. */
export function verificationWays(p: { birthDate: string; hasPhoneOnRecord: boolean }, today?: string): VerificationMethod[] {
  if (needsGuardian(p.birthDate, today)) return ['guardian', 'in_person'];
  return p.hasPhoneOnRecord ? ['face', 'sms', 'in_person'] : ['face', 'in_person'];
}

export const GuardianRelationship = z.enum(['parent', 'legal_guardian']);
export type GuardianRelationship = z.infer<typeof GuardianRelationship>;
export const GUARDIAN_RELATIONSHIP_LABEL: Record<GuardianRelationship, string> = { parent: '父母', legal_guardian: '其他法定监护人' };

/** SMS one-time codes: 6 digits, 5 minutes, used once, 5 wrong tries end the code. */
export const SMS_CODE = { length: 6, ttlSeconds: 300, maxAttempts: 5, resendAfterSeconds: 60 } as const;
/** A person code shown at a window for in-person verification: 8 digits, 10 minutes. */
export const PERSON_CODE = { length: 8, ttlSeconds: 600 } as const;
/** One ID number added on this many different accounts is flagged for staff. */
export const ID_NUMBER_FLAG_ACCOUNTS = 3;

/** Reasons a face result is refused, as the app words them. */
export const FACE_FAILURE_MESSAGE = {
  fail: '人脸核验未通过，请在光线充足处正对镜头重试，或改用其他方式',
  mismatch: '人脸核验的姓名或身份证号与该就诊人不一致',
  pending: '人脸核验尚未完成，请完成后再试',
  expired: '本次人脸核验已过期，请重新发起',
} as const;
