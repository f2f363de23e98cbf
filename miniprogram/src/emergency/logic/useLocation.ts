/**
 * The device's position for an SOS: asked once on opening, refreshable, with its accuracy.
 * `whenSettled()` lets the button wait (briefly) for a fix that is still coming.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CapturedLocation } from '@hospital/shared';
import { platform } from '../../platform';

export interface LocationState {
  location?: CapturedLocation;
  locating: boolean;
  error?: string;
  refresh: () => void;
  /** Resolves with the fix (or undefined) once locating ends, at most after `ms`. */
  whenSettled: (ms: number) => Promise<CapturedLocation | undefined>;
}

export function useLocation(): LocationState {
  const [state, setState] = useState<{ location?: CapturedLocation; locating: boolean; error?: string }>({ locating: true });
  const inflight = useRef<Promise<CapturedLocation | undefined> | null>(null);
  const alive = useRef(true);

  const refresh = useCallback(() => {
    setState((s) => ({ ...s, locating: true, error: undefined }));
    // Never gated by a consent or privacy dialog of ours: PIPL Art 13(4) lets an emergency use the
    // position without consent, and a call for help must not wait (platform/types.ts).
    const p = platform
      .getEmergencyLocation()
      .then((l) => {
        const location: CapturedLocation = { ...l, capturedAt: new Date().toISOString() };
        if (alive.current) setState({ location, locating: false });
        return location;
      })
      .catch((e: Error) => {
        if (alive.current) setState((s) => ({ location: s.location, locating: false, error: e.message }));
        return undefined;
      });
    inflight.current = p;
  }, []);

  useEffect(() => {
    alive.current = true;
    refresh();
    return () => {
      alive.current = false;
    };
  }, [refresh]);

  const whenSettled = useCallback(async (ms: number) => {
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), ms));
    return (await Promise.race([inflight.current ?? Promise.resolve(undefined), timeout])) ?? state.location;
  }, [state.location]);

  return { ...state, refresh, whenSettled };
}
