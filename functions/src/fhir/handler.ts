import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import { everything } from './service';

export const handler = featureHandler(api.fhir, {
  everything: ({ principal, params, query }) => everything(principal, params.patientId, query.purpose),
});
