import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as followups from './service';

export const handler = featureHandler(api.followups, {
  due: ({ principal, query }) => followups.due(principal, query.all === 'true'),
  record: ({ principal, body }) => followups.record(principal, body),
  history: ({ principal, params }) => followups.history(principal, params.contractId),
});
