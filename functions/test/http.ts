/** Builds API Gateway v2 events and calls a feature's handler in process, as the gateway would. */
import { randomInt, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { fillPath, OrgRoles, routeKey, type OrgRole, type RouteDef, type Role } from '@hospital/shared';
import { issueAccessToken } from '#lib/tokens';
import type { HttpEvent, HttpResult } from '#lib/http/index';

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
  method?: string;
  /** The client address the gateway saw (per-IP rate limits); default: this test file's own. */
  sourceIp?: string;
}

/**
 * Each test file is its own client address, as separate phones are: per-IP rate limits count
 * every file's calls apart, though the run shares one table. A test of those limits pins or
 * varies `sourceIp` itself. (Limits are never switched off in tests; see lib/http/rate-limits.ts.)
 */
export const TEST_CLIENT_IP = `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`;

export function event(route: Pick<RouteDef, 'method' | 'path'>, o: CallOptions = {}): HttpEvent {
  const path = fillPath(route.path, o.params ?? {});
  const method = o.method ?? route.method;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.headers ?? {}) };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  return {
    version: '2.0',
    routeKey: o.method ? '$default' : routeKey(route),
    rawPath: path,
    rawQueryString: new URLSearchParams(o.query ?? {}).toString(),
    headers,
    queryStringParameters: o.query,
    pathParameters: o.params,
    body: o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: o.sourceIp ?? TEST_CLIENT_IP, userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
    } as HttpEvent['requestContext'],
  } as HttpEvent;
}

export const lambdaContext = (): Context =>
  ({ awsRequestId: randomUUID(), functionName: 'test', getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (e: HttpEvent, c: any) => Promise<HttpResult | unknown>;

export async function call(handler: Handler, route: Pick<RouteDef, 'method' | 'path'>, o: CallOptions = {}) {
  const res = (await handler(event(route, o), lambdaContext())) as HttpResult;
  const text = res.body ?? '';
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode ?? 200, headers: (res.headers ?? {}) as Record<string, string>, body: json, text };
}

const isOrgRole = (r: Role): r is OrgRole => (OrgRoles as readonly Role[]).includes(r);

/**
 * An access token for a test user with the given roles. With `org` (an organisation id) the staff
 * roles are held there; a list gives several memberships. Without it, staff roles are held
 * nowhere: such a user passes a route's role check but no organisation's.
 */
export async function tokenFor(roles: Role[], userId = `u_${randomUUID()}`, org?: string | { orgId: string; roles: OrgRole[] }[], name = `测试${roles[0]}`) {
  const memberships = Array.isArray(org) ? org : org ? [{ orgId: org, roles: roles.filter(isOrgRole) }] : [];
  // A session id of its own (no session item: tokens are checked against revocations, lib/sessions.ts).
  return (await issueAccessToken({ userId, roles: [...new Set([...roles, ...memberships.flatMap((m) => m.roles)])], memberships, name, sessionId: `test-session-${randomUUID()}` })).token;
}
