/** Catalog: organisations (hospital, community centre, remote station), departments, doctors, sessions. */
import * as z from 'zod';
import { route } from './contract';
import { Session } from '../schedule';

export const OrgKind = z.enum(['hospital', 'community', 'station']);
export type OrgKind = z.infer<typeof OrgKind>;

export const LatLng = z.object({ lat: z.number(), lng: z.number() });

export const OrgView = z.object({
  id: z.string(),
  name: z.string(),
  kind: OrgKind,
  /** 三级甲等, 社区卫生服务中心, 远程医疗工作站 */
  level: z.string(),
  address: z.string(),
  phone: z.string(),
  intro: z.string(),
  /** Both datums: WeChat/Alipay maps (openLocation) take GCJ-02; browsers' geolocation is WGS-84. */
  location: z.object({ gcj02: LatLng, wgs84: LatLng }),
});
export type OrgView = z.infer<typeof OrgView>;

export const DepartmentView = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  intro: z.string(),
  /** Where it is in the building (门诊楼2层). */
  floor: z.string(),
});
export type DepartmentView = z.infer<typeof DepartmentView>;

export const DoctorView = z.object({
  id: z.string(),
  orgId: z.string(),
  deptId: z.string(),
  name: z.string(),
  /** 主任医师, 副主任医师, 主治医师, 医师 */
  title: z.string(),
  specialty: z.string(),
  intro: z.string(),
  /** The usual registration fee in fen (a session may differ). */
  fee: z.number().int(),
});
export type DoctorView = z.infer<typeof DoctorView>;

/** `video`: the session is held online (视频问诊): booked like any session, seen in a video room. */
export const ScheduleMode = z.enum(['clinic', 'video']);
export type ScheduleMode = z.infer<typeof ScheduleMode>;

export const ScheduleStateSchema = z.enum(['open', 'not_released', 'full', 'closed', 'stopped']);

export const ScheduleView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  deptId: z.string(),
  deptName: z.string(),
  doctorId: z.string(),
  doctorName: z.string(),
  doctorTitle: z.string(),
  date: z.iso.date(),
  session: Session,
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  /** Places anyone may book now (reserved places count once they are opened to everyone). */
  placesLeft: z.number().int(),
  /** 签约居民优先号 still held for contracted residents of the doctor's team (0 when none or opened). */
  reservedLeft: z.number().int(),
  /** Until when reserved places are held (then unused ones are open to everyone). */
  reservedUntil: z.string().optional(),
  fee: z.number().int(),
  /** 放号时间 */
  releaseAt: z.string(),
  bookingClosesAt: z.string(),
  /** 退号截止 */
  cancelCutoffAt: z.string(),
  state: ScheduleStateSchema,
  stoppedReason: z.string().optional(),
  /** Absent: at the clinic. */
  mode: ScheduleMode.optional(),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

const id = (name: string) => z.string().trim().regex(/^[\w-]{1,64}$/, `${name}无效`);
const instant = z.iso.datetime({ offset: true, message: '时间须为带时区的 ISO-8601，如 2025-06-01T08:00:00+08:00' });
/** 1..500 places; 0 fen (free, e.g. 义诊 at a remote station) up to ¥10,000. */
const capacity = z.number().int().min(1).max(500);
const fee = z.number().int().min(0).max(1_000_000);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间须为 HH:mm，如 18:00');

export const CreateScheduleRequest = z.object({
  doctorId: id('医生'),
  date: z.iso.date(),
  session: Session,
  capacity,
  /** Defaults to the doctor's fee. */
  fee: fee.optional(),
  releaseAt: instant.optional(),
  bookingClosesAt: instant.optional(),
  cancelCutoffAt: instant.optional(),
  /** Default clinic. */
  mode: ScheduleMode.optional(),
  /** Hours other than the period's usual ones (上午 08:00-12:00 …), on the same day. */
  hours: z
    .object({ start: hhmm, end: hhmm })
    .refine((h) => h.start < h.end, { message: '结束时间须晚于开始时间', path: ['end'] })
    .optional(),
  /** 签约居民优先号: places of `capacity` held for residents contracted with the doctor's team. */
  reserved: z.number().int().min(0).max(500).optional(),
  /** Default: 17:00 the day before the session. */
  reservedUntil: instant.optional(),
}).refine((b) => (b.reserved ?? 0) <= b.capacity, { message: '优先号不能多于总号源', path: ['reserved'] });

export const UpdateScheduleRequest = z
  .object({ capacity: capacity.optional(), fee: fee.optional(), releaseAt: instant.optional(), bookingClosesAt: instant.optional(), cancelCutoffAt: instant.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: '至少修改一项' });

export const StopSessionRequest = z.object({ reason: z.string().trim().min(1, '请填写停诊原因').max(100) });
export const StopSessionResponse = z.object({ schedule: ScheduleView, appointmentsStopped: z.number().int(), refundsRequested: z.number().int() });

export const ScheduleRangeQuery = z
  .object({ from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'to 不能早于 from', path: ['to'] });

export const catalogRoutes = {
  orgs: route({ method: 'GET', path: '/v1/orgs', access: 'public', response: z.object({ items: z.array(OrgView) }), summary: 'Hospitals, community centres and remote stations' }),
  org: route({ method: 'GET', path: '/v1/orgs/{orgId}', access: 'public', response: OrgView, summary: 'One organisation' }),
  departments: route({
    method: 'GET',
    path: '/v1/orgs/{orgId}/departments',
    access: 'public',
    response: z.object({ org: OrgView, items: z.array(DepartmentView) }),
    summary: "An organisation's departments",
  }),
  doctors: route({
    method: 'GET',
    path: '/v1/departments/{deptId}/doctors',
    access: 'public',
    response: z.object({ department: DepartmentView, items: z.array(DoctorView) }),
    summary: "A department's doctors",
  }),
  doctor: route({ method: 'GET', path: '/v1/doctors/{doctorId}', access: 'public', response: DoctorView, summary: 'One doctor' }),
  schedules: route({
    method: 'GET',
    path: '/v1/doctors/{doctorId}/schedules',
    access: 'public',
    query: ScheduleRangeQuery,
    response: z.object({ doctor: DoctorView, items: z.array(ScheduleView) }),
    summary: "A doctor's sessions between two dates (default: the next 14 days), with places left",
  }),
  schedule: route({ method: 'GET', path: '/v1/schedules/{scheduleId}', access: 'public', response: ScheduleView, summary: 'One session' }),
  createSchedule: route({
    method: 'POST',
    path: '/v1/schedules',
    access: ['admin'],
    body: CreateScheduleRequest,
    response: ScheduleView,
    status: 201,
    idempotency: 'optional',
    summary: 'Open a session (排班)',
  }),
  updateSchedule: route({
    method: 'PATCH',
    path: '/v1/schedules/{scheduleId}',
    access: ['admin'],
    body: UpdateScheduleRequest,
    response: ScheduleView,
    summary: 'Change places, fee or the booking calendar of a session',
  }),
  stopSession: route({
    method: 'POST',
    path: '/v1/schedules/{scheduleId}/stop',
    access: ['admin'],
    body: StopSessionRequest,
    response: StopSessionResponse,
    idempotency: 'optional',
    summary: 'Stop a session (停诊): booked patients are told, paid ones refunded',
  }),
};
