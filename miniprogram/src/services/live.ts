/**
 * Live updates over the WebSocket API, with polling as the fallback that is always there:
 *
 *   const live = useLive(token, (msg) => msg.type === 'emergency.updated' && reload());
 *   usePolling(reload, live ? 15_000 : 4_000);
 *
 * The socket authenticates with `?token=` (an access token, or an emergency's capability token)
 * and is re-opened with backoff when it drops; messages only say what changed — pages re-read
 * through the API, so a missed message costs at most one polling interval.
 */
import { useEffect, useRef, useState } from 'react';
import { platform, type LiveSocket } from '../platform';

export interface LiveMessage {
  type: string;
  data?: { id?: string; status?: string; [k: string]: unknown };
}

const MAX_BACKOFF_MS = 30_000;
/** API Gateway drops an idle socket after 10 minutes. */
const KEEPALIVE_MS = 5 * 60_000;

/** Opens and keeps a socket; returns the function that stops it. */
export function connectLive(token: () => string | undefined, onMessage: (m: LiveMessage) => void, onState: (open: boolean) => void): () => void {
  let stopped = false;
  let socket: LiveSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  let failures = 0;

  const schedule = () => {
    if (stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
    failures++;
    retry = setTimeout(open, delay);
  };

  const open = async () => {
    const t = token();
    if (stopped) return;
    if (!t) return schedule();
    try {
      const s = await platform.openSocket(`${WS_BASE}?token=${encodeURIComponent(t)}`);
      if (stopped) return s.close();
      socket = s;
      s.onOpen(() => {
        failures = 0;
        onState(true);
        keepalive = setInterval(() => s.send('{"action":"ping"}'), KEEPALIVE_MS);
      });
      s.onMessage((text) => {
        try {
          onMessage(JSON.parse(text) as LiveMessage);
        } catch {
          /* not ours */
        }
      });
      s.onClose(() => {
        clearInterval(keepalive);
        if (socket === s) socket = undefined;
        onState(false);
        schedule();
      });
    } catch {
      onState(false);
      schedule();
    }
  };

  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(keepalive);
    socket?.close();
  };
}

/** True while the socket is open. `token` undefined: no socket (polling only). */
export function useLive(token: string | undefined, onMessage: (m: LiveMessage) => void): boolean {
  const [open, setOpen] = useState(false);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const enabled = !!token;
  useEffect(() => {
    if (!enabled) return undefined;
    return connectLive(
      () => tokenRef.current,
      (m) => handler.current(m),
      setOpen,
    );
  }, [enabled]);
  return enabled && open;
}

/** Calls `fn` every `ms` while mounted (and `enabled`); the latest `fn` is used. */
export function usePolling(fn: () => void, ms: number, enabled = true): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!enabled) return undefined;
    const t = setInterval(() => ref.current(), ms);
    return () => clearInterval(t);
  }, [ms, enabled]);
}
