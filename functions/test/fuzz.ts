/**
 * The one fuzz helper every feature shares. Given the contract (`api` from @hospital/shared) and
 * a handler per feature, it builds requests for every route with fast-check — bodies of every JSON
 * type, bodies shaped like the route's own schema with wrong, huge or deeply nested values, huge
 * strings and ids, wrong content types, base64 bodies, random path parameters, queries, headers,
 * tokens and source addresses — sends them to the real handler in process (as API Gateway would)
 * and checks each answer: never a 5xx; a 4xx is `{ error: { code, message } }` (ErrorBodySchema);
 * JSON carries `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`; a JSON body
 * that is not an object where the route expects one is a 400 naming `body`; an over-long id is
 * never accepted.
 *
 * `functions/test/fuzz.test.ts` runs it briefly for every feature in `npm test`; `npm run fuzz`
 * (scripts/fuzz.ts) runs it long and prints the counts.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Context } from 'aws-lambda';
import { ErrorBodySchema, fillPath, Roles, routeKey, type RouteDef, type Role } from '@hospital/shared';
import { MAX_ID_CHARS } from '#lib/http/middlewares';
import type { HttpEvent, HttpResult } from '#lib/http/index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (e: HttpEvent, c: any) => Promise<HttpResult | unknown>;
export type Contract = Record<string, Record<string, RouteDef>>;

export interface FuzzTarget {
  feature: string;
  name: string;
  key: string;
  route: RouteDef;
  handler: Handler;
}

/**
 * Every route of the contract with its feature's handler. Throws when a feature has no handler
 * (a new feature cannot skip the fuzz) or the map names a feature the contract does not have.
 */
export function fuzzTargets(contract: Contract, handlers: Record<string, Handler | undefined>): FuzzTarget[] {
  const missing = Object.keys(contract).filter((f) => typeof handlers[f] !== 'function');
  if (missing.length) throw new Error(`fuzz: no handler for feature(s) ${missing.join(', ')}: add them to the handler map`);
  const extra = Object.keys(handlers).filter((f) => !(f in contract));
  if (extra.length) throw new Error(`fuzz: handler map names feature(s) not in the contract: ${extra.join(', ')}`);
  return Object.entries(contract).flatMap(([feature, routes]) =>
    Object.entries(routes).map(([name, route]) => ({ feature, name, key: routeKey(route), route, handler: handlers[feature] as Handler })),
  );
}

/** What the fuzz knows about the world it runs in: callers, ids that exist, signers. */
export interface FuzzWorld {
  /** A token for a caller with this role (a demo user, a random one, another organisation's). */
  token(role: Role): Promise<string>;
  /** Ids that exist (seeded or seen in answers): mixed into path parameters, queries and bodies. */
  ids: string[];
  /** Signs a raw body for a signature route (`POST /v1/...` → headers); other ones get random signatures. */
  signers?: Record<string, (rawBody: string) => Record<string, string>>;
  /** Provider callbacks that must answer in the provider's own format, not ours (WeChat Pay, Alipay). */
  providerFormat?: Set<string>;
  /**
   * Well-formed bodies of routes the contract types only as raw (kiosk, lab and HIS pushes): the
   * fuzz sends them as they are and mutated (leaves replaced by wrong, huge or nested values).
   */
  samples?: Record<string, { contentType: string; body?: unknown; schema?: unknown }[]>;
}

export interface FuzzRequest {
  params: Record<string, string>;
  query?: Record<string, string>;
  /** undefined: no body at all. */
  rawBody?: string;
  /** What the body was before encoding, for the checks (`undefined` when it was not JSON). */
  json?: { value: unknown };
  base64?: 'valid' | 'garbage';
  headers: Record<string, string>;
  auth: 'allowed' | 'none' | 'garbage' | 'other-role';
  role?: Role;
  /** The gateway matched the route (`routeKey`), or only a catch-all with this method. */
  method?: string;
  sourceIp: string;
  sign: boolean;
}

// ── values ──────────────────────────────────────────────────────────────────────────────────

const ATOMS = [false, true, 0, -1, 1, 1.5, -0.0001, 1e308, -1e308, 2 ** 53 + 1, null, '', ' ', 'x', '0', 'false', 'null', '[]', '{}', [], {}, [null], [[]], { '': '' }];
const NASTY = ['../..', '..%2F..', '%00', '\u0000', '💥', '𠮷', '\u202e', '<script>alert(1)</script>', "' OR 1=1 --", '${x}', '{{x}}', 'PK#X', 'a#b', '__proto__', 'constructor', 'toString', ' x1 ', '\n', 'NaN', 'Infinity', '-1', '9'.repeat(30)];

/** Strings of every kind, huge ones (over any id limit, over DynamoDB's key sizes) included. */
const hugeString = fc.constantFrom(MAX_ID_CHARS + 1, 1025, 2049, 5000, 70_000).chain((n) => fc.constantFrom('a', '中', '9', '-').map((c) => c.repeat(n)));
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: hugeString },
);

/** Deep nesting as a value: arrays or objects, deeper than DynamoDB stores (32) and than most parsers like. */
const deepValue = fc.tuple(fc.integer({ min: 20, max: 400 }), fc.boolean()).map(([n, arr]) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = arr ? [v] : { a: v };
  return v;
});
/** Deep nesting as raw text (up to 100,000 levels: JSON.parse itself gives up). */
const deepRaw = fc.tuple(fc.constantFrom(50, 1000, 5000, 100_000), fc.boolean()).map(([n, arr]) => (arr ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ATOMS) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 3000 }).filter((a) => a.length > 100 || a.length === 0) },
);

const pick = <T>(pool: T[], fallback: fc.Arbitrary<T>) => (pool.length ? fc.nat().map((i) => pool[i % pool.length]) : fallback);

/** An id: a known one, a plausible one, a nasty or a huge one. */
const idArb = (world: FuzzWorld) =>
  fc.oneof(
    { weight: 4, arbitrary: pick(world.ids, fc.constant('p-demo-zhang-jianguo')) },
    { weight: 3, arbitrary: fc.stringMatching(/^[a-z]{1,4}-[\w-]{1,40}$/) },
    { weight: 2, arbitrary: anyString.filter((s) => s !== '') },
    { weight: 1, arbitrary: hugeString },
  );

// ── bodies shaped like a route's schema ─────────────────────────────────────────────────────

// zod 4 keeps a schema's definition in `_zod.def` (type, shape, checks, inner types).
interface ZDef {
  type: string;
  [k: string]: unknown;
}
type ZLike = { _zod: { def: ZDef } };
const defOf = (s: unknown): ZDef | undefined => (s as ZLike | undefined)?._zod?.def;

function stringFromChecks(def: ZDef, key: string, world: FuzzWorld): fc.Arbitrary<string> {
  const checks = ((def.checks as ZLike[] | undefined) ?? []).map((c) => c._zod.def as ZDef & { format?: string; pattern?: RegExp; minimum?: number; maximum?: number });
  const format = (def.format as string | undefined) ?? checks.find((c) => c.format)?.format;
  const regex = checks.find((c) => c.format === 'regex')?.pattern ?? (def.pattern as RegExp | undefined);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = checks.find((c) => c.check === 'max_length')?.maximum ?? 60;
  const out: fc.Arbitrary<string>[] = [];
  if (format === 'datetime') out.push(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString()));
  else if (format === 'date') out.push(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  else if (format === 'uuid' || format === 'guid') out.push(fc.uuid());
  else if (format === 'email') out.push(fc.emailAddress());
  else if (format === 'url') out.push(fc.webUrl());
  if (regex) {
    try {
      out.push(fc.stringMatching(regex));
    } catch {
      /* a pattern fast-check cannot generate from: plain strings below */
    }
  }
  if (/id$|no$/i.test(key) || key === 'code') out.push(pick(world.ids, fc.constant('x1')));
  out.push(fc.string({ minLength: Math.min(min, 40), maxLength: Math.max(Math.min(max, 60), Math.min(min, 40)) }));
  return fc.oneof(...out);
}

function numberFromChecks(def: ZDef): fc.Arbitrary<number> {
  const checks = ((def.checks as ZLike[] | undefined) ?? []).map((c) => c._zod.def as ZDef & { value?: number; format?: string });
  const lo = checks.find((c) => c.check === 'greater_than')?.value;
  const hi = checks.find((c) => c.check === 'less_than')?.value;
  const isInt = checks.some((c) => c.format === 'safeint' || c.format === 'int32') || def.format === 'safeint';
  const min = Number.isFinite(lo) ? Math.ceil(lo as number) : -1000;
  const max = Number.isFinite(hi) ? Math.floor(hi as number) : 1_000_000;
  const ints = fc.integer({ min: Math.min(min, max), max: Math.max(min, max) });
  return isInt ? ints : fc.oneof(ints, fc.double({ min: Math.min(min, max), max: Math.max(min, max), noNaN: true }));
}

/** A value the schema would mostly accept; now and then (and at every depth) a wrong one. */
export function fromSchema(schema: unknown, world: FuzzWorld, key = '', depth = 0): fc.Arbitrary<unknown> {
  const right = validish(schema, world, key, depth);
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrongValue });
}

function validish(schema: unknown, world: FuzzWorld, key: string, depth: number): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (!def || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  const inner = (s: unknown) => validish(s, world, key, depth + 1);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const rec = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, fromSchema(v, world, k, depth + 1)]));
      return fc.oneof(
        { weight: 5, arbitrary: fc.record(rec) },
        { weight: 2, arbitrary: fc.record(rec, { requiredKeys: [] }) },
        // Extra keys the schema does not know, including prototype names.
        { weight: 1, arbitrary: fc.tuple(fc.record(rec, { requiredKeys: [] }), fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'PK', 'SK', 'ttl', 'userId', 'roles', 'x'), wrongValue)).map(([a, b]) => ({ ...b, ...a })) },
      );
    }
    case 'string':
      return stringFromChecks(def, key, world);
    case 'number':
    case 'int':
      return numberFromChecks(def);
    case 'bigint':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'array':
      return fc.array(fromSchema(def.element, world, key, depth + 1), { maxLength: 4 });
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map(inner));
    case 'record':
      return fc.dictionary(fc.oneof(validish(def.keyType, world, key, depth + 1).map(String), fc.string({ maxLength: 10 })), fromSchema(def.valueType, world, key, depth + 1), { maxKeys: 4 });
    case 'optional':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 4 });
    case 'nullable':
      return fc.option(inner(def.innerType), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
    case 'success':
      return inner(def.innerType);
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(inner));
    case 'intersection':
      return fc.tuple(inner(def.left), inner(def.right)).map(([a, b]) => (a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a));
    case 'pipe':
      return inner(def.in);
    case 'lazy':
      return inner((def.getter as () => unknown)());
    case 'date':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ── requests ────────────────────────────────────────────────────────────────────────────────

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/fhir+json', 'application/octet-stream', 'image/png', '', 'application/jsonx'];

interface Body {
  raw?: string;
  json?: { value: unknown };
  /** The sample's own content type (an HL7 message is not JSON). */
  contentType?: string;
}

function bodyArb(route: RouteDef, world: FuzzWorld): fc.Arbitrary<Body> {
  const asJson = (a: fc.Arbitrary<unknown>) => a.map((value): Body => ({ raw: JSON.stringify(value), json: { value } }));
  const arbs: { weight: number; arbitrary: fc.Arbitrary<Body> }[] = [
    // Every JSON type, `false`, `0`, `null`, arrays and strings first among them.
    { weight: 4, arbitrary: asJson(fc.constantFrom(...ATOMS)) },
    { weight: 3, arbitrary: asJson(fc.jsonValue({ maxDepth: 4 })) },
    { weight: 1, arbitrary: asJson(fc.object({ maxDepth: 2 })) },
    { weight: 1, arbitrary: asJson(deepValue) },
    { weight: 1, arbitrary: deepRaw.map((raw): Body => ({ raw })) },
    { weight: 1, arbitrary: asJson(fc.tuple(fc.constantFrom('text', 'name', 'reason', 'note', 'x'), fc.constantFrom(1000, 100_000, 300_000)).map(([k, n]) => ({ [k]: 'x'.repeat(n) }))) },
    // Not JSON at all.
    { weight: 2, arbitrary: fc.oneof(fc.string(), fc.constantFrom('{', '{"a":}', '[1,]', 'undefined', 'NaN', "{'a':1}", '\u0000', '\ufeff{}', '{"a":1}{"b":2}')).map((raw): Body => ({ raw })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b): Body => ({ raw: Buffer.from(b).toString('latin1') })) },
    { weight: 1, arbitrary: fc.constant<Body>({}) },
  ];
  // Shaped like the route's schema: with wrong values here and there, and as right as it gets (to get past validation into the service).
  if (route.body) arbs.push({ weight: 10, arbitrary: asJson(fromSchema(route.body, world)) }, { weight: 8, arbitrary: asJson(validish(route.body, world, '', 0)) });
  const samples = world.samples?.[routeKey(route)];
  for (const x of samples?.filter((x) => x.schema) ?? []) {
    arbs.push({ weight: 8, arbitrary: fromSchema(x.schema, world).map((value): Body => ({ raw: JSON.stringify(value), json: { value }, contentType: x.contentType })) });
  }
  const bodies = samples?.filter((x) => !x.schema);
  if (bodies?.length) {
    const sample = fc.constantFrom(...bodies);
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    arbs.push({ weight: 4, arbitrary: sample.map((x): Body => ({ raw: text(x.body), contentType: x.contentType })) });
    arbs.push({ weight: 8, arbitrary: fc.tuple(sample, fc.array(fc.tuple(fc.nat(), wrongValue), { minLength: 1, maxLength: 3 })).map(([x, edits]): Body => ({ raw: text(mutate(x.body, edits)), contentType: x.contentType })) });
  }
  return fc.oneof(...arbs);
}

/** The sample with some of its leaves (counted depth first) replaced. A string sample (HL7) has its fields replaced. */
function mutate(sample: unknown, edits: [number, unknown][]): unknown {
  if (typeof sample === 'string') {
    const fields = sample.split('|');
    for (const [i, v] of edits) fields[i % fields.length] = typeof v === 'string' ? v : JSON.stringify(v);
    return fields.join('|');
  }
  const copy = structuredClone(sample);
  const leaves: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (x && typeof x === 'object' ? walk(x) : leaves.push([v, i])));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) x && typeof x === 'object' ? (leaves.push([v as Record<string, unknown>, k]), walk(x)) : leaves.push([v as Record<string, unknown>, k]);
  };
  walk(copy);
  for (const [i, v] of edits) {
    if (!leaves.length) break;
    const [holder, k] = leaves[i % leaves.length];
    (holder as Record<string | number, unknown>)[k] = v;
  }
  return copy;
}

function queryArb(route: RouteDef, world: FuzzWorld): fc.Arbitrary<Record<string, string> | undefined> {
  const def = defOf(route.query);
  const shapeOf = (d?: ZDef): Record<string, unknown> => (d?.type === 'object' ? (d.shape as Record<string, unknown>) : d?.type === 'intersection' ? { ...shapeOf(defOf(d.left)), ...shapeOf(defOf(d.right)) } : d?.type === 'pipe' ? shapeOf(defOf(d.in)) : {});
  const shape = shapeOf(def);
  const keys = Object.keys(shape);
  const str = (k: string) =>
    fc.oneof(
      { weight: 5, arbitrary: validish(shape[k], world, k, 1).map((v) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v))) },
      { weight: 2, arbitrary: anyString },
      { weight: 2, arbitrary: idArb(world) },
    );
  const known = Object.fromEntries(keys.map((k) => [k, str(k)]));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: keys.length ? 6 : 1, arbitrary: fc.record(known, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>> },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...keys, 'limit', 'cursor', '__proto__'), fc.string({ maxLength: 8 })), anyString, { maxKeys: 4 }) },
  );
}

/** Requests for one route. */
export function requestArb(target: FuzzTarget, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const { route } = target;
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const params = fc.tuple(...names.map(() => idArb(world))).map((ids) => Object.fromEntries(names.map((n, i) => [n, ids[i]])));
  const signer = world.signers?.[target.key];
  return fc
    .record({
      params: names.length ? params : fc.constant({}),
      query: queryArb(route, world),
      body: bodyArb(route, world),
      contentType: fc.oneof({ weight: 12, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
      base64: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('valid' as const, 'garbage' as const) }),
      auth: fc.oneof({ weight: 12, arbitrary: fc.constant('allowed' as const) }, { weight: 1, arbitrary: fc.constantFrom('none' as const, 'garbage' as const, 'other-role' as const) }),
      otherRole: fc.constantFrom(...Roles),
      idempotencyKey: fc.oneof({ weight: 6, arbitrary: fc.uuid().map((u) => `fuzz-${u}`) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyString }),
      extraHeaders: fc.dictionary(fc.constantFrom('x-source', 'x-timestamp', 'x-nonce', 'x-signature', 'wechatpay-signature', 'wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-serial', 'x-forwarded-for', 'accept', 'cookie', 'Content-Length'), anyString, { maxKeys: 3 }),
      method: fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
      sourceIp: fc.oneof(fc.ipV4(), fc.constantFrom('127.0.0.1', '::1', '2001:db8::1', '')),
      sign: signer ? fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) : fc.constant(false),
    })
    .map((r) => {
      const headers: Record<string, string> = { ...r.extraHeaders };
      const contentType = r.body.contentType && r.contentType === 'application/json' ? r.body.contentType : r.contentType;
      if (contentType !== undefined) headers[hash(JSON.stringify(r.params)) % 10 === 0 ? 'Content-Type' : 'content-type'] = contentType;
      if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
      const allowed = Array.isArray(route.access) ? (route.access as Role[]) : [];
      const role = r.auth === 'allowed' ? allowed[0] && allowed[Math.abs(hash(JSON.stringify(r.params))) % allowed.length] : r.auth === 'other-role' ? r.otherRole : undefined;
      return {
        params: r.params,
        query: r.query,
        rawBody: r.body.raw,
        json: r.body.json,
        base64: r.body.raw === undefined ? undefined : r.base64,
        headers,
        auth: r.auth,
        role,
        method: r.method,
        sourceIp: r.sourceIp,
        sign: r.sign,
      } satisfies FuzzRequest;
    });
}

const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

/** The API Gateway v2 event for a request (headers as the gateway gives them). */
export async function toEvent(target: FuzzTarget, req: FuzzRequest, world: FuzzWorld): Promise<HttpEvent> {
  const { route } = target;
  const headers = { ...req.headers };
  if (req.auth === 'garbage') headers.authorization = `Bearer ${randomUUID()}.${'x'.repeat(40)}.y`;
  else if (req.role && (req.auth === 'other-role' || Array.isArray(route.access) || route.access === 'public')) headers.authorization = `Bearer ${await world.token(req.role)}`;
  if (req.sign && req.rawBody !== undefined) Object.assign(headers, world.signers![target.key](req.rawBody));
  let path: string;
  try {
    path = fillPath(route.path, req.params);
  } catch {
    path = route.path;
  }
  const method = req.method ?? route.method;
  const body = req.rawBody === undefined ? undefined : req.base64 === 'valid' ? Buffer.from(req.rawBody, 'utf8').toString('base64') : req.base64 === 'garbage' ? `${req.rawBody}%%` : req.rawBody;
  return {
    version: '2.0',
    // A route the gateway matched carries its key; under another method only the catch-all ($default) does.
    routeKey: req.method ? '$default' : routeKey(route),
    rawPath: path,
    rawQueryString: new URLSearchParams(req.query ?? {}).toString(),
    headers,
    queryStringParameters: req.query,
    pathParameters: Object.keys(req.params).length ? req.params : undefined,
    body,
    isBase64Encoded: req.base64 !== undefined && body !== undefined,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: req.sourceIp, userAgent: 'fuzz' },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
    } as HttpEvent['requestContext'],
  } as HttpEvent;
}

const lambdaContext = (): Context => ({ awsRequestId: randomUUID(), functionName: 'fuzz', getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;

export interface FuzzResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json?: unknown;
  threw?: unknown;
}

export async function send(target: FuzzTarget, req: FuzzRequest, world: FuzzWorld): Promise<FuzzResponse> {
  let res: HttpResult;
  try {
    res = (await target.handler(await toEvent(target, req, world), lambdaContext())) as HttpResult;
  } catch (threw) {
    // A handler that throws is what API Gateway turns into a bare 500.
    return { status: 500, headers: {}, text: '', threw };
  }
  const headers = Object.fromEntries(Object.entries(res?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const text = res?.isBase64Encoded ? '' : (res?.body ?? '');
  let json: unknown;
  if (/json/.test(headers['content-type'] ?? '')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res?.statusCode ?? 200, headers, text, json };
}

const contentType = (req: FuzzRequest) => Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The route expects a JSON object body that the shared stack parses. */
const expectsObject = (route: RouteDef) => !!route.body && !route.rawBody && defOf(route.body)?.type !== 'unknown';

/** What is wrong with an answer (empty: nothing). */
export function problems(target: FuzzTarget, req: FuzzRequest, res: FuzzResponse, world: FuzzWorld): string[] {
  const out: string[] = [];
  if (res.threw) out.push(`handler threw: ${(res.threw as Error)?.stack ?? String(res.threw)}`);
  if (!(res.status >= 200 && res.status < 500)) out.push(`status ${res.status}: ${res.text.slice(0, 300)}`);
  const json = /json/.test(res.headers['content-type'] ?? '');
  if (!res.threw && res.headers['x-content-type-options'] !== 'nosniff') out.push('no X-Content-Type-Options: nosniff');
  if (json && res.headers['referrer-policy'] !== 'no-referrer') out.push('JSON without Referrer-Policy: no-referrer');
  if (json && res.json === undefined && res.text !== '') out.push(`content-type JSON but the body is not: ${res.text.slice(0, 100)}`);
  const own = world.providerFormat?.has(target.key);
  if (res.status >= 400 && res.status < 500 && !own) {
    const e = ErrorBodySchema.safeParse(res.json);
    if (!e.success) out.push(`${res.status} not in the error format: ${res.text.slice(0, 200)}`);
    else if (res.status === 400 && req.json && !isObject(req.json.value) && expectsObject(target.route) && !req.method && !req.base64 && /^application\/(.+\+)?json\b/i.test(contentType(req) ?? 'application/json')) {
      // A non-object where an object is expected: the 400 says so, naming `body`.
      const fields = e.data.error.fields ?? [];
      if (e.data.error.code !== 'VALIDATION_FAILED' || !fields.some((f) => f.path === 'body')) out.push(`non-object body ${req.rawBody?.slice(0, 40)} answered ${res.text.slice(0, 200)}`);
    }
  }
  const longId = Object.values(req.params).some((v) => v.length > MAX_ID_CHARS) || Object.values(req.query ?? {}).some((v) => v.length > MAX_ID_CHARS);
  if (longId && res.status < 400 && !own) out.push(`an id over ${MAX_ID_CHARS} characters was accepted (${res.status})`);
  return out;
}

/** Counts of a run: requests, per status, 5xx (with the first few, to reproduce). */
export class FuzzStats {
  requests = 0;
  byStatus = new Map<number, number>();
  byRoute = new Map<string, { requests: number; fiveXX: number }>();
  failures: { route: string; request: FuzzRequest; problems: string[] }[] = [];
  fiveXX = 0;
  /** Answers with anything wrong (5xx included). */
  withProblems = 0;

  record(target: FuzzTarget, req: FuzzRequest, res: FuzzResponse, found: string[]) {
    this.requests++;
    this.byStatus.set(res.status, (this.byStatus.get(res.status) ?? 0) + 1);
    const r = this.byRoute.get(target.key) ?? { requests: 0, fiveXX: 0 };
    r.requests++;
    if (res.status >= 500) {
      r.fiveXX++;
      this.fiveXX++;
    }
    this.byRoute.set(target.key, r);
    if (found.length) this.withProblems++;
    if (found.length && this.failures.length < 50) this.failures.push({ route: `${target.feature}.${target.name} ${target.key}`, request: req, problems: found });
  }
}

/** Ids in an answer (`id`, `*Id`, `*No` members): the world learns what exists. */
export function learnIds(world: FuzzWorld, res: FuzzResponse, max = 5000) {
  if (res.status >= 300 || !res.json) return;
  const seen = new Set(world.ids);
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || world.ids.length >= max) return;
    if (Array.isArray(v)) v.slice(0, 20).forEach((x) => walk(x, depth + 1));
    else if (isObject(v))
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x === 'string' && (k === 'id' || /Id$|No$/.test(k)) && x.length <= 120 && !seen.has(x)) {
          seen.add(x);
          world.ids.push(x);
        } else walk(x, depth + 1);
      }
  };
  walk(res.json, 0);
}

/** One request: send, check, count, learn. */
export async function fuzzOnce(target: FuzzTarget, req: FuzzRequest, world: FuzzWorld, stats?: FuzzStats): Promise<string[]> {
  const res = await send(target, req, world);
  const found = problems(target, req, res, world);
  stats?.record(target, req, res, found);
  learnIds(world, res);
  return found;
}

/** A short description of a request for a failure message (huge values cut). */
export function describeRequest(req: FuzzRequest): string {
  return JSON.stringify(req, (_k, v) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 60)}…(${v.length} chars)` : v));
}
