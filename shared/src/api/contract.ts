/**
 * The API contract: every route's method, path, who may call it and the zod schemas of its
 * input and output. The functions bind handlers to it; the mini-program's client is typed by it;
 * serverless.yml is checked against it by a test. A route is written here once.
 */
import type * as z from 'zod';
import type { Role } from '../roles';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `roles: 'public'` needs no token; `'signature'` authenticates by a provider/device signature
 * inside the handler; otherwise the caller's JWT must carry one of the roles.
 */
export type Access = 'public' | 'signature' | readonly Role[];

/**
 * Who a rate limit counts: the caller's account (skipped without a login), the client's address
 * as the gateway saw it (IPv6 by its /64), or one value of the validated request — a phone, a
 * kiosk id — which is stored only as a keyed digest, never in clear.
 */
export type RatePer = 'account' | 'ip' | `body.${string}` | `params.${string}`;

export interface RateRule {
  per: RatePer;
  max: number;
  windowSeconds: number;
}

/**
 * A route's own rate limits (functions/src/lib/http/rate-limits.ts has the defaults and the
 * table in the README lists them all). Every write route (any method but GET) and every route
 * callable without a login is limited by default — per account for a logged-in caller, per
 * client address when no login is needed — so a new route cannot skip it. `rules` adds limits
 * (per phone, per kiosk, a daily cap); a rule `per: 'account'` or `per: 'ip'` replaces that
 * default (a higher ceiling, or a tighter one). `inWrite`: the route's store counts them in its own
 * transaction (lib/rate-limit.ts `Admission`), so the hot path pays no extra round trip; what it
 * answers without writing is counted once it has answered. `neverRefuse` is for the one route
 * that must never answer 429 (an SOS): it says why, and a test lists who may say it.
 */
export type RateLimitDef =
  | {
      rules?: readonly RateRule[];
      /** The 429 message (Chinese, shown to the person). */
      message?: string;
      inWrite?: true;
    }
  | { neverRefuse: string };

export interface RouteDef<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: Method;
  path: `/v1/${string}`;
  access: Access;
  body?: B;
  query?: Q;
  response: R;
  /** 'required': a write the client may retry; the `Idempotency-Key` header must be sent. */
  idempotency?: 'required' | 'optional';
  /** Raw body (signature checks), not parsed as JSON by the shared stack. */
  rawBody?: boolean;
  /** Only served when the stage is local (dev login). */
  localOnly?: boolean;
  /** Success status (default 200). */
  status?: number;
  /**
   * Data filed under a person's ID number (实名认证, shared/src/identity.ts): `'verified'` routes
   * return or change it only for people the caller's account has verified (403
   * PERSON_NOT_VERIFIED); `'own'` routes act on the account's own entries (any person on it).
   * Every patient route that names a person must say which: a test enumerates them.
   */
  person?: 'verified' | 'own';
  /** Rate limits beyond the default one (see RateLimitDef). */
  rateLimit?: RateLimitDef;
  /**
   * The H5 video room's own routes: they also accept the room-scoped token the room ticket is
   * exchanged for (functions/src/visits/rooms.ts), but only for the visit named by `{visitId}`.
   * No other route accepts that token.
   */
  roomToken?: true;
  summary: string;
}

/** Keeps the literal shape of a definition, so which schemas a route has is known to the types. */
export const route = <const D extends RouteDef>(def: D): D => def;

export type BodyOf<D> = D extends { body: infer B extends z.ZodType } ? z.input<B> : undefined;
export type QueryOf<D> = D extends { query: infer Q extends z.ZodType } ? z.input<Q> : undefined;
export type ResponseOf<D> = D extends { response: infer R extends z.ZodType } ? z.output<R> : never;
/** What the server has after validation (coerced, defaulted). */
export type ParsedBodyOf<D> = D extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;
export type ParsedQueryOf<D> = D extends { query: infer Q extends z.ZodType } ? z.output<Q> : undefined;

/** Names of `{param}` segments of a path. */
export type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}`
  ? { [k in K | keyof PathParams<Rest>]: string }
  : {};

export const routeKey = (d: Pick<RouteDef, 'method' | 'path'>) => `${d.method} ${d.path}`;

/** Fills `{param}` segments, encoding each value. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`missing path parameter ${k}`);
    return encodeURIComponent(v);
  });
}

/** Does a concrete path (`/v1/orgs/abc`) match a route template (`/v1/orgs/{orgId}`)? */
export function matchesPath(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.replace(/\/+$/, '').split('/');
  return t.length === p.length && t.every((seg, i) => (/^\{\w+\}$/.test(seg) ? p[i] !== '' : seg === p[i]));
}
