/**
 * 实名认证: the ways an account proves a person on it. Every way ends in one conditional write of
 * the person's `verification` (patients store); the server always confirms with the provider or
 * the staff member, never trusts the client. Codes and ID numbers never reach a log line.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type * as z from 'zod';
import {
  ageOn, FACE_FAILURE_MESSAGE, IN_PERSON_VERIFIERS, localDate, maskIdCard, maskPhone, needsGuardian, PERSON_CODE, RELATION_LABEL, SMS_CODE, verificationWays,
  type ConfirmFaceRequest, type GuardianRequest, type InPersonRequest, type Verification,
} from '@hospital/shared';
import { orgForWrite, orgsWithRole } from '#lib/authority';
import { config } from '#lib/config';
import { conflict, forbidden, HttpError, invalidField, notFound, rateLimited } from '#lib/errors';
import { keyedDigest } from '#lib/identity-keys';
import { logger } from '#lib/logger';
import { isProviderError } from '#lib/providers/errors';
import { faceVerifier } from '#lib/providers/faceid';
import { smsSender } from '#lib/providers/sms';
import { consume } from '#lib/rate-limit';
import type { Principal } from '#lib/tokens';
import { listPatients, personKey, setVerification, type PatientItem } from '../patients/store';
import { patientView, requireOwnPatient } from '../patients/service';
import { putAudit } from '../records/store';
import { isVerified } from './access';
import * as store from './store';

const HOUR = 3600;
const DAY = 86400;
/** FaceID BizTokens live 7200 s at the provider; ours expire with them. */
const FACE_SESSION_SECONDS = 7200;

const limits = {
  attempt: (userId: string, p: PatientItem) => [
    { bucket: `idv:account:${userId}`, max: 20, windowSeconds: HOUR },
    { bucket: `idv:person:${personKey(p.idNumber)}`, max: 20, windowSeconds: HOUR },
  ],
  sms: (userId: string, p: PatientItem, phone: string) => [
    { bucket: `sms:account:${userId}`, max: 5, windowSeconds: HOUR },
    { bucket: `sms:person:${personKey(p.idNumber)}`, max: 5, windowSeconds: HOUR },
    { bucket: `sms:phone:${keyedDigest('phone', phone)}`, max: 5, windowSeconds: HOUR },
    { bucket: `sms:phone-day:${keyedDigest('phone', phone)}`, max: 10, windowSeconds: DAY },
  ],
};

async function unverifiedAdult(userId: string, patientId: string): Promise<PatientItem> {
  const p = await requireOwnPatient(userId, patientId);
  if (isVerified(p)) throw conflict('ALREADY_VERIFIED', `${p.name}已完成实名认证`);
  if (needsGuardian(p.birthDate, localDate())) throw conflict('GUARDIAN_REQUIRED', '未满14周岁的就诊人须由已实名的监护人认证，或到窗口核验');
  return p;
}

const upstream = (e: unknown): never => {
  if (isProviderError(e, 'UNAVAILABLE')) throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', '认证服务暂时不可用，请稍后重试或到窗口核验');
  throw e;
};

/** The person verified themself (face, window): their own phone becomes the one on record. */
async function afterVerified(p: PatientItem) {
  const method = p.verification.state === 'verified' ? p.verification.method : undefined;
  if (p.relation === 'self' && (method === 'face' || method === 'in_person')) await store.recordPhone(personKey(p.idNumber), p.phone, 'self_verified');
  logger.info('person verified', { user: p.userId, patient: p.patientId, method });
}

async function verify(p: PatientItem, v: Extract<Verification, { state: 'verified' }>) {
  const done = await setVerification(p.userId, p.patientId, v);
  if (!done) throw notFound('就诊人不存在');
  await afterVerified(done);
  return patientView(done);
}

export async function status(userId: string, patientId: string) {
  const p = await requireOwnPatient(userId, patientId);
  const phone = await store.phoneOnRecord(personKey(p.idNumber));
  const child = needsGuardian(p.birthDate, localDate());
  const guardians = child
    ? (await listPatients(userId)).filter((g) => isVerified(g) && ageOn(g.birthDate, localDate()) >= 18).map((g) => ({ patientId: g.patientId, name: g.name }))
    : undefined;
  return {
    patientId,
    verification: p.verification,
    ways: isVerified(p) ? [] : verificationWays({ birthDate: p.birthDate, hasPhoneOnRecord: Boolean(phone) }, localDate()),
    ...(phone && !child ? { smsPhoneMasked: maskPhone(phone) } : {}),
    ...(guardians ? { guardians } : {}),
  };
}

// ── face (Tencent Cloud FaceID) ──
export async function startFace(userId: string, patientId: string, redirectUrl?: string) {
  const p = await unverifiedAdult(userId, patientId);
  const back = redirectUrl ?? `${config.h5Origin}/packages/identity/pages/verify/index?patientId=${encodeURIComponent(patientId)}`;
  if (!back.startsWith(`${config.h5Origin}/`)) throw invalidField('body.redirectUrl', '返回地址须为本应用的页面');
  await consume(limits.attempt(userId, p), '认证尝试过于频繁，请稍后再试');
  const started = await faceVerifier().start({ name: p.name, idNumber: p.idNumber, redirectUrl: back, extra: patientId }).catch(upstream);
  const createdAt = new Date().toISOString();
  await store.putFaceSession({ bizToken: started.bizToken, userId, patientId, createdAt }, FACE_SESSION_SECONDS);
  return { bizToken: started.bizToken, url: started.url, expiresAt: new Date(Date.now() + FACE_SESSION_SECONDS * 1000).toISOString() };
}

export async function confirmFace(userId: string, patientId: string, body: z.output<typeof ConfirmFaceRequest>) {
  const session = await store.getFaceSession(body.bizToken);
  // A token made for another account or person is not theirs to use: the same answer as none.
  if (!session || session.userId !== userId || session.patientId !== patientId) throw notFound('没有这次人脸核验，请重新发起');
  if (session.usedAt) throw conflict('FACE_TOKEN_USED', '这次人脸核验已使用过，请重新发起');
  const p = await unverifiedAdult(userId, patientId);
  await consume(limits.attempt(userId, p), '认证尝试过于频繁，请稍后再试');
  const r = await faceVerifier().result(body.bizToken).catch(upstream);
  // FACE_PENDING (not finished yet), FACE_EXPIRED, FACE_FAIL (liveness or photo comparison failed).
  if (r.status !== 'pass') throw conflict(`FACE_${r.status.toUpperCase()}`, FACE_FAILURE_MESSAGE[r.status]);
  if (r.name !== p.name || r.idNumber.toUpperCase() !== p.idNumber.toUpperCase()) throw conflict('FACE_MISMATCH', FACE_FAILURE_MESSAGE.mismatch);
  const at = new Date().toISOString();
  if (!(await store.useFaceSession(body.bizToken, at))) throw conflict('FACE_TOKEN_USED', '这次人脸核验已使用过，请重新发起');
  return verify(p, { state: 'verified', method: 'face', at, by: userId, evidenceRef: `faceid:${body.bizToken}` });
}

// ── SMS code to the phone on record ──
const digest = (patientId: string, code: string) => keyedDigest('sms-code', `${patientId}:${code}`);
const sameDigest = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function sendSms(userId: string, patientId: string) {
  const p = await unverifiedAdult(userId, patientId);
  const phone = await store.phoneOnRecord(personKey(p.idNumber));
  if (!phone) throw conflict('NO_PHONE_ON_RECORD', '医院没有该就诊人本人登记的手机号，请使用人脸识别或到窗口核验');
  const live = await store.getSmsCode(patientId);
  const now = Date.now();
  if (live && live.userId === userId) {
    const wait = Date.parse(live.sentAt) / 1000 + SMS_CODE.resendAfterSeconds - now / 1000;
    if (wait > 0) throw rateLimited('验证码已发送，请稍后再重新获取', wait);
  }
  await consume(limits.sms(userId, p, phone), '验证码发送过于频繁，请稍后再试');
  const code = String(randomInt(0, 10 ** SMS_CODE.length)).padStart(SMS_CODE.length, '0');
  const sent = await smsSender().send({ phone, templateParams: [code, String(SMS_CODE.ttlSeconds / 60)] }).catch((e: unknown) => {
    if (isProviderError(e, 'REJECTED') && e.providerCode?.startsWith('LimitExceeded')) throw rateLimited('该手机号今日接收验证码次数已达上限，请明天再试或到窗口核验', 3600);
    return upstream(e);
  });
  const sentAt = new Date(now).toISOString();
  const expiresAt = Math.floor(now / 1000) + SMS_CODE.ttlSeconds;
  await store.putSmsCode(patientId, { userId, codeDigest: digest(patientId, code), serialNo: sent.serialNo, sentAt, expiresAt, attempts: 0 });
  return { phoneMasked: maskPhone(phone), expiresAt: new Date(expiresAt * 1000).toISOString(), resendAfter: new Date(now + SMS_CODE.resendAfterSeconds * 1000).toISOString() };
}

const codeGone = () => new HttpError(400, 'SMS_CODE_EXPIRED', '验证码已失效，请重新获取', [{ path: 'body.code', message: '验证码已失效，请重新获取' }]);

export async function confirmSms(userId: string, patientId: string, code: string) {
  const p = await unverifiedAdult(userId, patientId);
  await consume(limits.attempt(userId, p), '认证尝试过于频繁，请稍后再试');
  const live = await store.getSmsCode(patientId);
  const nowS = Math.floor(Date.now() / 1000);
  if (!live || live.userId !== userId || live.expiresAt <= nowS) throw codeGone();
  if (live.attempts >= SMS_CODE.maxAttempts) throw conflict('SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取');
  if (!sameDigest(digest(patientId, code), live.codeDigest)) {
    const tries = await store.countWrongTry(patientId, live.codeDigest, SMS_CODE.maxAttempts);
    if (tries === undefined || tries >= SMS_CODE.maxAttempts) throw conflict('SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取');
    const left = SMS_CODE.maxAttempts - tries;
    throw new HttpError(400, 'SMS_CODE_WRONG', `验证码不正确，还可尝试${left}次`, [{ path: 'body.code', message: `验证码不正确，还可尝试${left}次` }]);
  }
  if (!(await store.useSmsCode(patientId, live.codeDigest, SMS_CODE.maxAttempts, nowS))) throw codeGone();
  return verify(p, { state: 'verified', method: 'sms', at: new Date().toISOString(), by: userId, evidenceRef: `sms:${live.serialNo}` });
}

// ── a guardian for a child under 14 (PIPL Art 31) ──
export async function guardian(userId: string, patientId: string, body: z.output<typeof GuardianRequest>) {
  const child = await requireOwnPatient(userId, patientId);
  if (isVerified(child)) throw conflict('ALREADY_VERIFIED', `${child.name}已完成实名认证`);
  if (!needsGuardian(child.birthDate, localDate())) throw conflict('NOT_A_CHILD', '年满14周岁的就诊人请使用人脸识别、短信验证码或到窗口核验');
  const g = await requireOwnPatient(userId, body.guardianPatientId).catch(() => {
    throw invalidField('body.guardianPatientId', '监护人须是本账户中的就诊人');
  });
  if (!isVerified(g) || ageOn(g.birthDate, localDate()) < 18) throw conflict('GUARDIAN_NOT_VERIFIED', '监护人须为已实名认证的成年人');
  const at = new Date().toISOString();
  await store.putGuardianConsent(patientId, { userId, guardianPatientId: g.patientId, relationship: body.relationship, consentAt: at });
  return verify(child, { state: 'verified', method: 'guardian', at, by: userId, evidenceRef: `guardian:${g.patientId}:${body.relationship}` });
}

// ── in person: a code shown at the window, the card in the staff member's hand ──
export async function personCode(userId: string, patientId: string) {
  const p = await requireOwnPatient(userId, patientId);
  if (isVerified(p)) throw conflict('ALREADY_VERIFIED', `${p.name}已完成实名认证`);
  await consume([{ bucket: `idv-code:account:${userId}`, max: 10, windowSeconds: HOUR }]);
  const expiresAt = Math.floor(Date.now() / 1000) + PERSON_CODE.ttlSeconds;
  for (let i = 0; i < 5; i++) {
    const code = String(randomInt(10 ** (PERSON_CODE.length - 1), 10 ** PERSON_CODE.length));
    if (await store.putPersonCode({ code, userId, patientId, expiresAt })) return { code, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }
  throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', '请稍后重试');
}

/** The organisation a window check is done for: staff of several name it (body.orgId). */
function staffOrg(principal: Principal, requested?: string): string {
  if (!orgsWithRole(principal, ...IN_PERSON_VERIFIERS).length) throw forbidden('现场核验须由所属医疗机构的工作人员办理');
  return orgForWrite(principal, IN_PERSON_VERIFIERS, requested, 'body.orgId', '您不是该机构的工作人员');
}

async function personBehind(principal: Principal, code: string) {
  await consume([{ bucket: `idv-staff:${principal.userId}`, max: 60, windowSeconds: HOUR }], '核验操作过于频繁，请稍后再试');
  const c = /^\d{8}$/.test(code) ? await store.getPersonCode(code) : undefined;
  const p = c && (await requireOwnPatient(c.userId, c.patientId).catch(() => undefined));
  if (!c || !p) throw notFound('核验码无效或已过期，请让就诊人重新生成');
  return { c, p };
}

const audit = (principal: Principal, p: PatientItem, resource: string, outcome: 'allowed' | 'refused', basis?: string) =>
  putAudit({ patientId: p.patientId, at: new Date().toISOString(), actorId: principal.userId, actorName: principal.name, actorRole: principal.roles.join(','), resource, purpose: 'identity_verification', outcome, basis });

export async function staffLookup(principal: Principal, code: string) {
  if (!orgsWithRole(principal, ...IN_PERSON_VERIFIERS).length) throw forbidden('现场核验须由所属医疗机构的工作人员办理');
  const { p } = await personBehind(principal, code);
  await audit(principal, p, 'identity:lookup', 'allowed');
  return { name: p.name, sex: p.sex, birthDate: p.birthDate, idNumberMasked: maskIdCard(p.idNumber), relation: RELATION_LABEL[p.relation], verification: p.verification };
}

export async function staffVerify(principal: Principal, body: z.output<typeof InPersonRequest>) {
  const orgId = staffOrg(principal, body.orgId);
  const { c, p } = await personBehind(principal, body.code);
  if (body.idNumber.toUpperCase() !== p.idNumber.toUpperCase()) {
    await audit(principal, p, 'identity:in_person', 'refused', `${orgId}:${body.place}`);
    throw conflict('ID_MISMATCH', '证件号码与就诊人登记的不一致，请核对证件');
  }
  const view = isVerified(p)
    ? patientView(p)
    : await verify(p, { state: 'verified', method: 'in_person', at: new Date().toISOString(), by: principal.userId, evidenceRef: `${orgId}:${body.place}`, orgId, place: body.place });
  await store.deletePersonCode(c.code);
  await audit(principal, p, 'identity:in_person', 'allowed', `${orgId}:${body.place}`);
  return { name: p.name, verification: view.verification };
}

export const flags = async () => ({ items: (await store.listFlags()).map(({ idMasked, ...f }) => ({ idNumberMasked: idMasked, ...f })) });
