/**
 * Loading / error / offline state for API calls, handled once:
 *
 *   const users = useApi(api.auth.devUsers);                  // read on mount
 *   const me = useApi(api.auth.me, undefined, { enabled: !!session, refreshOnShow: true });
 *   <AsyncView state={users}>{(d) => ...}</AsyncView>
 *
 *   const login = useAction(api.auth.login);                  // a write the person triggers
 *   const pair = await login.run({ body: { provider: 'dev', code } });
 *   login.retry();                                            // same Idempotency-Key
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import type { RouteDef } from '@hospital/shared';
import { platform } from '../platform';
import { client } from './api';
import { ApiError, type CallArgs, type PreparedCall, type Result } from './client';

export interface ApiState<T> {
  data: T | undefined;
  /** A request is in flight (data may still hold the previous result). */
  loading: boolean;
  error: ApiError | null;
  /** The last attempt failed because the device has no network. */
  offline: boolean;
  /** Try again (after an error, or to refresh). */
  retry: () => void;
}

export interface UseApiOptions {
  /** false: do not call (e.g. nobody is logged in yet). Default true. */
  enabled?: boolean;
  /** Call again whenever the page is shown again (tab pages stay mounted). */
  refreshOnShow?: boolean;
}

type HookRest<D extends RouteDef> = {} extends CallArgs<D>
  ? [args?: CallArgs<D>, options?: UseApiOptions]
  : [args: CallArgs<D>, options?: UseApiOptions];

/** Anything thrown becomes an ApiError, so views need one shape. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = (e as { message?: string } | undefined)?.message ?? String(e);
  return new ApiError({ kind: 'network', status: 0, code: 'CLIENT_ERROR', message });
}

/** Reads `route` when the component mounts and whenever `args` change. */
export function useApi<D extends RouteDef>(route: D, ...rest: HookRest<D>): ApiState<Result<D>> {
  const [args, options] = rest;
  const enabled = options?.enabled ?? true;
  const argsKey = JSON.stringify(args ?? null);
  const argsRef = useRef(args);
  argsRef.current = args;

  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: Result<D> | undefined; loading: boolean; error: ApiError | null }>({
    data: undefined,
    loading: enabled,
    error: null,
  });

  useEffect(() => {
    if (!enabled) {
      setState((s) => (s.loading ? { ...s, loading: false } : s));
      return undefined;
    }
    let alive = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    (client.call as (r: RouteDef, a?: unknown) => Promise<Result<D>>)(route, argsRef.current).then(
      (data) => alive && setState({ data, loading: false, error: null }),
      (e: unknown) => alive && setState((s) => ({ data: s.data, loading: false, error: toApiError(e) })),
    );
    return () => {
      alive = false;
    };
  }, [route, argsKey, enabled, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  // Offline: try again by itself when the network comes back.
  const offline = !!state.error?.offline;
  useEffect(() => (offline ? platform.onOnline(retry) : undefined), [offline, retry]);

  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && options?.refreshOnShow && enabled) retry();
    shown.current = true;
  });

  return { ...state, offline, retry };
}

export interface ActionState<T, A> {
  /** Starts a new action (a new Idempotency-Key). Resolves undefined on failure (see `error`). */
  run: (args: A) => Promise<T | undefined>;
  data: T | undefined;
  loading: boolean;
  error: ApiError | null;
  offline: boolean;
  /** Sends the last action again with the same Idempotency-Key. */
  retry: () => Promise<T | undefined>;
  /** Clears the error (e.g. when the person edits the form). */
  reset: () => void;
}

/** A write the person triggers (a tap), with its idempotency key kept across retries. */
export function useAction<D extends RouteDef>(route: D): ActionState<Result<D>, CallArgs<D>> {
  const [state, setState] = useState<{ data: Result<D> | undefined; loading: boolean; error: ApiError | null }>({
    data: undefined,
    loading: false,
    error: null,
  });
  const last = useRef<PreparedCall<Result<D>> | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const send = useCallback(async (prepared: PreparedCall<Result<D>>) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const data = await prepared.send();
      if (mounted.current) setState({ data, loading: false, error: null });
      return data;
    } catch (e) {
      if (mounted.current) setState((s) => ({ ...s, loading: false, error: toApiError(e) }));
      return undefined;
    }
  }, []);

  const run = useCallback(
    (args: CallArgs<D>) => {
      const prepared = (client.prepare as (r: RouteDef, a?: unknown) => PreparedCall<Result<D>>)(route, args);
      last.current = prepared;
      return send(prepared);
    },
    [route, send],
  );

  const retry = useCallback(
    () => (last.current ? send(last.current) : Promise.resolve(undefined)),
    [send],
  );
  const reset = useCallback(() => setState((s) => ({ ...s, error: null })), []);

  return { ...state, offline: !!state.error?.offline, run, retry, reset };
}
