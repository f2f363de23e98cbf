import { Text, View } from '@tarojs/components';
import { PAYMENT_CHANNEL_LABEL, REFUND_STATUS_LABEL, type AdmissionView } from '@hospital/shared';
import { shortRef, whenText, yuan } from './format';
import './payments.css';

type Refund = NonNullable<AdmissionView['settlement']>['refunds'][number];

/**
 * 出院结算: the balance goes back to the deposits it came from (newest first), one line per
 * original payment with its channel and state; or the shortfall still to pay.
 */
export function SettlementRefunds({ refunds, shortfall, settledAt }: { refunds: readonly Refund[]; shortfall?: number; settledAt?: string }) {
  const total = refunds.reduce((s, r) => s + r.amount, 0);
  return (
    <View className='card settlement' id='settlement'>
      <Text className='settlement__title'>出院结算</Text>
      {settledAt ? <Text className='muted settlement__line'>结算时间 {whenText(settledAt)}</Text> : null}
      {refunds.length > 0 ? (
        <View>
          <Text className='settlement__line' id='settlement-refund-total'>
            退回押金 {yuan(total)}，按原支付方式退回（最近一笔预交优先）
          </Text>
          {refunds.map((r) => (
            <View key={r.refundNo} className='settlement-refund' id={`refund-${r.refundNo}`}>
              <View className='ledger-entry__row'>
                <Text className='settlement-refund__to'>
                  退回{PAYMENT_CHANNEL_LABEL[r.channel]} {shortRef(r.orderNo)}
                </Text>
                <Text className='settlement-refund__amount'>{yuan(r.amount)}</Text>
              </View>
              <Text className={`ledger-entry__refund refund--${r.status}`}>{REFUND_STATUS_LABEL[r.status]}</Text>
            </View>
          ))}
        </View>
      ) : shortfall && shortfall > 0 ? (
        <Text className='settlement__line' id='settlement-shortfall'>
          住院费用超出押金 {yuan(shortfall)}，需补缴后结清。
        </Text>
      ) : (
        <Text className='settlement__line'>押金与费用正好结清，无需退款。</Text>
      )}
    </View>
  );
}
