/**
 * The waiting queue (候诊) of a session. Residents follow it live: subscribe the WebSocket to the
 * public topic `queue:<scheduleId>` (it carries only the number being called) and poll this
 * route every few seconds as a fallback.
 */
import * as z from 'zod';
import { route } from './contract';
import { AppointmentStatus } from '../appointment';
import { Session } from '../schedule';

export const QueueStatus = z.object({
  scheduleId: z.string(),
  date: z.string(),
  session: Session,
  doctorName: z.string(),
  deptName: z.string(),
  /** 0 before the first call. */
  calledNumber: z.number().int(),
  /** Checked in and not yet called. */
  waiting: z.number().int(),
  /** The caller's own place, when one of their people is checked in. */
  mine: z
    .object({
      appointmentId: z.string(),
      number: z.number().int(),
      /** People called before me who are still to come. */
      ahead: z.number().int(),
      estimatedWaitMinutes: z.number().int(),
      state: z.enum(['waiting', 'called', 'passed']),
    })
    .optional(),
  /** Minutes per patient used for the estimate. */
  minutesPerPatient: z.number().int(),
  /** WebSocket topic to subscribe for live calls. */
  topic: z.string(),
  updatedAt: z.string(),
});
export type QueueStatus = z.infer<typeof QueueStatus>;

export const QueueEntry = z.object({
  appointmentId: z.string(),
  /** Absent until the person checks in. */
  number: z.number().int().optional(),
  /** Masked (张*国): the list may be on a screen others can see. */
  patientName: z.string(),
  status: AppointmentStatus,
  state: z.enum(['booked', 'waiting', 'called', 'passed']),
  checkInCode: z.string(),
});

export const CallNextResponse = z.object({
  calledNumber: z.number().int(),
  called: z.object({ appointmentId: z.string(), number: z.number().int(), patientName: z.string() }),
  waiting: z.number().int(),
});

export const StaffSession = z.object({
  scheduleId: z.string(),
  date: z.string(),
  session: Session,
  deptName: z.string(),
  doctorId: z.string(),
  doctorName: z.string(),
  capacity: z.number().int(),
  stopped: z.boolean(),
});

const ANYONE = ['patient', 'doctor', 'nurse', 'admin'] as const;
const CALLERS = ['doctor', 'nurse'] as const;
const STAFF = ['doctor', 'nurse', 'admin'] as const;

export const queueRoutes = {
  status: route({
    method: 'GET',
    path: '/v1/schedules/{scheduleId}/queue',
    access: ANYONE,
    response: QueueStatus,
    summary: 'Number being called, mine, people ahead and the estimated wait',
  }),
  next: route({
    method: 'POST',
    path: '/v1/schedules/{scheduleId}/queue/next',
    access: CALLERS,
    response: CallNextResponse,
    idempotency: 'optional',
    summary: 'Call the next patient (409 QUEUE_EMPTY when nobody is waiting)',
  }),
  entries: route({
    method: 'GET',
    path: '/v1/schedules/{scheduleId}/queue/entries',
    access: STAFF,
    response: z.object({ calledNumber: z.number().int(), items: z.array(QueueEntry) }),
    summary: "The session's patients in queue order, then those not yet checked in",
  }),
  sessions: route({
    method: 'GET',
    path: '/v1/staff/sessions',
    access: STAFF,
    query: z.object({ date: z.iso.date().optional() }),
    response: z.object({ date: z.string(), items: z.array(StaffSession) }),
    summary: "Today's (or a date's) sessions of my organisation; a doctor sees their own",
  }),
};
