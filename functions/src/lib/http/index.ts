/**
 * `featureHandler(api.booking, { book: async (req) => ..., ... })`: one Lambda per feature,
 * every route of that feature bound to its implementation through the shared middy stack.
 */
import middy from '@middy/core';
import type { RouteDef } from '@hospital/shared';
import { HttpError } from '../errors';
import { idempotent } from '../idempotency';
import { loadProviderSecrets } from '../providers/secrets';
import { loadIdentityKeys } from '../identity-keys';
import { assertDeployableConfig } from '../deploy-config';
import { accessLog, authenticate, errorResponse, jsonBody, resolveRoute, validate } from './middlewares';
import { json, SECURITY_HEADERS } from './respond';
import { rateLimits } from './rate-limits';
import { RawReply, type HttpContext, type HttpEvent, type HttpResult, type Impl, type Req } from './types';

export { RawReply } from './types';
export type { Req, Impl, HttpEvent, HttpResult, HttpContext } from './types';
export { json, errorResult } from './respond';

export function featureHandler<F extends Record<string, RouteDef>>(routes: F, impls: { [K in keyof F]: Impl<F[K]> }) {
  // Cold start: a deployed stage handed a published development secret does not start at all.
  assertDeployableConfig();
  const dispatch = async (event: HttpEvent, context: HttpContext): Promise<HttpResult> => {
    await Promise.all([loadProviderSecrets(), loadIdentityKeys()]);
    const s = context.http;
    const impl = impls[s.name] as Impl<RouteDef>;
    const req = {
      body: s.body,
      query: s.query,
      params: s.params,
      headers: s.headers,
      rawBody: s.rawBody,
      principal: s.principal,
      requestId: context.awsRequestId ?? event.requestContext?.requestId ?? '',
      context,
      admission: s.admission,
    } as Req<RouteDef>;
    let out: unknown;
    const key = s.headers['idempotency-key'];
    if (s.route.idempotency && key) {
      if (!/^[\w.:-]{8,128}$/.test(key)) {
        throw new HttpError(400, 'VALIDATION_FAILED', 'Idempotency-Key 格式无效', [{ path: 'headers.idempotency-key', message: '8–128 letters, digits, - _ . :' }]);
      }
      const scope = `${s.principal?.userId ?? 'anonymous'} ${s.route.method} ${s.route.path} ${JSON.stringify(s.params)}`;
      out = await idempotent({ scope, key, body: s.body ?? null }, async () => serialize(await impl(req)), context);
      out = revive(out);
    } else if (s.route.idempotency === 'required') {
      throw new HttpError(400, 'IDEMPOTENCY_KEY_REQUIRED', '缺少 Idempotency-Key 请求头', [{ path: 'headers.idempotency-key', message: 'required' }]);
    } else {
      out = await impl(req);
    }
    if (out instanceof RawReply) return { statusCode: out.status, headers: { ...SECURITY_HEADERS, ...out.headers }, body: out.body, ...(out.base64 ? { isBase64Encoded: true } : {}) };
    // The response schema strips what the contract does not list (raw ID numbers never leak).
    return json(s.route.status ?? 200, s.route.response.parse(out));
  };

  return middy<HttpEvent, HttpResult, Error, HttpContext>()
    .use(accessLog())
    .use(errorResponse())
    .use(resolveRoute(routes))
    .use(authenticate())
    .use(jsonBody())
    .use(validate())
    .use(rateLimits())
    .handler(dispatch);
}

// Idempotent results are stored as JSON; a RawReply must survive the round trip, and optional
// members left undefined (a view's `revokedAt`) cannot be marshalled into the record: drop them.
const serialize = (v: unknown) =>
  v instanceof RawReply ? { __raw: { status: v.status, body: v.body, headers: v.headers } } : v === undefined ? v : JSON.parse(JSON.stringify(v));
const revive = (v: unknown) => {
  const raw = (v as { __raw?: { status: number; body: string; headers: Record<string, string> } })?.__raw;
  return raw ? new RawReply(raw.status, raw.body, raw.headers) : v;
};
