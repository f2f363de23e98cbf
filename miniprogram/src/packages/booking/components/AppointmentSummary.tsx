import { Text, View } from '@tarojs/components';
import { RELATION_LABEL, type AppointmentView } from '@hospital/shared';
import { sessionLine } from '../../../booking/calendar';
import { feeText } from '../../../booking/text';
import { Row } from './Row';

const REFUND_LABEL = { required: '退款处理中', requested: '退款处理中', refunded: '已退款' } as const;

/** Who, where, when, the fee and the check-in code (核验码) shown at the desk. */
export function AppointmentSummary({ appointment: a, showCode = true }: { appointment: AppointmentView; showCode?: boolean }) {
  return (
    <View className='card' id='appointment-summary'>
      <Row label='就诊人' id='summary-patient'>
        {a.patient.name}（{RELATION_LABEL[a.patient.relation]}）
      </Row>
      <Row label='医院'>{a.org.name}</Row>
      <Row label='科室'>{a.department.name}</Row>
      <Row label='医生'>
        {a.doctor.name} {a.doctor.title}
      </Row>
      <Row label='时间' id='summary-time'>
        {sessionLine(a.schedule)}
      </Row>
      <Row label='挂号费'>
        {feeText(a.fee)}
        {a.refund ? `（${REFUND_LABEL[a.refund]}）` : ''}
      </Row>
      {showCode ? (
        <View className='code-box'>
          <Text className='muted'>核验码（到院出示）</Text>
          <Text className='code-box__value' id='check-in-code'>
            {a.checkInCode}
          </Text>
        </View>
      ) : null}
    </View>
  );
}
