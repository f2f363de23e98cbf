/** Runs `fn` every `ms` while `active` (a visit's status while someone waits for it). */
import { useEffect, useRef } from 'react';

export function useEvery(ms: number, fn: () => void, active = true) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => ref.current(), ms);
    return () => clearInterval(t);
  }, [ms, active]);
}
