/**
 * Live pages (the waiting queue, the staff call list, a payment hold's countdown): run `tick`
 * every `ms` while the page is on screen. Stops when the page is hidden (another page opened on
 * top, the app in the background) and ticks once at once when it is shown again.
 */
import { useEffect, useRef, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';

export function usePolling(tick: () => void, ms: number, active: boolean): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  const [visible, setVisible] = useState(true);
  const wasHidden = useRef(false);
  useDidShow(() => {
    if (wasHidden.current && active) tickRef.current();
    wasHidden.current = false;
    setVisible(true);
  });
  useDidHide(() => {
    wasHidden.current = true;
    setVisible(false);
  });
  useEffect(() => {
    if (!active || !visible) return undefined;
    const timer = setInterval(() => tickRef.current(), ms);
    return () => clearInterval(timer);
  }, [active, visible, ms]);
}

/** The current time, refreshed every `ms` while `active` (countdowns, release times). */
export function useNow(ms: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  usePolling(() => setNow(Date.now()), ms, active);
  return now;
}
