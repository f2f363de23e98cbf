import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { monthDay } from '../../../../booking/calendar';
import { STATUS_TONE, statusLabel } from '../../../../booking/text';
import { navigate, redirect, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { AppointmentSummary } from '../../components/AppointmentSummary';
import { HoldCountdown } from '../../components/HoldCountdown';
import '../../booking.css';

/** After 确认挂号: confirmed at once (free), or held for payment with the countdown (paid). */
export default function Result() {
  const { appointmentId = '' } = useRouteParams('bookingResult');
  const res = useApi(api.booking.get, { params: { appointmentId } });

  return (
    <View className='page booking result'>
      <AsyncView state={res}>
        {(a) => (
          <View>
            {a.status === 'pending_payment' ? (
              <HoldCountdown appointment={a} onExpired={res.retry} />
            ) : (
              <View className={`banner banner--${STATUS_TONE[a.status]}`}>
                <Text className='banner__title' id='result-status'>
                  {statusLabel(a.status)}
                </Text>
                {a.status === 'confirmed' ? (
                  <Text className='banner__text'>请于 {monthDay(a.schedule.date)} 到院，在“我的预约”中签到候诊。</Text>
                ) : null}
              </View>
            )}
            <AppointmentSummary appointment={a} />
            <Btn kind='primary' id='result-detail' onTap={() => redirect('appointmentDetail', { appointmentId: a.id })}>
              查看预约详情
            </Btn>
            <Btn id='result-my-appointments' onTap={() => navigate('appointments')}>
              我的预约
            </Btn>
          </View>
        )}
      </AsyncView>
    </View>
  );
}
