/**
 * Video visits (视频问诊), remote consultations (远程会诊), visit notes, e-prescriptions (电子处方)
 * and doctor's orders (医嘱). Joining a visit gives an Agora RTC token for that visit's channel,
 * to a participant, inside the visit's window only.
 */
import * as z from 'zod';
import { route } from './contract';
import { UserView } from './auth';
import { Session } from '../schedule';
import {
  DrugFrequency,
  DrugRoute,
  PRESCRIPTION_MAX_DAYS,
  PrescriptionStatus,
  VisitKind,
  VisitStatus,
} from '../visit';

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);
const instant = z.iso.datetime({ offset: true, message: '时间须为带时区的 ISO-8601，如 2025-06-01T08:00:00+08:00' });
const text = (max: number, what: string) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过${max}字`);
const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what}不能超过${max}字`).optional();

export const ParticipantRole = z.enum(['patient', 'host', 'specialist']);
export type ParticipantRole = z.infer<typeof ParticipantRole>;
export const PARTICIPANT_ROLE_LABEL: Record<ParticipantRole, string> = { patient: '患者', host: '主诊医生', specialist: '会诊专家' };

export const ParticipantView = z.object({
  userId: z.string(),
  name: z.string(),
  role: ParticipantRole,
  title: z.string().optional(),
  orgName: z.string().optional(),
  /** The participant's Agora uid in this visit's channel (distinct per participant). */
  uid: z.number().int(),
  lastJoinedAt: z.string().optional(),
});

export const NoteInput = z
  .object({
    /** 主诉 */
    complaint: optionalText(500, '主诉'),
    /** 现病史 / 查体 */
    findings: optionalText(2000, '病情记录'),
    /** 诊断 */
    diagnosis: optionalText(200, '诊断'),
    /** 医嘱建议 / 会诊意见 */
    advice: optionalText(2000, '处理意见'),
  })
  .refine((n) => Object.values(n).some((v) => v), { message: '病历至少填写一项', path: ['advice'] });

export const NoteView = z.object({
  id: z.string(),
  authorName: z.string(),
  authorRole: ParticipantRole,
  complaint: z.string().optional(),
  findings: z.string().optional(),
  diagnosis: z.string().optional(),
  advice: z.string().optional(),
  createdAt: z.string(),
});

export const PrescriptionItemInput = z.object({
  /** A formulary code (FORMULARY in shared/visit.ts): name, strength and price come from it. */
  drug: z.string().trim().min(1, '请选择药品').max(40),
  /** 单次剂量, e.g. 1片 / 5mg */
  dose: text(20, '单次剂量'),
  route: DrugRoute,
  frequency: DrugFrequency,
  days: z.number().int().min(1, '用药天数至少1天').max(PRESCRIPTION_MAX_DAYS, `互联网处方不超过${PRESCRIPTION_MAX_DAYS}天用量`),
  /** Packs to dispense. */
  quantity: z.number().int().min(1, '数量至少为1').max(20, '单个药品不超过20盒/瓶'),
});

export const PrescribeRequest = z.object({
  diagnosis: text(200, '诊断'),
  items: z.array(PrescriptionItemInput).min(1, '请至少开一种药').max(5, '一张处方不超过5种药品'),
  note: optionalText(200, '备注'),
});

export const PrescriptionItemView = PrescriptionItemInput.extend({
  name: z.string(),
  strength: z.string(),
  pack: z.string(),
  unit: z.string(),
  unitPrice: z.number().int(),
  amount: z.number().int(),
});

export const BillRef = z.object({ id: z.string(), total: z.number().int(), status: z.string() });

export const PrescriptionView = z.object({
  id: z.string(),
  visitId: z.string(),
  patientName: z.string(),
  diagnosis: z.string(),
  items: z.array(PrescriptionItemView),
  note: z.string().optional(),
  total: z.number().int(),
  status: PrescriptionStatus,
  authorName: z.string(),
  reviewerName: z.string().optional(),
  reviewNote: z.string().optional(),
  reviewedAt: z.string().optional(),
  /** The bill to pay once the pharmacist approved (payments). */
  bill: BillRef.optional(),
  createdAt: z.string(),
});
export type PrescriptionView = z.infer<typeof PrescriptionView>;

export const ReviewRequest = z
  .object({ decision: z.enum(['approve', 'reject']), note: optionalText(200, '审核意见') })
  .refine((r) => r.decision === 'approve' || !!r.note, { message: '驳回时请填写原因', path: ['note'] });

export const OrderRequest = z.object({
  /** TEST_CATALOGUE codes. */
  tests: z.array(z.string().trim().min(1).max(40)).min(1, '请至少选择一项检查检验').max(10),
  note: optionalText(200, '备注'),
});

export const OrderView = z.object({
  id: z.string(),
  visitId: z.string(),
  items: z.array(z.object({ code: z.string(), name: z.string(), category: z.string(), price: z.number().int() })),
  note: z.string().optional(),
  total: z.number().int(),
  authorName: z.string(),
  bill: BillRef.optional(),
  createdAt: z.string(),
});

export const VisitView = z.object({
  id: z.string(),
  kind: VisitKind,
  status: VisitStatus,
  patient: z.object({ id: z.string(), name: z.string() }),
  reason: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  scheduledAt: z.string(),
  endsAt: z.string(),
  /** The join window: from 15 minutes before the start to the end plus the grace period. */
  opensAt: z.string(),
  closesAt: z.string(),
  /** May the caller join now (participant, inside the window, not finished)? */
  canJoin: z.boolean(),
  participants: z.array(ParticipantView),
  appointmentId: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  cancelReason: z.string().optional(),
  notes: z.array(NoteView),
  prescriptions: z.array(PrescriptionView),
  orders: z.array(OrderView),
  createdAt: z.string(),
});
export type VisitView = z.infer<typeof VisitView>;

export const VisitListItem = VisitView.pick({
  id: true,
  kind: true,
  status: true,
  patient: true,
  reason: true,
  org: true,
  scheduledAt: true,
  endsAt: true,
  opensAt: true,
  closesAt: true,
  canJoin: true,
  participants: true,
});
export type VisitListItem = z.infer<typeof VisitListItem>;

export const CreateVisitRequest = z.object({
  patientId: id('就诊人'),
  /** Catalog doctor ids of the specialists invited (other organisations welcome). */
  participants: z.array(id('医生')).min(1, '请至少邀请一位专家').max(4, '最多邀请4位专家'),
  reason: text(200, '会诊事由'),
  scheduledAt: instant,
  durationMinutes: z.number().int().min(10).max(240).default(30),
});

export const JoinResponse = z.object({
  /** Null when the video service is not configured (the local default): the room shows the local preview only. */
  appId: z.string().nullable(),
  channel: z.string(),
  uid: z.number().int(),
  token: z.string().nullable(),
  /** When the token stops working; ask again (join) before then. */
  expiresAt: z.string(),
  status: VisitStatus,
  /** Why video is off, in plain Chinese, when appId/token are null. */
  videoHint: z.string().optional(),
});
export type JoinResponse = z.infer<typeof JoinResponse>;

export const RoomTicket = z.object({ ticket: z.string(), expiresAt: z.string(), url: z.string() });
export const RoomSessionRequest = z.object({ ticket: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, '入室凭证无效') });
export const RoomSession = z.object({
  accessToken: z.string(),
  expiresAt: z.string(),
  visitId: z.string(),
  user: UserView,
});

export const VideoSessionView = z.object({
  scheduleId: z.string(),
  date: z.string(),
  session: Session,
  startsAt: z.string(),
  endsAt: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  department: z.object({ id: z.string(), name: z.string() }),
  doctor: z.object({ id: z.string(), name: z.string(), title: z.string() }),
  fee: z.number().int(),
  placesLeft: z.number().int(),
  state: z.string(),
});

export const InvitableDoctor = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  specialty: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  department: z.object({ id: z.string(), name: z.string() }),
});

export const PatientSummary = z.object({
  patientId: z.string(),
  name: z.string(),
  sex: z.string().optional(),
  age: z.number().int().optional(),
  bloodType: z.string(),
  allergies: z.array(z.string()),
  conditions: z.array(z.string()),
  medications: z.array(z.string()),
});

const PATIENT = ['patient'] as const;
const DOCTOR = ['doctor'] as const;
const BOTH = ['patient', 'doctor'] as const;
const V = '/v1/visits/{visitId}';

export const visitsRoutes = {
  create: route({
    method: 'POST',
    path: '/v1/visits',
    access: DOCTOR,
    body: CreateVisitRequest,
    response: VisitView,
    status: 201,
    idempotency: 'required',
    summary: 'Start a remote consultation: the caller hosts, specialists (other organisations too) are invited',
  }),
  get: route({ method: 'GET', path: V, access: BOTH, response: VisitView, roomToken: true, summary: 'One visit: the patient’s account or a participating doctor' }),
  mine: route({
    method: 'GET',
    path: '/v1/me/visits',
    access: PATIENT,
    query: z.object({ filter: z.enum(['upcoming', 'past', 'all']).default('all') }),
    response: z.object({ items: z.array(VisitListItem) }),
    summary: 'Visits of the people on my account (booked video visits appear once confirmed)',
  }),
  staff: route({
    method: 'GET',
    path: '/v1/staff/visits',
    access: DOCTOR,
    query: z.object({ date: z.iso.date().optional() }),
    response: z.object({ date: z.string(), items: z.array(VisitListItem) }),
    summary: 'Visits I take part in on a day (default today)',
  }),
  join: route({
    method: 'POST',
    path: `${V}/join`,
    access: BOTH,
    response: JoinResponse,
    roomToken: true,
    summary: 'Enter (or re-enter) the room: an Agora token for this visit’s channel; 403 to non-participants and outside the window',
  }),
  end: route({ method: 'POST', path: `${V}/end`, access: DOCTOR, response: VisitView, summary: 'End the visit (participating doctor)' }),
  cancel: route({
    method: 'POST',
    path: `${V}/cancel`,
    access: DOCTOR,
    body: z.object({ reason: text(100, '取消原因') }),
    response: VisitView,
    summary: 'Cancel a visit that has not started',
  }),
  noShow: route({ method: 'POST', path: `${V}/no-show`, access: DOCTOR, response: VisitView, summary: 'Mark a visit whose patient never came (after its start)' }),
  invite: route({
    method: 'POST',
    path: `${V}/participants`,
    access: DOCTOR,
    body: z.object({ doctorId: id('医生') }),
    response: VisitView,
    summary: 'Invite one more specialist',
  }),
  roomTicket: route({
    method: 'POST',
    path: `${V}/room-ticket`,
    access: BOTH,
    response: RoomTicket,
    summary: 'A one-time ticket (60 s) for opening the H5 room in a mini-program web-view',
  }),
  roomSession: route({
    method: 'POST',
    path: '/v1/visits/room-session',
    access: 'public',
    body: RoomSessionRequest,
    response: RoomSession,
    summary: 'Exchange a room ticket (once) for a room token: only this visit’s get and join accept it',
  }),
  patientSummary: route({
    method: 'GET',
    path: `${V}/patient-summary`,
    access: DOCTOR,
    response: PatientSummary,
    summary: 'The patient’s health summary for a participating doctor (consultation purpose; audited)',
  }),
  addNote: route({ method: 'POST', path: `${V}/notes`, access: DOCTOR, body: NoteInput, response: NoteView, status: 201, idempotency: 'optional', summary: 'Write a visit note or a consultation opinion' }),
  prescribe: route({
    method: 'POST',
    path: `${V}/prescriptions`,
    access: DOCTOR,
    body: PrescribeRequest,
    response: PrescriptionView,
    status: 201,
    idempotency: 'required',
    summary: 'Issue an e-prescription from the formulary; it waits for pharmacist review',
  }),
  review: route({
    method: 'POST',
    path: `${V}/prescriptions/{rxId}/review`,
    access: ['pharmacist'],
    body: ReviewRequest,
    response: PrescriptionView,
    summary: 'Pharmacist review (审方): a pharmacist of the prescribing organisation, never the prescriber; approval issues the bill',
  }),
  reviewQueue: route({
    method: 'GET',
    path: '/v1/staff/prescriptions',
    access: ['pharmacist'],
    response: z.object({ items: z.array(PrescriptionView) }),
    summary: 'Prescriptions waiting for review at the pharmacist’s organisations (oldest first; never their own)',
  }),
  order: route({
    method: 'POST',
    path: `${V}/orders`,
    access: DOCTOR,
    body: OrderRequest,
    response: OrderView,
    status: 201,
    idempotency: 'required',
    summary: 'Doctor’s orders: tests to do, billed to the patient',
  }),
  videoSessions: route({
    method: 'GET',
    path: '/v1/video-sessions',
    access: 'public',
    query: z.object({ date: z.iso.date().optional() }),
    response: z.object({ date: z.string(), items: z.array(VideoSessionView) }),
    summary: 'Sessions held by video on a day (default today), bookable like appointments',
  }),
  invitable: route({
    method: 'GET',
    path: '/v1/staff/visit-doctors',
    access: DOCTOR,
    response: z.object({ items: z.array(InvitableDoctor) }),
    summary: 'Doctors with a login who can be invited to a consultation',
  }),
};
