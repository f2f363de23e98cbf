import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as queue from './service';

export const handler = featureHandler(api.queue, {
  status: ({ principal, params }) => queue.status(principal, params.scheduleId),
  next: ({ principal, params }) => queue.callNext(principal, params.scheduleId),
  entries: ({ principal, params }) => queue.entries(principal, params.scheduleId),
  sessions: ({ principal, query }) => queue.sessions(principal, query.date),
});
