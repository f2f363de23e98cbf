import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as caller from './caller';
import * as dispatch from './dispatch';
import { dispatchCentre, hasRoleIn } from '#lib/authority';
import { forbidden } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import { auditPlatform } from '../records/access';
import * as stations from './stations';

/** The console is the dispatch centre's: a dispatcher of another centre (or of none) is refused. */
const desk = (p: Principal) => {
  if (!hasRoleIn(p, dispatchCentre(), 'dispatcher')) throw forbidden('您不是本急救指挥中心的调度员');
};
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
  addStation: async ({ principal, body }) => {
    await auditPlatform(principal, 'emergency.addStation', body.name);
    return stations.add(body);
  },
  list: ({ principal, query }) => (desk(principal), dispatch.list(query.scope)),
  detail: ({ principal, params }) => (desk(principal), dispatch.detail(principal, params.emergencyId)),
  act: ({ principal, params, body }) => (desk(principal), dispatch.act(principal, params.emergencyId, body)),
});
