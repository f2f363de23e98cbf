import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { PAYMENT_CHANNEL_LABEL, PAYMENT_PURPOSE_LABEL, REFUND_STATUS_LABEL, type PaymentOrderView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { navigate, redirect, useRouteParams } from '../../../../navigation';
import { platform } from '../../../../platform';
import { whenText, yuan } from '../../../../payments/format';
import { Kv } from '../../components/Kv';
import { useOrder } from '../../components/useOrder';
import { backTo } from '../../logic/back';
import { NEXT_STEP, resultScreen } from '../../logic/result';
import '../../pay.css';

/**
 * Where every payment ends: the server's word on the order, asked again and again until it is
 * final. 支付结果确认中 while the bank has not confirmed; 支付成功 only when the hospital has it.
 */
export default function PaymentResult() {
  const { orderNo = '', sandbox_result } = useRouteParams('paymentResult');
  const order = useOrder(orderNo);
  const [note, setNote] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  const continuePaying = async (o: PaymentOrderView) => {
    if (!o.pay) return;
    setNote(null);
    setOpening(true);
    try {
      const outcome = await platform.pay(o.pay);
      if (outcome === 'cancelled') setNote('您已取消支付，没有扣款。');
      if (outcome !== 'left') order.retry();
    } catch (e) {
      setNote((e as Error).message || '支付未完成，请重试');
    } finally {
      setOpening(false);
    }
  };

  const next = (o: PaymentOrderView) => {
    if (o.purpose === 'deposit') return backTo('inpatientDeposit', { admissionId: o.refIds[0] });
    if (o.purpose === 'bill') return backTo('outpatientPayment', { patientId: o.patientId });
    return redirect('appointmentDetail', { appointmentId: o.refIds[0] });
  };

  return (
    <View className='page pay-page' id='payment-result'>
      <AsyncView state={order} loadingText='正在查询支付结果…'>
        {(o) => {
          const screen = resultScreen(o, { cancelled: sandbox_result === 'cancelled' || !!note, gaveUp: order.gaveUp });
          return (
            <View>
              <View className={`pay-result pay-result--${screen.tone} result--${o.result}`} id='result-banner' ariaRole='alert'>
                <Text className='pay-result__title' id='result-title'>
                  {screen.title}
                </Text>
                <Text className='pay-result__amount' id='result-amount'>
                  {yuan(o.amount)}
                </Text>
                <Text className='pay-result__text' id='result-text'>
                  {screen.text}
                </Text>
                {screen.checking ? (
                  <View className='checking' id='result-checking'>
                    <View className='checking__dot' />
                    <Text>正在核对…</Text>
                  </View>
                ) : null}
              </View>

              {note ? (
                <View className='pay-problem pay-problem--note' id='pay-note'>
                  <Text className='pay-problem__text'>{note}</Text>
                </View>
              ) : null}

              {screen.canContinue ? (
                <Btn kind='primary' id='result-continue' busy={opening} onTap={() => void continuePaying(o)}>
                  继续支付 {yuan(o.amount)}
                </Btn>
              ) : null}
              {!o.final ? (
                <Btn id='result-refresh' busy={order.loading && !order.gaveUp} onTap={order.retry}>
                  刷新
                </Btn>
              ) : null}
              <Btn kind={o.final && !screen.canContinue ? 'primary' : 'default'} id='result-next' onTap={() => void next(o)}>
                {screen.canStartAgain ? NEXT_STEP[o.purpose].again : NEXT_STEP[o.purpose].done}
              </Btn>

              <View className='card'>
                <Kv label='缴费项目'>{PAYMENT_PURPOSE_LABEL[o.purpose]}</Kv>
                <Kv label='说明'>{o.description}</Kv>
                <Kv label='支付方式'>{PAYMENT_CHANNEL_LABEL[o.channel]}</Kv>
                <Kv label='订单号' id='result-order-no'>
                  {o.orderNo}
                </Kv>
                <Kv label='下单时间'>{whenText(o.createdAt)}</Kv>
                {o.paidAt ? <Kv label='支付时间'>{whenText(o.paidAt)}</Kv> : null}
                {o.refunded > 0 ? <Kv label='已退款'>{yuan(o.refunded)}</Kv> : null}
              </View>
              {o.refunds.map((r) => (
                <View className='card' key={r.refundNo}>
                  <Kv label='退款'>{yuan(r.amount)}</Kv>
                  <Kv label='状态'>{REFUND_STATUS_LABEL[r.status]}</Kv>
                  <Kv label='原因'>{r.reason}</Kv>
                </View>
              ))}
              <Btn id='result-home' onTap={() => void navigate('home')}>
                返回首页
              </Btn>
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
