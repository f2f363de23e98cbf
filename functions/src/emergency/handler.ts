import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as caller from './caller';
import * as dispatch from './dispatch';
import * as stations from './stations';
import { callerView } from './views';

/**
 * Views carry optional fields as `undefined`; the idempotency store (Powertools) refuses to
 * marshal those, so results of retryable writes go through JSON first.
 */
const plain = async <T>(p: Promise<T>): Promise<T> => JSON.parse(JSON.stringify(await p)) as T;

const access = (req: { params: Record<string, string>; principal: Parameters<typeof caller.callerAccess>[1]; headers: Record<string, string> }) =>
  caller.callerAccess(req.params.emergencyId, req.principal, req.headers.authorization);

export const handler = featureHandler(api.emergency, {
  create: ({ principal, body }) => caller.create(principal, body),
  get: async (req) => {
    const a = await access(req);
    return callerView(a.item, a.mayCancel);
  },
  addDetails: async (req) => plain(caller.addDetails(await access(req), req.body)),
  cancel: async (req) => plain(caller.cancel(await access(req), req.body.reason)),
  stations: () => stations.list(),
  addStation: ({ body }) => plain(stations.add(body)),
  list: ({ query }) => dispatch.list(query.scope),
  detail: ({ principal, params }) => dispatch.detail(principal, params.emergencyId),
  act: ({ principal, params, body }) => plain(dispatch.act(principal, params.emergencyId, body)),
});
