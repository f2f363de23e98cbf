import { Text, View } from '@tarojs/components';
import type { AppointmentView } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { clock } from '../../../booking/calendar';
import { feeText } from '../../../booking/text';
import { useNow } from '../../../services/usePolling';
import { countdown } from '../logic/countdown';
import { startAppointmentPayment } from '../payment-handoff';

/**
 * 待支付: the fee, the time left before the place is released, and 去支付. When the time is up
 * it says so at once (the server's expiry job releases the place; `onExpired` refreshes).
 */
export function HoldCountdown({ appointment, onExpired }: { appointment: AppointmentView; onExpired?: () => void }) {
  const now = useNow(1000);
  const left = countdown(appointment.holdExpiresAt, now);
  if (left.expired) {
    return (
      <View className='banner banner--over' id='hold-expired'>
        <Text className='banner__title'>支付已超时</Text>
        <Text className='banner__text'>没有在规定时间内完成支付，号源已经释放。如仍需就诊，请重新预约。</Text>
        {onExpired ? <Btn onTap={onExpired}>刷新状态</Btn> : null}
      </View>
    );
  }
  return (
    <View className='banner banner--action' id='hold'>
      <Text className='banner__title'>待支付 {feeText(appointment.fee)}</Text>
      <Text className='banner__text'>号源已为您保留，请在 {clock(appointment.holdExpiresAt ?? '')} 前完成支付</Text>
      <Text className='countdown' id='hold-countdown'>
        {left.text}
      </Text>
      <Text className='banner__text'>剩余支付时间，逾期号源自动释放</Text>
      <Btn kind='primary' id='go-pay' onTap={() => void startAppointmentPayment(appointment)}>
        去支付
      </Btn>
    </View>
  );
}
