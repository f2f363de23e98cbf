/** Appointments (挂号预约): book a place in a session, see, cancel, check in on the day. */
import * as z from 'zod';
import { route } from './contract';
import { AppointmentStatus, RefundState } from '../appointment';
import { Session } from '../schedule';
import { Relation } from './patients';

export const AppointmentView = z.object({
  id: z.string(),
  status: AppointmentStatus,
  patient: z.object({ id: z.string(), name: z.string(), relation: Relation }),
  schedule: z.object({ id: z.string(), date: z.string(), session: Session, startsAt: z.string(), endsAt: z.string(), cancelCutoffAt: z.string() }),
  org: z.object({ id: z.string(), name: z.string() }),
  department: z.object({ id: z.string(), name: z.string() }),
  doctor: z.object({ id: z.string(), name: z.string(), title: z.string() }),
  /** Fen; 0 for a free session. */
  fee: z.number().int(),
  /** While `pending_payment`: pay before this or the place is released. */
  holdExpiresAt: z.string().optional(),
  paidAt: z.string().optional(),
  /** The payment order that paid it (payments feature). */
  orderNo: z.string().optional(),
  refund: RefundState.optional(),
  /** Shown at the desk or in the doctor's room (核验码). */
  checkInCode: z.string(),
  queueNumber: z.number().int().optional(),
  /** Actions the resident may take now. */
  canCancel: z.boolean(),
  canCheckIn: z.boolean(),
  stoppedReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AppointmentView = z.infer<typeof AppointmentView>;

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);

export const BookRequest = z.object({ scheduleId: id('出诊时段'), patientId: id('就诊人') });

export const CheckInRequest = z
  .object({
    /** The department/doctor code scanned at the desk, when check-in started from a scan. */
    qr: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '二维码无效').optional(),
  })
  .default({});

export const MyAppointmentsQuery = z.object({
  /** active: pending_payment, confirmed, checked_in; past: everything else. */
  filter: z.enum(['active', 'past', 'all']).default('all'),
});

const PATIENT = ['patient'] as const;

export const bookingRoutes = {
  book: route({
    method: 'POST',
    path: '/v1/appointments',
    access: PATIENT,
    // An unverified person may be booked: the hospital checks the ID card at arrival.
    person: 'own',
    body: BookRequest,
    response: AppointmentView,
    status: 201,
    idempotency: 'required',
    // The default per-account limit, counted in the transaction that takes the place (the rush pays no extra round trip).
    rateLimit: { inWrite: true, message: '预约操作过于频繁，请稍后再试' },
    summary: 'Book a place: free sessions confirm at once, paid ones are held for payment (409 SLOT_FULL, ALREADY_BOOKED, NOT_RELEASED, BOOKING_CLOSED, SESSION_STOPPED)',
  }),
  mine: route({
    method: 'GET',
    path: '/v1/me/appointments',
    access: PATIENT,
    query: MyAppointmentsQuery,
    response: z.object({ items: z.array(AppointmentView) }),
    summary: 'Appointments of the people on my account, newest session first',
  }),
  get: route({ method: 'GET', path: '/v1/appointments/{appointmentId}', access: PATIENT, response: AppointmentView, summary: 'One of my appointments' }),
  cancel: route({
    method: 'POST',
    path: '/v1/appointments/{appointmentId}/cancel',
    access: PATIENT,
    response: AppointmentView,
    idempotency: 'optional',
    summary: 'Cancel before the cut-off (退号): the place comes back once; a paid one is refunded',
  }),
  checkIn: route({
    method: 'POST',
    path: '/v1/appointments/{appointmentId}/check-in',
    access: PATIENT,
    body: CheckInRequest,
    response: AppointmentView,
    idempotency: 'optional',
    summary: 'Check in on the day (签到) and get a queue number',
  }),
};
