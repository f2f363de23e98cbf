import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as records from './service';

export const handler = featureHandler(api.records, {
  getRecord: ({ principal, params }) => records.getOwnRecord(principal.userId, params.patientId),
  putRecord: ({ principal, params, body }) => records.putOwnRecord(principal.userId, params.patientId, body),
  staffRecord: ({ principal, params, query }) => records.staffReadRecord(principal, params.patientId, query.purpose),
  addVerified: ({ principal, params, body }) => records.addVerifiedEntry(principal, params.patientId, body),
  grantConsent: ({ principal, body }) => records.grantConsent(principal.userId, body),
  listConsents: ({ principal, query }) => records.listConsents(principal.userId, query.patientId),
  revokeConsent: ({ principal, params }) => records.revokeConsent(principal.userId, params.consentId),
  accessLog: ({ principal, params }) => records.accessLog(principal.userId, params.patientId),
  sharedWithMe: ({ principal }) => records.sharedWithMe(principal),
});
