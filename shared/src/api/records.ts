/**
 * The health record (健康档案), consent to share it, and the access trail. The record's summary
 * is what the emergency console and the video-visit doctor see.
 */
import * as z from 'zod';
import { route } from './contract';

const text = (max: number) => z.string().trim().min(1).max(max);

export const BloodType = z.enum(['A', 'B', 'AB', 'O', 'unknown']);
export const RhFactor = z.enum(['positive', 'negative', 'unknown']);

export const Allergy = z.object({
  substance: text(60),
  reaction: z.string().trim().max(120).optional(),
  severity: z.enum(['mild', 'moderate', 'severe']).optional(),
});
export const Condition = z.object({ name: text(60), since: z.string().max(20).optional() });
export const Medication = z.object({ name: text(60), dose: z.string().trim().max(60).optional(), frequency: z.string().trim().max(60).optional() });
export const EmergencyContact = z.object({
  name: text(30),
  relation: text(20),
  phone: z.string().regex(/^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, '请输入有效的手机号或座机号'),
});

/** What the patient (or their family) reports and may edit. */
export const SelfReportedRecord = z.object({
  bloodType: BloodType.default('unknown'),
  rh: RhFactor.default('unknown'),
  allergies: z.array(Allergy).max(30).default([]),
  conditions: z.array(Condition).max(30).default([]),
  medications: z.array(Medication).max(30).default([]),
  emergencyContacts: z.array(EmergencyContact).max(5).default([]),
  notes: z.string().trim().max(500).optional(),
});
export type SelfReportedRecord = z.infer<typeof SelfReportedRecord>;

/** An entry a doctor verified (a diagnosis, a confirmed allergy); the patient cannot edit it. */
export const VerifiedEntry = z.object({
  kind: z.enum(['allergy', 'condition', 'medication', 'bloodType']),
  value: text(120),
  detail: z.string().trim().max(300).optional(),
});
export const VerifiedEntryView = VerifiedEntry.extend({ id: z.string(), verifiedBy: z.string(), verifiedByName: z.string(), verifiedAt: z.string() });

export const HealthRecordView = SelfReportedRecord.extend({
  patientId: z.string(),
  verified: z.array(VerifiedEntryView),
  updatedAt: z.string().optional(),
});
export type HealthRecordView = z.infer<typeof HealthRecordView>;

/** Purposes a staff read may be made for. */
export const AccessPurpose = z.enum(['treatment', 'consultation', 'emergency', 'follow_up']);
export type AccessPurpose = z.infer<typeof AccessPurpose>;
export const AccessScope = z.enum(['record', 'reports', 'readings']);
export type AccessScope = z.infer<typeof AccessScope>;
export const ACCESS_PURPOSE_LABEL: Record<AccessPurpose, string> = { treatment: '诊疗', consultation: '会诊', emergency: '急救', follow_up: '复诊随访' };
export const ACCESS_SCOPE_LABEL: Record<AccessScope, string> = { record: '健康档案', reports: '检查检验报告', readings: '健康监测数据' };

export const ConsentRequest = z
  .object({
    patientId: z.string().min(1),
    grantee: z.discriminatedUnion('type', [
      z.object({ type: z.literal('doctor'), id: z.string().min(1) }),
      z.object({ type: z.literal('org'), id: z.string().min(1) }),
    ]),
    purpose: AccessPurpose,
    scopes: z.array(AccessScope).min(1).max(3),
    /** Whole days from now; a grant never lasts longer than a year. */
    days: z.number().int().min(1).max(365),
  });
export const ConsentView = z.object({
  id: z.string(),
  patientId: z.string(),
  grantee: z.object({ type: z.enum(['doctor', 'org']), id: z.string(), name: z.string().optional() }),
  purpose: AccessPurpose,
  scopes: z.array(AccessScope),
  validFrom: z.string(),
  validUntil: z.string(),
  revokedAt: z.string().optional(),
  active: z.boolean(),
});

export const AccessLogEntry = z.object({
  at: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  resource: z.string(),
  purpose: z.string(),
  outcome: z.enum(['allowed', 'refused']),
  basis: z.string().optional(),
});

/** A person who shared their data with me (or my organisation), for the doctor's list. */
export const SharedPatientView = z.object({
  grantId: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  sex: z.enum(['male', 'female']).optional(),
  birthDate: z.string().optional(),
  purpose: AccessPurpose,
  scopes: z.array(AccessScope),
  validUntil: z.string(),
  /** Granted to me by name, or to my organisation. */
  via: z.enum(['doctor', 'org']),
  source: z.enum(['consent', 'visit', 'emergency']),
});

const patientStaff = ['doctor', 'nurse', 'dispatcher'] as const;

export const recordsRoutes = {
  getRecord: route({ method: 'GET', path: '/v1/me/patients/{patientId}/record', access: ['patient'], person: 'verified', response: HealthRecordView, summary: 'A person on my account: their health record' }),
  putRecord: route({ method: 'PUT', path: '/v1/me/patients/{patientId}/record', access: ['patient'], person: 'verified', body: SelfReportedRecord, response: HealthRecordView, summary: 'Edit the self-reported part of the record' }),
  staffRecord: route({
    method: 'GET',
    path: '/v1/staff/patients/{patientId}/record',
    access: patientStaff,
    query: z.object({ purpose: AccessPurpose }),
    response: HealthRecordView,
    summary: 'A staff read of a record: needs a consent, an active visit or an emergency; always audited',
  }),
  addVerified: route({
    method: 'POST',
    path: '/v1/staff/patients/{patientId}/record/entries',
    access: ['doctor'],
    body: VerifiedEntry,
    response: HealthRecordView,
    status: 201,
    summary: 'A doctor adds a verified entry (needs the same access as a read)',
  }),
  grantConsent: route({ method: 'POST', path: '/v1/me/consents', access: ['patient'], person: 'verified', body: ConsentRequest, response: ConsentView, status: 201, idempotency: 'optional', summary: 'Share a person’s record/reports with a doctor or organisation for a purpose and period' }),
  listConsents: route({ method: 'GET', path: '/v1/me/consents', access: ['patient'], person: 'own', query: z.object({ patientId: z.string().min(1) }), response: z.object({ consents: z.array(ConsentView) }), summary: 'Grants for a person' }),
  revokeConsent: route({ method: 'POST', path: '/v1/me/consents/{consentId}/revoke', access: ['patient'], response: ConsentView, summary: 'Revoke a grant (takes effect at once)' }),
  sharedWithMe: route({
    method: 'GET',
    path: '/v1/staff/consents',
    access: ['doctor', 'nurse'],
    response: z.object({ items: z.array(SharedPatientView) }),
    summary: 'People whose consent (or an active visit) currently lets me read their data',
  }),
  accessLog: route({ method: 'GET', path: '/v1/me/patients/{patientId}/access-log', access: ['patient'], person: 'verified', response: z.object({ entries: z.array(AccessLogEntry) }), summary: 'Who looked at this person’s data' }),
};
