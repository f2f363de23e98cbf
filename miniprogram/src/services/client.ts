/**
 * The typed API client, built from the shared contract (`@hospital/shared` → `api`).
 *
 *   const me = await client.call(api.auth.me);
 *   await client.call(api.auth.login, { body: { provider: 'dev', code: 'u-patient-1' } });
 *
 * It knows nothing about Taro: the network is an injected `Transport`, tokens an injected
 * `TokenStore`. `services/api.ts` wires the real ones; tests pass fakes.
 *
 * What every call gets, so pages do not repeat it:
 * - the body and query are checked with the route's zod schema before anything is sent
 *   (an `ApiError` with `fields` the form can show next to each input);
 * - `Authorization: Bearer` for routes that need a role; an expired access token
 *   (401 `TOKEN_EXPIRED`) is refreshed ONCE (`POST /v1/auth/refresh`, shared by concurrent
 *   calls) and the call retried; otherwise the session is dropped and `onAuthRequired` fires;
 * - `Idempotency-Key` on routes that declare idempotency: one key per user action, the same
 *   key on every retry of that action (the refresh retry and `prepare(...).send()` again);
 * - errors in the `{ error: { code, message, fields? } }` format become a typed `ApiError`;
 *   no response at all becomes `offline` (device has no network) or `network` (server unreachable);
 * - the response is parsed with the route's response schema.
 */
import type * as z from 'zod';
import {
  api,
  ErrorBodySchema,
  fieldErrors,
  fillPath,
  type FieldError,
  type Method,
  type PathParams,
  type ResponseOf,
  type RouteDef,
  type TokenPair,
} from '@hospital/shared';

// ---------------------------------------------------------------------------------------------
// Types derived from a route

type BodyPart<D> = D extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : { body?: undefined };

type QueryPart<D> = D extends { query: infer Q extends z.ZodType }
  ? {} extends z.input<Q>
    ? { query?: z.input<Q> }
    : { query: z.input<Q> }
  : { query?: undefined };

/**
 * Path parameters, named after the `{param}`s of the route's path (the contract keeps literal
 * paths); a route typed with the wide `/v1/${string}` accepts any string record.
 */
type ParamsPart<D> = D extends { path: infer P extends string }
  ? `/v1/${string}` extends P
    ? { params?: Record<string, string> }
    : keyof PathParams<P> extends never
      ? { params?: undefined }
      : { params: PathParams<P> }
  : never;

export type CallArgs<D extends RouteDef> = BodyPart<D> &
  QueryPart<D> &
  ParamsPart<D> & {
    /** Reuse a key for a retried action (see `prepare`); generated when the route needs one. */
    idempotencyKey?: string;
    /**
     * A token for this call on a public route: an emergency's capability token, or the session's
     * access token to be known where an account is optional (紧急求助).
     */
    bearer?: string;
    /** The SOS device secret (`X-Device-Secret`) an emergency's capability token is bound to. */
    deviceSecret?: string;
  };

/** `[args]` when the route needs a body, query or path params, `[args?]` otherwise. */
export type CallRest<D extends RouteDef> = {} extends CallArgs<D> ? [args?: CallArgs<D>] : [args: CallArgs<D>];

export type Result<D extends RouteDef> = ResponseOf<D>;

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * - `http`: the server answered with an error (`status`, `code`, `message`, maybe `fields`)
 * - `invalid-input`: the client refused to send a body/query its schema rejects (`fields`)
 * - `offline`: no response and the device has no network
 * - `network`: no response although the device has a network (server down, timeout, DNS)
 * - `bad-response`: a 2xx whose body does not match the contract
 */
export type ApiErrorKind = 'http' | 'invalid-input' | 'offline' | 'network' | 'bad-response';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** Server error code (`CONFLICT`, `TOKEN_EXPIRED`, ...) or a client one (`OFFLINE`, `NETWORK_ERROR`). */
  readonly code: string;
  readonly fields: FieldError[];
  /** `PERSON_NOT_VERIFIED`: how this account can verify the person (`VerificationMethod`s). */
  readonly ways?: readonly string[];
  /** `CONSENT_REQUIRED`: the separate consent that is missing (`ConsentPurpose`). */
  readonly purpose?: string;

  constructor(init: {
    kind: ApiErrorKind;
    status: number;
    code: string;
    message: string;
    fields?: FieldError[];
    ways?: readonly string[];
    purpose?: string;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
    if (init.ways) this.ways = init.ways;
    if (init.purpose) this.purpose = init.purpose;
  }

  get offline(): boolean {
    return this.kind === 'offline';
  }

  /** The message for one input: `fieldError('code')` matches `code` and `body.code`. */
  fieldError(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path === `body.${path}` || f.path === `query.${path}`)?.message;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const HAN = /[\u4e00-\u9fff]/;

/** A sentence in Chinese for the person, whatever went wrong. */
export function describeError(err: unknown): string {
  if (!isApiError(err)) {
    const m = (err as { message?: unknown } | undefined)?.message;
    return typeof m === 'string' && HAN.test(m) ? m : '出错了，请稍后重试';
  }
  switch (err.kind) {
    case 'offline':
      return '网络不可用，请检查网络后重试';
    case 'network':
      return '无法连接服务器，请稍后重试';
    case 'bad-response':
      return '服务返回的数据有误，请稍后重试';
    case 'invalid-input':
      return err.fields[0]?.message && HAN.test(err.fields[0].message) ? err.fields[0].message : '请检查填写的内容';
    default:
  }
  // Server messages written for people (Chinese) win over the generic text of their code.
  if (HAN.test(err.message)) return err.message;
  switch (err.code) {
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
      return '登录已过期，请重新登录';
    case 'FORBIDDEN':
      return '您没有权限进行此操作';
    case 'NOT_FOUND':
      return '没有找到相关内容';
    case 'CONFLICT':
      return '状态已变化，请刷新后重试';
    case 'RATE_LIMITED':
      return '操作太频繁，请稍后再试';
    case 'VALIDATION_FAILED':
      return '请检查填写的内容';
    default:
      return err.status >= 500 ? '服务暂时不可用，请稍后重试' : '请求失败，请稍后重试';
  }
}

// ---------------------------------------------------------------------------------------------
// Injected collaborators

export interface TransportRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  /** Serialised JSON, when the route has a body. */
  body?: string;
}

export interface TransportResponse {
  status: number;
  /** Parsed JSON, a string when the body was not JSON, or null when empty. */
  data: unknown;
}

/** Resolves for every HTTP status; rejects only when no response arrived. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

export interface TokenStore {
  get(): StoredTokens | null;
  set(pair: TokenPair): void;
  clear(): void;
}

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:3000`, no trailing slash. */
  baseUrl: string;
  transport: Transport;
  tokens: TokenStore;
  /** Asked after a request got no response, to tell `offline` from `network`. */
  isOffline?: () => Promise<boolean>;
  /** The session is gone (no token, refresh refused): send the person to log in. */
  onAuthRequired?: (error: ApiError) => void;
  /** Idempotency keys; a random UUID v4 by default. */
  newKey?: () => string;
}

export interface PreparedCall<T> {
  readonly idempotencyKey: string | undefined;
  /** Sends (or re-sends) the action; every send carries the same idempotency key. */
  send(): Promise<T>;
}

export interface ApiClient {
  call<D extends RouteDef>(route: D, ...rest: CallRest<D>): Promise<Result<D>>;
  /** One user action (a tap on 确认挂号): its idempotency key is fixed now and reused on every retry. */
  prepare<D extends RouteDef>(route: D, ...rest: CallRest<D>): PreparedCall<Result<D>>;
}

// ---------------------------------------------------------------------------------------------

/** RFC 4122 v4 from Math.random: mini-programs have no crypto.randomUUID. Unique enough for keys. */
export function uuid(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

/** `?a=1&b=x%20y`; undefined/null dropped, arrays repeated. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    const values = Array.isArray(v) ? v : [v];
    for (const item of values) {
      if (item === undefined || item === null) continue;
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

const needsToken = (route: RouteDef) => Array.isArray(route.access);

/** `{ error: { code, message, fields?, ways?, purpose? } }` → ApiError; anything else gets a code from the status. */
export function errorFromResponse(res: TransportResponse): ApiError {
  const parsed = ErrorBodySchema.safeParse(res.data);
  if (parsed.success) {
    const { code, message, fields, ways, purpose } = parsed.data.error;
    return new ApiError({ kind: 'http', status: res.status, code, message, fields, ways, purpose });
  }
  return new ApiError({
    kind: 'http',
    status: res.status,
    code: `HTTP_${res.status}`,
    message: typeof res.data === 'string' && res.data.length < 200 ? res.data : `HTTP ${res.status}`,
  });
}

export function createClient(options: ClientOptions): ApiClient {
  const { baseUrl, transport, tokens } = options;
  const newKey = options.newKey ?? uuid;
  let refreshing: Promise<boolean> | null = null;

  const authRequired = (error: ApiError): ApiError => {
    tokens.clear();
    options.onAuthRequired?.(error);
    return error;
  };

  async function noResponse(cause: unknown): Promise<ApiError> {
    let offline = false;
    try {
      offline = (await options.isOffline?.()) ?? false;
    } catch {
      offline = false;
    }
    const detail = (cause as { errMsg?: string; message?: string } | undefined) ?? {};
    return new ApiError({
      kind: offline ? 'offline' : 'network',
      status: 0,
      code: offline ? 'OFFLINE' : 'NETWORK_ERROR',
      message: detail.errMsg || detail.message || (offline ? 'offline' : 'no response'),
    });
  }

  async function send(req: TransportRequest): Promise<TransportResponse> {
    try {
      return await transport(req);
    } catch (cause) {
      throw await noResponse(cause);
    }
  }

  /**
   * Exchanges the refresh token once, however many calls found their token expired at the same
   * time. Resolves false when the server refuses (the session is over); throws when no
   * response arrived (the session may still be fine: keep it).
   */
  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    const current = tokens.get();
    if (!current?.refreshToken) return Promise.resolve(false);
    const route = api.auth.refresh;
    refreshing = (async () => {
      const res = await send({
        method: route.method,
        url: baseUrl + route.path,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (res.status < 200 || res.status >= 300) return false;
      const pair = route.response.safeParse(res.data);
      if (!pair.success) return false;
      tokens.set(pair.data);
      return true;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function execute(route: RouteDef, args: Record<string, unknown>, idempotencyKey: string | undefined) {
    // 1. Check the input against the contract before anything leaves the phone.
    let body: unknown;
    if (route.body) {
      const checked = route.body.safeParse(args.body);
      if (!checked.success) {
        throw new ApiError({
          kind: 'invalid-input',
          status: 400,
          code: 'VALIDATION_FAILED',
          message: 'invalid request body',
          fields: fieldErrors(checked.error.issues, 'body'),
        });
      }
      body = checked.data;
    }
    let query = args.query as Record<string, unknown> | undefined;
    if (route.query) {
      const checked = route.query.safeParse(query ?? {});
      if (!checked.success) {
        throw new ApiError({
          kind: 'invalid-input',
          status: 400,
          code: 'VALIDATION_FAILED',
          message: 'invalid query',
          fields: fieldErrors(checked.error.issues, 'query'),
        });
      }
      query = checked.data as Record<string, unknown>;
    }
    const url = baseUrl + fillPath(route.path, args.params as Record<string, string> | undefined) + queryString(query);

    const headers: Record<string, string> = { Accept: 'application/json' };
    if (route.body) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const request = (): TransportRequest => {
      const h = { ...headers };
      if (typeof args.bearer === 'string' && !needsToken(route)) h.Authorization = `Bearer ${args.bearer}`;
      if (typeof args.deviceSecret === 'string') h['X-Device-Secret'] = args.deviceSecret;
      if (needsToken(route)) {
        const t = tokens.get();
        if (t?.accessToken) h.Authorization = `Bearer ${t.accessToken}`;
      }
      return { method: route.method, url, headers: h, body: route.body ? JSON.stringify(body) : undefined };
    };

    if (needsToken(route) && !tokens.get()?.accessToken) {
      throw authRequired(
        new ApiError({ kind: 'http', status: 401, code: 'UNAUTHENTICATED', message: 'not logged in' }),
      );
    }

    // 2. Send; on an expired access token, refresh once and send the same request again.
    let sent = request();
    let res = await send(sent);
    if (res.status === 401 && needsToken(route)) {
      const first = errorFromResponse(res);
      if (first.code !== 'TOKEN_EXPIRED') throw authRequired(first);
      // Another call may have refreshed while this one was in flight: then just use the new token.
      const tokenNow = tokens.get()?.accessToken;
      const alreadyRefreshed = !!tokenNow && sent.headers.Authorization !== `Bearer ${tokenNow}`;
      if (!alreadyRefreshed && !(await refresh())) throw authRequired(first);
      sent = request();
      res = await send(sent);
      if (res.status === 401) throw authRequired(errorFromResponse(res));
    }

    // 3. Shape the outcome.
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res);
    const parsed = route.response.safeParse(res.status === 204 ? undefined : res.data);
    if (!parsed.success) {
      throw new ApiError({
        kind: 'bad-response',
        status: res.status,
        code: 'BAD_RESPONSE',
        message: `response of ${route.method} ${route.path} does not match the contract`,
        fields: fieldErrors(parsed.error.issues, 'response'),
      });
    }
    return parsed.data;
  }

  const keyFor = (route: RouteDef, args: { idempotencyKey?: string } | undefined) =>
    route.idempotency ? (args?.idempotencyKey ?? newKey()) : undefined;

  return {
    call(route, ...rest) {
      const args = (rest[0] ?? {}) as Record<string, unknown> & { idempotencyKey?: string };
      return execute(route, args, keyFor(route, args)) as Promise<never>;
    },
    prepare(route, ...rest) {
      const args = (rest[0] ?? {}) as Record<string, unknown> & { idempotencyKey?: string };
      const idempotencyKey = keyFor(route, args);
      return {
        idempotencyKey,
        send: () => execute(route, args, idempotencyKey) as Promise<never>,
      };
    },
  };
}
