/**
 * People on the account (就诊人). Other features call `requireOwnPatient(userId, patientId)`
 * before acting for a person: it answers 404 (never 403) for someone else's person, so ids
 * cannot be probed.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { isActive, localDate, maskIdCard, maskPhone, MAX_PATIENTS_PER_ACCOUNT, validateIdCard, type CreatePatientRequest, type PatientView, type UpdatePatientRequest } from '@hospital/shared';
import { conflict, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { consume } from '#lib/rate-limit';
import { listByAccount } from '../booking/store';
import { noteAccountTried } from '../identity/store';
import { requireConsent } from '../privacy/consent';
import * as store from './store';

export type { PatientItem } from './store';

export const patientView = (p: store.PatientItem): PatientView => ({
  id: p.patientId,
  name: p.name,
  relation: p.relation,
  phoneMasked: maskPhone(p.phone),
  idNumberMasked: maskIdCard(p.idNumber),
  sex: p.sex,
  birthDate: p.birthDate,
  // The 爽约 record is filed by ID number: only a verified person's account sees its date.
  ...(p.verification.state === 'verified' && p.bookingPausedUntil && p.bookingPausedUntil >= localDate() ? { bookingPausedUntil: p.bookingPausedUntil } : {}),
  verification: p.verification,
  createdAt: p.createdAt,
});

const NOT_FOUND_MESSAGE = '就诊人不存在';

/** The person, if they are on this account; 404 otherwise (also for malformed ids). */
export async function requireOwnPatient(userId: string, patientId: string): Promise<store.PatientItem> {
  const p = /^[\w-]{1,80}$/.test(patientId) ? await store.getPatient(patientId) : undefined;
  if (!p || p.userId !== userId) throw notFound(NOT_FOUND_MESSAGE);
  return p;
}

/** A person by id, for staff features that have already authorised the read (and audit it). */
export const getPatient = (patientId: string) => store.getPatient(patientId);

export async function list(userId: string) {
  const items = await store.listPatients(userId);
  items.sort((a, b) => (a.relation === 'self' ? -1 : b.relation === 'self' ? 1 : a.createdAt.localeCompare(b.createdAt)));
  return { items: items.map(patientView), max: MAX_PATIENTS_PER_ACCOUNT };
}

export async function create(userId: string, body: z.output<typeof CreatePatientRequest>): Promise<PatientView> {
  const id = validateIdCard(body.idNumber);
  // The schema validated it already; this narrows the type and yields birth date and sex.
  if (!id.ok) throw new Error('unreachable: ID number passed the schema');
  await requireConsent(userId, 'id_number');
  const key = store.personKey(id.idNumber);
  // Guessing ID numbers costs an account many tries: limit them, and flag a number many accounts add.
  await consume([
    { bucket: `patients-add:account:${userId}`, max: 10, windowSeconds: 86400 },
    { bucket: `patients-add:person:${key}`, max: 10, windowSeconds: 86400 },
  ], '添加就诊人过于频繁，请明天再试');
  await noteAccountTried(key, userId, maskIdCard(id.idNumber));
  const now = new Date().toISOString();
  const p: store.PatientItem = {
    patientId: `p-${randomUUID()}`,
    userId,
    name: body.name,
    relation: body.relation,
    phone: body.phone,
    idNumber: id.idNumber,
    sex: id.sex,
    birthDate: id.birthDate,
    verification: { state: 'unverified' },
    createdAt: now,
    updatedAt: now,
  };
  const outcome = await store.addPatient(p);
  if (outcome === 'limit') throw conflict('PATIENT_LIMIT', `每个账户最多添加${MAX_PATIENTS_PER_ACCOUNT}位就诊人`);
  if (outcome === 'duplicate') throw conflict('PATIENT_EXISTS', '该身份证号的就诊人已在您的账户中');
  logger.info('patient added', { user: userId, patient: p.patientId });
  return patientView(p);
}

export async function update(userId: string, patientId: string, body: z.output<typeof UpdatePatientRequest>): Promise<PatientView> {
  const current = await requireOwnPatient(userId, patientId);
  // A verified name is the one the card or FaceID proved: changing it is a correction request.
  if (body.name !== undefined && body.name !== current.name && current.verification.state === 'verified') {
    throw conflict('VERIFIED_NAME_LOCKED', '已实名的姓名不能直接修改，请在“我的-更正申请”中提交');
  }
  const p = await store.updatePatient(userId, patientId, body, new Date().toISOString());
  if (!p) throw notFound(NOT_FOUND_MESSAGE);
  return patientView(p);
}

export async function remove(userId: string, patientId: string) {
  const p = await requireOwnPatient(userId, patientId);
  const appointments = await listByAccount(userId);
  if (appointments.some((a) => a.patientId === patientId && isActive(a.status))) {
    throw conflict('PATIENT_HAS_APPOINTMENTS', '该就诊人还有未完成的预约，请先取消或完成就诊');
  }
  if (!(await store.removePatient(p))) throw notFound(NOT_FOUND_MESSAGE);
  logger.info('patient removed', { user: userId, patient: patientId });
  return { ok: true as const };
}
