import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as caller from './caller';
import * as dispatch from './dispatch';
import * as stations from './stations';
import { callerView } from './views';

const access = (req: { params: Record<string, string>; principal: Parameters<typeof caller.callerAccess>[1]; headers: Record<string, string> }) =>
  caller.callerAccess(req.params.emergencyId, req.principal, req.headers.authorization);

export const handler = featureHandler(api.emergency, {
  create: ({ principal, body }) => caller.create(principal, body),
  get: async (req) => {
    const a = await access(req);
    return callerView(a.item, a.mayCancel);
  },
  addDetails: async (req) => caller.addDetails(await access(req), req.body),
  cancel: async (req) => caller.cancel(await access(req), req.body.reason),
  stations: () => stations.list(),
  addStation: ({ body }) => stations.add(body),
  list: ({ query }) => dispatch.list(query.scope),
  detail: ({ principal, params }) => dispatch.detail(principal, params.emergencyId),
  act: ({ principal, params, body }) => dispatch.act(principal, params.emergencyId, body),
});
