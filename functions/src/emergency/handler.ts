import type { MiddlewareObj } from '@middy/core';
import { api, DEVICE_SECRET_HEADER } from '@hospital/shared';
import { featureHandler, type HttpContext, type HttpEvent, type HttpResult } from '#lib/http/index';
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

type WithSource = { sourceIp?: string };

const access = (req: { params: Record<string, string>; principal: Parameters<typeof caller.callerAccess>[1]; headers: Record<string, string> }) =>
  caller.callerAccess(req.params.emergencyId, req.principal, req.headers.authorization, req.headers[DEVICE_SECRET_HEADER]);

/**
 * The client address as the gateway saw it (`requestContext.http.sourceIp`, not a header the
 * caller sets), for the SOS flood sources: the shared stack hands routes the context, not the event.
 */
const sourceAddress = (): MiddlewareObj<HttpEvent, HttpResult, Error, HttpContext> => ({
  before: async ({ event, context }) => {
    (context as HttpContext & WithSource).sourceIp = event.requestContext?.http?.sourceIp;
  },
});

export const handler = featureHandler(api.emergency, {
  create: ({ principal, body, context }) => caller.create(principal, body, { ip: (context as WithSource).sourceIp }),
  get: async (req) => caller.viewOf(await access(req)),
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
  dismissFlood: ({ principal, params, body }) => (desk(principal), dispatch.dismissFlood(principal, params.groupId, body)),
}).use(sourceAddress());
