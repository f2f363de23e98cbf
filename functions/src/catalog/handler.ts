import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as catalog from './service';
import * as admin from './admin';

export const handler = featureHandler(api.catalog, {
  orgs: () => catalog.orgs(),
  org: ({ params }) => catalog.org(params.orgId),
  departments: ({ params }) => catalog.departments(params.orgId),
  doctors: ({ params }) => catalog.doctors(params.deptId),
  doctor: ({ params }) => catalog.doctor(params.doctorId),
  schedules: ({ params, query }) => catalog.schedules(params.doctorId, query),
  schedule: ({ params }) => catalog.schedule(params.scheduleId),
  createSchedule: ({ principal, body }) => admin.createSchedule(principal, body),
  updateSchedule: ({ principal, params, body }) => admin.updateSchedule(principal, params.scheduleId, body),
  stopSession: ({ principal, params, body }) => admin.stopSession(principal, params.scheduleId, body.reason),
});
