/**
 * The result page's view of one order: `GET /v1/payments/{orderNo}` until it is final, with the
 * back-off of `logic/poll.ts`, paused while the page is hidden, sped up by a live push about the
 * order, and resumed when the network comes back. `retry` restarts the quick polling.
 */
import { useCallback, useEffect, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import type { PaymentOrderView } from '@hospital/shared';
import { platform } from '../../../platform';
import { api, call } from '../../../services/api';
import type { ApiError } from '../../../services/client';
import { useLive } from '../../../services/live';
import { useSession } from '../../../services/session';
import { toApiError } from '../../../services/useApi';
import { nextPoll } from '../logic/poll';

export interface OrderState {
  data: PaymentOrderView | undefined;
  loading: boolean;
  error: ApiError | null;
  offline: boolean;
  retry: () => void;
  /** Polling stopped by itself without a final answer (the page offers 刷新). */
  gaveUp: boolean;
}

export function useOrder(orderNo: string): OrderState {
  const [state, setState] = useState<{ data?: PaymentOrderView; loading: boolean; error: ApiError | null }>({ loading: true, error: null });
  const [round, setRound] = useState(0);
  const [gaveUp, setGaveUp] = useState(false);
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  const retry = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    if (!visible) return undefined;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const startedAt = Date.now();
    setGaveUp(false);
    const tick = async () => {
      setState((s) => ({ ...s, loading: true }));
      let final = false;
      try {
        const data = await call(api.payments.get, { params: { orderNo } });
        if (!alive) return;
        final = data.final;
        setState({ data, loading: false, error: null });
      } catch (e) {
        if (!alive) return;
        const error = toApiError(e);
        // A missing or forbidden order will not appear by asking again.
        final = error.kind === 'http' && error.status >= 400 && error.status < 500 && error.status !== 429;
        setState((s) => ({ ...s, loading: false, error }));
        if (error.offline) return; // resumed by onOnline below
      }
      const delay = nextPoll({ final, attempt: attempt++, startedAt, now: Date.now() });
      if (delay === null) {
        if (!final) setGaveUp(true);
        return;
      }
      timer = setTimeout(() => void tick(), delay);
    };
    void tick();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [orderNo, round, visible]);

  const offline = !!state.error?.offline;
  useEffect(() => (offline ? platform.onOnline(retry) : undefined), [offline, retry]);

  const session = useSession();
  const final = !!state.data?.final;
  useLive(final ? undefined : session?.accessToken, (m) => {
    if (m.type.startsWith('payment.') && m.data?.orderNo === orderNo) retry();
  });

  return { data: state.data, loading: state.loading, error: state.error, offline, retry, gaveUp };
}
