/**
 * A call for help that could not be sent is kept on the phone and sent again with backoff until
 * the server has it — also after the app was closed and opened again. Every attempt carries the
 * same Idempotency-Key, so a request that did reach the server (the answer was lost) is never
 * stored twice. Only a refusal of the content itself (400) stops the retries: the person must
 * correct it. A key the server says was used for another request (the device secret in the body
 * changed, e.g. the storage was wiped) is replaced and the press sent again: never dropped.
 * No Taro here: storage, sending and time are injected (tests pass fakes).
 */
import type { CreateEmergencyRequest, EmergencyCreated } from '@hospital/shared';

export interface PendingSos {
  body: CreateEmergencyRequest;
  idempotencyKey: string;
  /** The logged-in person's access token when pressed (optional identity), if any. */
  bearer?: string;
  firstTriedAt: string;
  attempts: number;
  /** Sent again once under a new key (see `needsNewKey`). */
  rekeyed?: boolean;
}

/** Where a sent request is followed from (survives a restart). */
export interface CurrentSos {
  id: string;
  /** Bound to this phone's device secret; empty when the server returned none. */
  accessToken: string;
  accessExpiresAt: string;
  createdAt: string;
  /** joined: this press was linked to another phone's open request for the same number. */
  view?: 'caller' | 'joined';
}

export interface KeyValue {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export const PENDING_KEY = 'hospital.emergency.pending.v1';
export const CURRENT_KEY = 'hospital.emergency.current.v1';

/** 2, 4, 8, 16 s, then every 30 s: fast while a weak signal comes and goes, never silent. */
export const retryDelayMs = (attempt: number) => Math.min(30_000, 2000 * 2 ** Math.max(0, attempt - 1));

export type OutboxState =
  | { phase: 'idle' }
  | { phase: 'sending'; attempt: number }
  | { phase: 'waiting'; attempt: number; retryAt: number; reason: string }
  | { phase: 'refused'; message: string; fields: { path: string; message: string }[] }
  | { phase: 'sent'; created: EmergencyCreated };

export interface OutboxDeps {
  store: KeyValue;
  send(p: PendingSos): Promise<EmergencyCreated>;
  /** A refusal the retry cannot fix (400 and the like), with its message; undefined to retry. */
  refusal(e: unknown): { message: string; fields: { path: string; message: string }[] } | undefined;
  /** The key was used for a different request: send again at once under a new key. */
  needsNewKey?(e: unknown): boolean;
  describe(e: unknown): string;
  sleep(ms: number): Promise<void>;
  now(): number;
  newKey(): string;
}

const isPending = (v: unknown): v is PendingSos => !!v && typeof (v as PendingSos).idempotencyKey === 'string' && typeof (v as PendingSos).body === 'object';
const isCurrent = (v: unknown): v is CurrentSos => !!v && typeof (v as CurrentSos).id === 'string' && typeof (v as CurrentSos).accessToken === 'string';

export function createOutbox(deps: OutboxDeps) {
  let state: OutboxState = { phase: 'idle' };
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const listeners = new Set<(s: OutboxState) => void>();
  const set = (s: OutboxState) => {
    state = s;
    listeners.forEach((l) => l(s));
  };

  const pending = (): PendingSos | undefined => {
    const v = deps.store.get(PENDING_KEY);
    return isPending(v) ? v : undefined;
  };
  const current = (): CurrentSos | undefined => {
    const v = deps.store.get(CURRENT_KEY);
    return isCurrent(v) ? v : undefined;
  };

  async function loop() {
    for (;;) {
      const p = pending();
      if (!p) return;
      const attempt = p.attempts + 1;
      deps.store.set(PENDING_KEY, { ...p, attempts: attempt });
      set({ phase: 'sending', attempt });
      try {
        const created = await deps.send(p);
        deps.store.set(CURRENT_KEY, {
          id: created.id,
          accessToken: created.accessToken ?? '',
          accessExpiresAt: created.accessExpiresAt ?? '',
          createdAt: created.createdAt,
          view: created.view,
        } satisfies CurrentSos);
        deps.store.remove(PENDING_KEY);
        set({ phase: 'sent', created });
        return;
      } catch (e) {
        if (!p.rekeyed && deps.needsNewKey?.(e)) {
          deps.store.set(PENDING_KEY, { ...p, attempts: attempt, idempotencyKey: deps.newKey(), rekeyed: true });
          continue;
        }
        const refused = deps.refusal(e);
        if (refused) {
          deps.store.remove(PENDING_KEY);
          set({ phase: 'refused', ...refused });
          return;
        }
        const wait = retryDelayMs(attempt);
        set({ phase: 'waiting', attempt, retryAt: deps.now() + wait, reason: deps.describe(e) });
        await Promise.race([deps.sleep(wait), new Promise<void>((r) => (wake = r))]);
        wake = undefined;
      }
    }
  }

  /** Keeps sending what is pending until it is sent or refused; one loop at a time. */
  function resume(): Promise<void> {
    if (!running && pending()) running = loop().finally(() => (running = undefined));
    return running ?? Promise.resolve();
  }

  return {
    get state() {
      return state;
    },
    subscribe(l: (s: OutboxState) => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    pending,
    current,
    /** A press: stored on the phone first, then sent (and re-sent) until the server has it. */
    press(body: CreateEmergencyRequest, bearer?: string): Promise<void> {
      if (!pending()) deps.store.set(PENDING_KEY, { body, bearer, idempotencyKey: deps.newKey(), firstTriedAt: new Date(deps.now()).toISOString(), attempts: 0 } satisfies PendingSos);
      return resume();
    },
    resume,
    /** Try now instead of waiting out the backoff (the network came back, or the person tapped 重试). */
    retryNow(): Promise<void> {
      wake?.();
      return resume();
    },
    /** The followed request has ended and the person starts over. */
    forget() {
      deps.store.remove(CURRENT_KEY);
      set({ phase: 'idle' });
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
