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
import { listByAccount } from '../booking/store';
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
  ...(p.bookingPausedUntil && p.bookingPausedUntil >= localDate() ? { bookingPausedUntil: p.bookingPausedUntil } : {}),
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
  await requireOwnPatient(userId, patientId);
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
