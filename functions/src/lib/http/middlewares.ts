/**
 * The shared HTTP stack, one small middleware per concern (middy style): resolve the route,
 * authenticate and authorise, parse JSON, validate with the contract's zod schemas, map errors,
 * log the outcome. Each reads and writes `context.http`.
 */
import type { MiddlewareObj } from '@middy/core';
import { fieldErrors, matchesPath, routeKey, type RouteDef } from '@hospital/shared';
import { HttpError } from '../errors';
import { logger } from '../logger';
import { config } from '../config';
import { callerOf } from './caller';
import { errorResult } from './respond';
import { unstorable } from './storable';
import type { HttpContext, HttpEvent, HttpResult } from './types';

type MW = MiddlewareObj<HttpEvent, HttpResult, Error, HttpContext>;

export const MAX_BODY_BYTES = 256 * 1024;
/**
 * No id of ours (path parameters, query values) is longer: a longer one is refused before any
 * handler runs — a path id with 404 (like any unknown id), another path value or a query value
 * with 400 — so no key over DynamoDB's 2 KB limit is ever tried.
 */
export const MAX_ID_CHARS = 200;
/** Path parameters that name a resource (`patientId`, `orderNo`, a QR `code`); the rest are values. */
const NAMES_A_RESOURCE = /(Id|No)$|^code$/;

/** Finds the route by the gateway's routeKey (or, in process, by method and path). */
export function resolveRoute(routes: Record<string, RouteDef>): MW {
  const byKey = new Map(Object.entries(routes).map(([name, d]) => [routeKey(d), { name, d }]));
  return {
    before: async ({ event, context }) => {
      const method = event.requestContext?.http?.method ?? 'GET';
      const path = event.rawPath ?? '/';
      const found =
        byKey.get(event.routeKey) ??
        [...byKey.values()].find((r) => r.d.method === method && matchesPath(r.d.path, path));
      if (!found || (found.d.localOnly && !config.isLocal)) throw new HttpError(404, 'NOT_FOUND', '接口不存在');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
      const raw = event.body ?? '';
      const rawBody = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      context.http = {
        route: found.d,
        name: found.name,
        params: pathParams(found.d.path, path, event.pathParameters),
        headers,
        rawBody,
        principal: null,
        body: undefined,
        query: undefined,
        startedAt: Date.now(),
      };
    },
  };
}

function pathParams(template: string, path: string, given?: Record<string, string | undefined>) {
  const out: Record<string, string> = {};
  const t = template.split('/');
  const p = path.split('/');
  t.forEach((seg, i) => {
    const m = /^\{(\w+)\}$/.exec(seg);
    if (m) out[m[1]] = given?.[m[1]] ?? safeDecode(p[i] ?? '');
  });
  return out;
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Bearer JWT → principal; role routes refuse without one (401) or with another role (403). */
export function authenticate(): MW {
  return {
    before: async ({ context }) => {
      const { route, headers } = context.http;
      if (route.access === 'signature') return;
      const auth = headers['authorization'];
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
      if (route.access === 'public') {
        // Optional identity (an SOS from a logged-in resident); a bad token is ignored, never fatal.
        if (token) context.http.principal = await callerOf(token, context.http).catch(() => null);
        return;
      }
      if (!token) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录');
      const principal = await callerOf(token, context.http);
      if (!principal.roles.some((r) => route.access.includes(r))) {
        throw new HttpError(403, 'FORBIDDEN', '您的角色无权进行此操作');
      }
      context.http.principal = principal;
    },
  };
}

/** JSON bodies; malformed JSON is a 400 in our format (middy's parser answers 415). */
export function jsonBody(): MW {
  return {
    before: async ({ context }) => {
      const { route, rawBody, headers } = context.http;
      if (route.rawBody || !route.body) return;
      if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', '请求内容过大');
      const type = headers['content-type'] ?? 'application/json';
      if (rawBody && !/^application\/(.+\+)?json\b/i.test(type)) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求内容须为 JSON');
      }
      let body: unknown;
      try {
        body = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        throw new HttpError(400, 'MALFORMED_JSON', '请求内容不是有效的 JSON', [{ path: 'body', message: 'malformed JSON' }]);
      }
      // Every request body of the contract is an object: `false`, `0`, `null`, arrays and strings
      // are refused here, whatever a schema (or a default, or a service reading a member) would do.
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        throw new HttpError(400, 'VALIDATION_FAILED', '请求内容须为 JSON 对象', [{ path: 'body', message: 'expected a JSON object' }]);
      }
      const unkept = unstorable(body);
      if (unkept) throw new HttpError(400, 'VALIDATION_FAILED', unkept.message, [unkept]);
      context.http.body = body;
    },
  };
}

/** zod schemas from the contract; every wrong field is named by its path. */
export function validate(): MW {
  return {
    before: async ({ event, context }) => {
      const { route, params } = context.http;
      const issues = [];
      const tooLong = Object.keys(params)
        .filter((name) => params[name].length > MAX_ID_CHARS)
        .map((name) => ({ name, field: { path: `params.${name}`, message: `不能超过${MAX_ID_CHARS}个字符` } }));
      // An id no resource of ours can have is not found, as an unknown id of normal length is; a
      // value in the path (a date, a consent's purpose) is invalid input, as any other wrong one is.
      const ids = tooLong.filter((p) => NAMES_A_RESOURCE.test(p.name));
      if (ids.length) throw new HttpError(404, 'NOT_FOUND', '请求的内容不存在', ids.map((p) => p.field));
      issues.push(...tooLong.map((p) => p.field));
      for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
        if ((value?.length ?? 0) > MAX_ID_CHARS) issues.push({ path: `query.${name}`, message: `不能超过${MAX_ID_CHARS}个字符` });
      }
      if (route.body && !route.rawBody) {
        const r = route.body.safeParse(context.http.body);
        if (r.success) context.http.body = r.data;
        else issues.push(...fieldErrors(r.error.issues, 'body'));
      }
      if (route.query) {
        const r = route.query.safeParse(event.queryStringParameters ?? {});
        if (r.success) context.http.query = r.data;
        else issues.push(...fieldErrors(r.error.issues, 'query'));
      }
      if (issues.length) throw new HttpError(400, 'VALIDATION_FAILED', '请求参数有误', issues);
    },
  };
}

/** Errors → `{ error: { code, message, fields? } }`; anything unexpected is a 500 without details. */
export function errorResponse(): MW {
  return {
    onError: async (request) => {
      const e = request.error;
      if (e instanceof HttpError) {
        request.response = errorResult(e.code, e.message, { status: e.status, fields: e.fields, headers: e.headers, extra: e.extra });
        return;
      }
      const mapped = mapLibraryError(e);
      if (mapped) {
        request.response = mapped;
        return;
      }
      logger.error('unhandled error', { route: request.context.http?.name, error: { name: e?.name, message: e?.message, stack: e?.stack } });
      request.response = errorResult('INTERNAL', '服务暂时不可用，请稍后重试', { status: 500 });
    },
  };
}

function mapLibraryError(e: Error | null): HttpResult | undefined {
  switch (e?.name) {
    case 'IdempotencyAlreadyInProgressError':
      return errorResult('IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理，请稍候', { status: 409 });
    case 'IdempotencyValidationError':
      return errorResult('IDEMPOTENCY_KEY_REUSED', '同一 Idempotency-Key 不能用于不同的请求内容', { status: 422 });
    case 'ProvisionedThroughputExceededException':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return errorResult('RATE_LIMITED', '当前人数较多，请稍后重试', { status: 429, headers: { 'retry-after': '1' } });
  }
  // Input the table cannot keep that reached a write (a raw push's number, say): bad input, not our
  // failure. The shared stack refuses most of it up front (storable.ts); this is the net behind it.
  if ((e?.name === 'ValidationException' && UNKEEPABLE_BY_DYNAMODB.test(e.message)) || UNKEEPABLE_BY_SDK.test(e?.message ?? '')) {
    logger.warn('input the table cannot store', { error: { name: e?.name, message: e?.message } });
    return errorResult('VALIDATION_FAILED', '内容超出可保存的范围', { status: 400, fields: [{ path: 'body', message: '数值、长度或嵌套超出可保存的范围' }] });
  }
  return undefined;
}

const UNKEEPABLE_BY_DYNAMODB = /Number (overflow|underflow)|Nesting Levels have exceeded|Item size has exceeded|Size of (hashkey|rangekey) has exceeded|Aggregated size of all range keys|Item size to update has exceeded/i;
const UNKEEPABLE_BY_SDK = /is (greater|lesser) than Number\.(MAX|MIN)_SAFE_INTEGER|^Special numeric value/;

/** One line per request: route, status, duration, caller id. Never bodies, tokens or health data. */
export function accessLog(): MW {
  const log = ({ context, response }: { context: HttpContext; response: HttpResult | null }) => {
    const s = context.http;
    const status = response?.statusCode ?? 500;
    const entry = { route: s?.name, status, ms: s ? Date.now() - s.startedAt : undefined, user: s?.principal?.userId, requestId: context.awsRequestId };
    if (status >= 500) logger.error('request', entry);
    else logger.info('request', entry);
  };
  return { after: async (r) => log(r), onError: async (r) => log(r) };
}
