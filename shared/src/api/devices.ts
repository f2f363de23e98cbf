/**
 * Health kiosks (一体机): the registry (admin), binding a person (the patient scans the kiosk's
 * printed QR code and picks who is measured), the signed IoT webhook the kiosk pushes readings to,
 * reading them back (patient, staff with a grant), alerts, and readings nobody was bound for.
 */
import * as z from 'zod';
import { route } from './contract';
import { AccessPurpose } from './records';
import { Severity } from '../vitals';

const id = (what: string) => z.string().regex(/^[\w-]{1,64}$/, `${what}无效`);
const LoincCode = z.string().regex(/^\d{1,7}-\d$/, 'LOINC 编码格式应为 12345-6');
const Instant = z.iso.datetime({ offset: true, message: '时间须为带时区的 ISO-8601' });

export const ReadingView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  value: z.number().optional(),
  valueText: z.string().optional(),
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  unit: z.string().optional(),
  /** `165/102 mmHg`, `36.8 ℃`: as a person reads it. */
  display: z.string(),
  /** When measured (device clock) and when we received it. */
  effectiveAt: z.string(),
  receivedAt: z.string(),
  kioskId: z.string(),
  orgId: z.string(),
  severity: Severity,
  label: z.string(),
  /** Guideline behind the grade (CHN-HTN-2018, NEWS2, SPO2-90, CHN-T2DM-2020, …). */
  source: z.string().optional(),
  /** The panel (DiagnosticReport) this result belongs to: urine routine, blood count. */
  panel: z.string().optional(),
  /** An ECG waveform is stored outside the table; fetch it by the reading id. */
  hasWaveform: z.boolean().optional(),
  /** Critical: the app offers the emergency call. */
  emergency: z.boolean(),
});
export type ReadingView = z.infer<typeof ReadingView>;

export const AlertView = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  readingId: z.string(),
  code: z.string(),
  name: z.string(),
  display: z.string(),
  severity: Severity,
  label: z.string(),
  source: z.string().optional(),
  at: z.string(),
  kioskId: z.string(),
  orgId: z.string(),
  emergency: z.boolean(),
});
export type AlertView = z.infer<typeof AlertView>;

export const KioskSecretInfo = z.object({ id: z.string(), createdAt: z.string() });
export const KioskView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  label: z.string(),
  qrCode: z.string(),
  qrUrl: z.string(),
  /** The active secrets (at most two, during a rotation); their values are shown once. */
  secrets: z.array(KioskSecretInfo),
  createdAt: z.string(),
});
export type KioskView = z.infer<typeof KioskView>;
export const KioskWithSecret = z.object({
  kiosk: KioskView,
  /** Shown once: configure it on the kiosk. */
  secret: z.object({ id: z.string(), value: z.string() }),
});

export const CreateKioskRequest = z.object({
  kioskId: id('一体机编号').optional(),
  orgId: id('机构编号'),
  label: z.string().trim().min(1, '请填写名称').max(60),
});

/**
 * Binding a person to a public kiosk proves presence: the kiosk shows a short one-time code that
 * rotates (it fetches it by a signed request, the same HMAC as its pushes); whoever binds must type
 * it. A binding lasts one measurement session and may be renewed a fixed number of times, never
 * more; a binding made with a fresh code replaces whoever was bound before (the person standing at
 * the kiosk now wins), and binding at another kiosk ends the account's binding here.
 */
export const KIOSK_CODE_DIGITS = 6;
/** How long a code shown on the kiosk stays valid (it is also used up by one binding). */
export const KIOSK_CODE_SECONDS = 120;
/** The kiosk asks for a new code once the one it shows has less than this left. */
export const KIOSK_CODE_REFRESH_SECONDS = 30;
/** Wrong codes a kiosk's current code survives; then it is replaced (guessing gets nowhere). */
export const KIOSK_CODE_MAX_TRIES = 5;
/** Renewals of one binding (each adds a measurement session from now); then bind again with a new code. */
export const KIOSK_MAX_RENEWALS = 2;
export const KioskCode = z.string().trim().regex(new RegExp(`^\\d{${KIOSK_CODE_DIGITS}}$`), `请输入一体机屏幕上显示的${KIOSK_CODE_DIGITS}位验证码`);

export const KioskSessionView = z.object({
  kioskId: z.string(),
  label: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  /** none: free; mine: bound to a person on my account; busy: someone else is being measured. */
  state: z.enum(['none', 'mine', 'busy']),
  patientId: z.string().optional(),
  patientName: z.string().optional(),
  openedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  /** Mine: renewals used and left of this binding. */
  renewals: z.number().int().optional(),
  renewalsLeft: z.number().int().optional(),
});
export type KioskSessionView = z.infer<typeof KioskSessionView>;

/** What the kiosk shows on its screen: the code to type (and a QR of the same), whether someone is bound. */
export const KioskCodeView = z.object({
  kioskId: z.string(),
  code: z.string(),
  expiresAt: z.string(),
  /** Ask again after this many seconds (before the code runs out). */
  refreshInSeconds: z.number().int(),
  /** The kiosk's page with the code filled in: show it as a QR next to the digits. */
  qrUrl: z.string(),
  /** Whether a person is bound now (never who), and until when. */
  bound: z.boolean(),
  boundUntil: z.string().optional(),
});
export type KioskCodeView = z.infer<typeof KioskCodeView>;

export const KioskPushResult = z.object({
  bundleId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
  readings: z.number().int(),
  /** Whether a person was bound at the kiosk; unassigned readings wait for staff. */
  assigned: z.boolean(),
  alerts: z.number().int(),
});
export type KioskPushResult = z.infer<typeof KioskPushResult>;

export const ReadingsQuery = z
  .object({
    code: LoincCode.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from 不能晚于 to', path: ['from'] });

export const UnassignedPushView = z.object({
  id: z.string(),
  kioskId: z.string(),
  kioskLabel: z.string(),
  orgId: z.string(),
  receivedAt: z.string(),
  readings: z.array(ReadingView),
});
export type UnassignedPushView = z.infer<typeof UnassignedPushView>;

/** Staff identify the person by ID number, with the name as a check against a typo. */
export const AssignRequest = z.object({
  idNumber: z.string().trim().min(15, '请填写身份证号').max(18, '身份证号过长'),
  name: z.string().trim().min(1, '请填写姓名').max(30),
});

export const Waveform = z.object({
  readingId: z.string(),
  /** Milliseconds between samples, scale and origin as in FHIR SampledData. */
  periodMs: z.number(),
  factor: z.number(),
  origin: z.number(),
  unit: z.string(),
  leads: z.array(z.object({ name: z.string(), samples: z.array(z.number()) })),
});

const staff = ['doctor', 'nurse'] as const;
const patientReadings = '/v1/me/patients/{patientId}/readings' as const;

export const devicesRoutes = {
  ingest: route({
    method: 'POST',
    path: '/v1/iot/readings',
    access: 'signature',
    rawBody: true,
    response: KioskPushResult,
    status: 202,
    summary: 'A kiosk pushes a FHIR R4 transaction Bundle (application/fhir+json) or an HL7 v2 ORU^R01, HMAC-signed',
  }),
  createKiosk: route({ method: 'POST', path: '/v1/kiosks', access: ['admin'], body: CreateKioskRequest, response: KioskWithSecret, status: 201, idempotency: 'optional', summary: 'Register a kiosk: its secret and printed QR code' }),
  listKiosks: route({ method: 'GET', path: '/v1/kiosks', access: ['admin'], query: z.object({ orgId: id('机构编号').optional() }), response: z.object({ items: z.array(KioskView) }), summary: 'Kiosks (of the admin’s organisation)' }),
  rotateSecret: route({ method: 'POST', path: '/v1/kiosks/{kioskId}/secrets', access: ['admin'], response: KioskWithSecret, status: 201, summary: 'A new secret; the previous one stays valid until the next rotation' }),
  kioskCode: route({
    method: 'POST',
    path: '/v1/iot/kiosk-code',
    access: 'signature',
    rawBody: true,
    response: KioskCodeView,
    summary: 'The kiosk fetches the one-time code it shows (signed like its pushes; the same code until it is used or nearly expired)',
  }),
  kioskSession: route({ method: 'GET', path: '/v1/kiosks/{kioskId}/session', access: ['patient'], response: KioskSessionView, summary: 'Is this kiosk free, bound to my person, or busy?' }),
  openSession: route({
    method: 'POST',
    path: '/v1/kiosks/{kioskId}/session',
    access: ['patient'],
    person: 'own',
    body: z.object({ patientId: id('就诊人'), code: KioskCode }),
    response: KioskSessionView,
    idempotency: 'optional',
    // Per account, and per kiosk whoever tries: guessing the code the kiosk shows takes far more
    // tries than 30 in 5 minutes (someone flooding one kiosk can block binding there for 5 minutes;
    // staff still assign readings on 一体机测量与预警).
    rateLimit: {
      rules: [
        { per: 'account', max: 10, windowSeconds: 60 },
        { per: 'params.kioskId', max: 30, windowSeconds: 300 },
      ],
      message: '绑定尝试过于频繁，请稍后再试',
    },
    summary: 'Bind a person on my account to the kiosk for one measurement session, with the code the kiosk shows (proves presence)',
  }),
  renewSession: route({
    method: 'POST',
    path: '/v1/kiosks/{kioskId}/session/renew',
    access: ['patient'],
    response: KioskSessionView,
    summary: 'One more measurement session from now, while my binding is open (at most KIOSK_MAX_RENEWALS times)',
  }),
  endSession: route({ method: 'POST', path: '/v1/kiosks/{kioskId}/session/end', access: ['patient'], response: KioskSessionView, summary: 'Done measuring: free the kiosk' }),
  readings: route({ method: 'GET', path: patientReadings, access: ['patient'], person: 'verified', query: ReadingsQuery, response: z.object({ items: z.array(ReadingView) }), summary: 'A person’s readings, oldest first (by sign and period)' }),
  latest: route({ method: 'GET', path: `${patientReadings}/latest`, access: ['patient'], person: 'verified', response: z.object({ items: z.array(ReadingView) }), summary: 'The latest value of each sign' }),
  waveform: route({ method: 'GET', path: `${patientReadings}/{readingId}/waveform`, access: ['patient'], person: 'verified', response: Waveform, summary: 'An ECG reading’s waveform' }),
  alerts: route({ method: 'GET', path: '/v1/me/patients/{patientId}/alerts', access: ['patient'], person: 'verified', response: z.object({ items: z.array(AlertView) }), summary: 'A person’s alerts, newest first' }),
  staffReadings: route({
    method: 'GET',
    path: '/v1/staff/patients/{patientId}/readings',
    access: staff,
    query: z.intersection(ReadingsQuery, z.object({ purpose: AccessPurpose })),
    response: z.object({ items: z.array(ReadingView) }),
    summary: 'A staff read of a person’s readings: needs a grant; always audited',
  }),
  staffAlerts: route({ method: 'GET', path: '/v1/staff/alerts', access: staff, response: z.object({ items: z.array(AlertView) }), summary: 'Alerts from my organisation’s kiosks (audited per person)' }),
  unassigned: route({ method: 'GET', path: '/v1/staff/readings/unassigned', access: staff, response: z.object({ items: z.array(UnassignedPushView) }), summary: 'Readings pushed with nobody bound, at my organisation’s kiosks' }),
  assign: route({
    method: 'POST',
    path: '/v1/staff/readings/unassigned/{pushId}/assign',
    access: staff,
    body: AssignRequest,
    response: z.object({ pushId: z.string(), readings: z.number().int(), people: z.number().int() }),
    summary: 'Give an unassigned push to the person it belongs to',
  }),
};
