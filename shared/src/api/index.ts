import { authRoutes } from './auth';
import { healthRoutes } from './health';
import { recordsRoutes } from './records';
import { reportsRoutes } from './reports';
import { fhirRoutes } from './fhir';
import { catalogRoutes } from './catalog';
import { qrRoutes } from './qr';
import { patientsRoutes } from './patients';
import { bookingRoutes } from './booking';
import { queueRoutes } from './queue';
import { notificationsRoutes } from './notifications';
import { emergencyRoutes } from './emergency';
import { devicesRoutes } from './devices';
import { visitsRoutes } from './visits';
import { paymentsRoutes } from './payments';
import { careRoutes } from './care';
import { medicationRoutes } from './medication';
import { messagesRoutes } from './messages';
import { followupsRoutes } from './followups';
import { identityRoutes } from './identity';
import { privacyRoutes } from './privacy';

/** Every route, grouped by the Lambda function (feature) that serves it. */
export const api = {
  health: healthRoutes,
  auth: authRoutes,
  records: recordsRoutes,
  reports: reportsRoutes,
  fhir: fhirRoutes,
  catalog: catalogRoutes,
  qr: qrRoutes,
  patients: patientsRoutes,
  booking: bookingRoutes,
  queue: queueRoutes,
  notifications: notificationsRoutes,
  emergency: emergencyRoutes,
  devices: devicesRoutes,
  visits: visitsRoutes,
  payments: paymentsRoutes,
  care: careRoutes,
  medication: medicationRoutes,
  messages: messagesRoutes,
  followups: followupsRoutes,
  identity: identityRoutes,
  privacy: privacyRoutes,
};
export type Api = typeof api;
export type Feature = keyof Api;

export * from './contract';
export * from './auth';
export * from './health';
export * from './records';
export * from './reports';
export * from './fhir';
export * from './catalog';
export * from './qr';
export * from './patients';
export * from './booking';
export * from './queue';
export * from './notifications';
export * from './emergency';
export * from './devices';
export * from './visits';
export * from './payments';
export * from './care';
export * from './medication';
export * from './messages';
export * from './followups';
export * from './identity';
export * from './privacy';
