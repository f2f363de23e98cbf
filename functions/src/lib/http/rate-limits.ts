/**
 * Rate limits of the shared stack, with their counters in the table (lib/rate-limit.ts), so they
 * hold across Lambda containers. Every write route (any method but GET) is limited per account,
 * and every route callable without a login (public and signature routes) per client address, by
 * default: a route added to the contract is limited without saying anything. A route's
 * `rateLimit` in the contract adds its own rules (per phone, per kiosk, a daily cap) or replaces a
 * default with a higher or tighter ceiling; only an SOS says `neverRefuse` (a test keeps it so).
 *
 * Runs after validation: a request that is refused as malformed never costs a write, and keys
 * taken from the body are the validated values. A check is one conditional update per rule (one
 * for most routes), none when this container already saw the bucket full in the current window.
 * A route marked `inWrite` (booking, the release-morning rush) gets its limits as an `Admission`
 * instead: its store counts them inside the transaction that takes the place, and the stack counts
 * whatever the route answered without writing (index.ts) — `npm run bench -- limits` measures it.
 *
 * The address is `requestContext.http.sourceIp` — the gateway's view of the TCP peer, not a header
 * the caller can set. IPv6 addresses are counted by their /64 (one subscriber's prefix). Many
 * phones share one address on carrier NAT and hospital Wi-Fi, so address limits are a flood
 * backstop, high enough for a lobby; the per-account and per-phone limits are the tight ones.
 */
import type { MiddlewareObj } from '@middy/core';
import { routeKey, type RatePer, type RateRule, type RouteDef } from '@hospital/shared';
import { keyedDigest, loadIdentityKeys } from '../identity-keys';
import { Admission, consume, DEFAULT_LIMIT_MESSAGE, type Limit } from '../rate-limit';
import type { HttpContext, HttpEvent, HttpResult, HttpState } from './types';

type MW = MiddlewareObj<HttpEvent, HttpResult, Error, HttpContext>;

/**
 * The defaults: writes per account per route; routes without a login per address per route;
 * signature routes (payment providers, the HIS, labs, kiosks: servers, from few addresses, that
 * retry) per address with a higher ceiling.
 */
export const DEFAULT_RATE_RULES = {
  account: { per: 'account', max: 60, windowSeconds: 60 },
  ip: { per: 'ip', max: 600, windowSeconds: 60 },
  signatureIp: { per: 'ip', max: 3000, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

export const DEFAULT_RATE_MESSAGE = DEFAULT_LIMIT_MESSAGE;

export const isWriteRoute = (d: Pick<RouteDef, 'method'>) => d.method !== 'GET';
/** Reachable without a login: public routes and those that authenticate by a signature. */
export const isAnonymousRoute = (d: Pick<RouteDef, 'access'>) => d.access === 'public' || d.access === 'signature';

const memo = new WeakMap<RouteDef, RateRule[]>();

/** Every rule that applies to a route (empty only for a route declared `neverRefuse`). */
export function rulesFor(d: RouteDef): RateRule[] {
  const hit = memo.get(d);
  if (hit) return hit;
  let rules: RateRule[] = [];
  if (!(d.rateLimit && 'neverRefuse' in d.rateLimit)) {
    const own = d.rateLimit?.rules ?? [];
    rules = [...own];
    if (isWriteRoute(d) && !own.some((r) => r.per === 'account')) rules.push(DEFAULT_RATE_RULES.account);
    if (isAnonymousRoute(d) && !own.some((r) => r.per === 'ip')) rules.push(d.access === 'signature' ? DEFAULT_RATE_RULES.signatureIp : DEFAULT_RATE_RULES.ip);
  }
  memo.set(d, rules);
  return rules;
}

/** The counted form of a client address: IPv4 as is, IPv6 by its /64 prefix. */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return ip.slice(7);
  const [head, tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function valueAt(source: unknown, path: string): unknown {
  let v = source;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Whom a rule counts in this request; undefined when the request has no such value. */
function subject(per: RatePer, event: HttpEvent, s: HttpState): string | undefined {
  if (per === 'account') return s.principal?.userId;
  if (per === 'ip') return clientAddress(event.requestContext?.http?.sourceIp);
  const [where, ...rest] = per.split('.');
  const v = valueAt(where === 'body' ? s.body : s.params, rest.join('.'));
  if ((typeof v !== 'string' && typeof v !== 'number') || v === '') return undefined;
  return keyedDigest(`rate:${per}`, String(v));
}

/** The limits a request is counted against. Synchronous: the digest key is loaded before (`before`). */
export function limitsOf(event: HttpEvent, s: HttpState): Limit[] {
  const rules = rulesFor(s.route);
  if (!rules.length) return [];
  const key = routeKey(s.route);
  const out: Limit[] = [];
  for (const r of rules) {
    const who = subject(r.per, event, s);
    if (who !== undefined) out.push({ bucket: `${r.per}:${key}:${r.windowSeconds}:${who}`, max: r.max, windowSeconds: r.windowSeconds });
  }
  return out;
}

const needsDigest = (rules: RateRule[]) => rules.some((r) => r.per !== 'account' && r.per !== 'ip');

/**
 * 429 `RATE_LIMITED` with Retry-After (seconds) and a Chinese message, before the route runs; for
 * an `inWrite` route, once it has answered unless its write counted the request.
 */
export function rateLimits(): MW {
  return {
    after: async ({ context }) => {
      await context.http?.admission?.settle();
    },
    onError: async (request) => {
      // The route failed (a 409 that wrote nothing): still counted; over the limit it is a 429.
      await request.context.http?.admission?.settle().catch((e: Error) => {
        request.error = e;
      });
    },
    before: async ({ event, context }) => {
      const s = context.http;
      // Values of the request are counted by a keyed digest; the key is loaded once per container.
      if (needsDigest(rulesFor(s.route))) await loadIdentityKeys();
      const limits = limitsOf(event, s);
      if (!limits.length) return;
      const own = s.route.rateLimit && !('neverRefuse' in s.route.rateLimit) ? s.route.rateLimit : undefined;
      const message = own?.message ?? DEFAULT_RATE_MESSAGE;
      if (own?.inWrite) s.admission = new Admission(limits, message);
      else await consume(limits, message);
    },
  };
}
