import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as patients from './service';

export const handler = featureHandler(api.patients, {
  list: ({ principal }) => patients.list(principal.userId),
  create: ({ principal, body }) => patients.create(principal.userId, body),
  update: ({ principal, params, body }) => patients.update(principal.userId, params.patientId, body),
  remove: ({ principal, params }) => patients.remove(principal.userId, params.patientId),
});
