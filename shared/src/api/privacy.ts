/**
 * PIPL on the account: the accepted agreement and policy, separate consents for sensitive
 * information (revocable under 授权管理), and the person's rights: export, correction, deletion.
 */
import * as z from 'zod';
import { route } from './contract';
import { ConsentPurpose, CorrectionField } from '../privacy';

const PATIENT = ['patient'] as const;

export const PrivacyView = z.object({
  /** The versions the app must show; `accepted` is null or older when it must ask again. */
  current: z.object({ agreement: z.string(), privacy: z.string() }),
  accepted: z.object({ agreement: z.string(), privacy: z.string(), at: z.string() }).nullable(),
  consents: z.array(z.object({ purpose: ConsentPurpose, granted: z.boolean(), at: z.string() })),
});
export type PrivacyView = z.infer<typeof PrivacyView>;

export const AcceptAgreementRequest = z.object({
  agreementVersion: z.string().trim().min(1).max(20),
  privacyVersion: z.string().trim().min(1).max(20),
});
export const ConsentChange = z.object({ granted: z.boolean() });

export const CorrectionRequest = z.object({
  patientId: z.string().regex(/^[\w-]{1,80}$/, '就诊人无效'),
  field: CorrectionField,
  /** What is wrong and what it should say. */
  detail: z.string().trim().min(2, '请说明需要更正的内容').max(500, '内容过长'),
});
export const CorrectionView = z.object({
  id: z.string(),
  patientId: z.string(),
  field: CorrectionField,
  detail: z.string(),
  status: z.enum(['submitted', 'done', 'rejected']),
  createdAt: z.string(),
});

export const DeleteAccountRequest = z.object({ confirm: z.literal('注销', { error: '请输入“注销”确认' }) });
export const DeletionView = z.object({
  deleted: z.literal(true),
  peopleUnlinked: z.number().int(),
  kept: z.array(z.object({ what: z.string(), years: z.number().int(), basis: z.string() })),
});

/** A FHIR R4 Bundle (type collection): Patient, DiagnosticReport, Observation, Appointment of my verified people. */
export const ExportBundle = z.object({ resourceType: z.literal('Bundle'), type: z.literal('collection'), timestamp: z.string(), entry: z.array(z.object({ fullUrl: z.string().optional(), resource: z.record(z.string(), z.unknown()) })) });

export const privacyRoutes = {
  get: route({ method: 'GET', path: '/v1/me/privacy', access: PATIENT, response: PrivacyView, summary: 'Accepted agreement/policy versions and my sensitive-information consents' }),
  accept: route({ method: 'POST', path: '/v1/me/privacy/agreement', access: PATIENT, body: AcceptAgreementRequest, response: PrivacyView, summary: 'Accept the user agreement and privacy policy (versions must be current)' }),
  consent: route({ method: 'PUT', path: '/v1/me/privacy/consents/{purpose}', access: PATIENT, body: ConsentChange, response: PrivacyView, summary: 'Grant or revoke a separate consent (health data, ID numbers, precise location)' }),
  exportData: route({
    method: 'GET',
    path: '/v1/me/export',
    access: PATIENT,
    person: 'verified',
    response: ExportBundle,
    // A read, but a heavy one (every record of every verified person).
    rateLimit: { rules: [{ per: 'account', max: 10, windowSeconds: 3600 }], message: '导出过于频繁，请稍后再试' },
    summary: 'My data as a FHIR bundle (verified people only)',
  }),
  requestCorrection: route({ method: 'POST', path: '/v1/me/corrections', access: PATIENT, person: 'own', body: CorrectionRequest, response: CorrectionView, status: 201, idempotency: 'optional', summary: 'Ask the hospital to correct a person’s information' }),
  corrections: route({ method: 'GET', path: '/v1/me/corrections', access: PATIENT, response: z.object({ items: z.array(CorrectionView) }), summary: 'My correction requests' }),
  deleteAccount: route({ method: 'POST', path: '/v1/me/account/deletion', access: PATIENT, body: DeleteAccountRequest, response: DeletionView, summary: 'Delete my account and unlink my people; medical records stay with the hospital for their retention period' }),
};
