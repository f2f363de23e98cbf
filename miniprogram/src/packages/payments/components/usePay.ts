/**
 * The payment step every purpose goes through (挂号费, 门诊缴费, 住院押金):
 *
 *   const pay = usePay();
 *   <ChannelPicker pay={pay} />
 *   <Btn busy={pay.busy} onTap={() => pay.start({ purpose: 'deposit', refId, amount })}>预交</Btn>
 *   <PayProblem pay={pay} />
 *
 * 1. `POST /v1/payments` with an Idempotency-Key (a retry after a network failure sends the same
 *    key, so it never makes a second order); the server prices it.
 * 2. The platform opens its cashier (`platform.pay`: requestPayment / tradePay / H5 checkout).
 * 3. The result page asks the server until the order is final. Nothing here marks anything paid.
 */
import { useCallback, useState } from 'react';
import type { PaymentChannel, PaymentOrderView, PaymentPurpose } from '@hospital/shared';
import { platform } from '../../../platform';
import type { PayOutcome } from '../../../platform/types';
import { navigate } from '../../../navigation';
import { api } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import type { ApiError } from '../../../services/client';

export interface PayRequest {
  purpose: PaymentPurpose;
  refId?: string;
  refIds?: string[];
  /** Fen; a deposit top-up only. */
  amount?: number;
}

export interface PayStep {
  channels: readonly PaymentChannel[];
  channel: PaymentChannel | undefined;
  choose: (c: PaymentChannel) => void;
  start: (r: PayRequest) => Promise<void>;
  /** Creating the order again after a failure: the same Idempotency-Key. */
  retry: () => Promise<void>;
  busy: boolean;
  error: ApiError | null;
  /** Something the cashier said (cancelled, not supported, failed) in words for the person. */
  note: string | null;
  clear: () => void;
}

/** Opens the cashier for an order and goes to the result page when the host says it is done. */
export async function openCashier(order: Pick<PaymentOrderView, 'orderNo' | 'pay'>): Promise<PayOutcome> {
  if (!order.pay) {
    await navigate('paymentResult', { orderNo: order.orderNo });
    return 'done';
  }
  const outcome = await platform.pay(order.pay);
  if (outcome === 'done') await navigate('paymentResult', { orderNo: order.orderNo });
  return outcome;
}

export function usePay(): PayStep {
  const { run, retry: again, reset, loading, error } = useAction(api.payments.create);
  const channels = platform.payChannels;
  const [channel, choose] = useState<PaymentChannel | undefined>(channels[0]);
  const [opening, setOpening] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  const open = useCallback(async (order: PaymentOrderView | undefined) => {
    if (!order) return; // `error` says why
    setOpening(true);
    try {
      const outcome = await openCashier(order);
      if (outcome === 'cancelled') setNote('您已取消支付，没有扣款。');
    } catch (e) {
      setNote((e as Error).message || '支付未完成，请重试');
    } finally {
      setOpening(false);
    }
  }, []);

  const start = useCallback(
    async (r: PayRequest) => {
      setNote(null);
      if (!channel) {
        setNote('当前平台暂不支持在线支付，请到医院收费窗口缴费');
        return;
      }
      await open(await run({ body: { ...r, channel } }));
    },
    [channel, run, open],
  );

  const retry = useCallback(async () => {
    setNote(null);
    await open(await again());
  }, [again, open]);

  const clear = useCallback(() => {
    setNote(null);
    reset();
  }, [reset]);

  return { channels, channel, choose, start, retry, busy: loading || opening, error, note, clear };
}
