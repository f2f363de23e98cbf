import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import { auditPlatform } from '../records/access';
import * as identity from './service';

export const handler = featureHandler(api.identity, {
  status: ({ principal, params }) => identity.status(principal.userId, params.patientId),
  startFace: ({ principal, params, body }) => identity.startFace(principal.userId, params.patientId, body.redirectUrl),
  confirmFace: ({ principal, params, body }) => identity.confirmFace(principal.userId, params.patientId, body),
  sendSms: ({ principal, params }) => identity.sendSms(principal.userId, params.patientId),
  confirmSms: ({ principal, params, body }) => identity.confirmSms(principal.userId, params.patientId, body.code),
  guardian: ({ principal, params, body }) => identity.guardian(principal.userId, params.patientId, body),
  personCode: ({ principal, params }) => identity.personCode(principal.userId, params.patientId),
  staffLookup: ({ principal, params }) => identity.staffLookup(principal, params.code),
  staffVerify: ({ principal, body }) => identity.staffVerify(principal, body),
  staffFlags: async ({ principal }) => {
    await auditPlatform(principal, 'identity.staffFlags');
    return identity.flags();
  },
});
