import { Text, View } from '@tarojs/components';
import { APPOINTMENT_STATUS_LABEL, RELATION_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { clock, sessionLine } from '../../../../booking/calendar';
import { redirect, useRouteParams } from '../../../../navigation';
import { yuan } from '../../../../payments/format';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { useNow } from '../../../../services/usePolling';
import { Kv } from '../../components/Kv';
import { ChannelPicker, PayProblem } from '../../components/PayControls';
import { usePay } from '../../components/usePay';
import { holdLeft } from '../../logic/admissions';
import '../../pay.css';

/**
 * 支付挂号费: the cashier for an appointment held for payment. Opened from the booking result
 * and the appointment detail (`navigate('payAppointment', { appointmentId })`). The place is
 * kept until `holdExpiresAt`; the order never outlives the hold (the server sets its expiry).
 */
export default function PayAppointment() {
  const { appointmentId = '' } = useRouteParams('payAppointment');
  const appt = useApi(api.booking.get, { params: { appointmentId } }, { refreshOnShow: true });
  const pay = usePay();
  const holding = appt.data?.status === 'pending_payment';
  const now = useNow(1000, holding);
  const toDetail = () => void redirect('appointmentDetail', { appointmentId });

  return (
    <View className='page pay-page' id='pay-appointment'>
      <AsyncView state={appt}>
        {(a) => {
          const left = holdLeft(a.holdExpiresAt, now);
          if (a.status !== 'pending_payment' || !left) {
            const paid = a.status === 'confirmed' || a.status === 'checked_in';
            return (
              <StatusBlock
                kind='pay-not-needed'
                icon='i'
                title={paid ? '挂号费已支付' : a.status === 'pending_payment' ? '支付已超时' : `预约${APPOINTMENT_STATUS_LABEL[a.status]}`}
                message={paid ? '无需再次支付。' : '这个预约现在不能支付。如仍需就诊，请重新预约。'}
              >
                <Btn kind='primary' id='pay-to-detail' onTap={toDetail}>
                  查看预约详情
                </Btn>
              </StatusBlock>
            );
          }
          return (
            <View>
              <View className='card'>
                <Text className='card-title'>挂号费</Text>
                <Text className='big-amount' id='appointment-fee'>
                  {yuan(a.fee)}
                </Text>
                <Text className='hint' id='appointment-hold'>
                  号源保留至 {clock(a.holdExpiresAt ?? '')}，剩余 {left}，逾期自动释放
                </Text>
                <Kv label='就诊人'>
                  {a.patient.name}（{RELATION_LABEL[a.patient.relation]}）
                </Kv>
                <Kv label='医院'>{a.org.name}</Kv>
                <Kv label='科室'>{a.department.name}</Kv>
                <Kv label='医生'>
                  {a.doctor.name} {a.doctor.title}
                </Kv>
                <Kv label='就诊时间'>{sessionLine(a.schedule)}</Kv>
              </View>
              <ChannelPicker pay={pay} />
              <Btn kind='primary' id='appointment-pay' busy={pay.busy} onTap={() => void pay.start({ purpose: 'appointment', refId: a.id })}>
                确认支付 {yuan(a.fee)}
              </Btn>
              <PayProblem pay={pay} />
              <Btn id='pay-to-detail' onTap={toDetail}>
                查看预约详情
              </Btn>
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
