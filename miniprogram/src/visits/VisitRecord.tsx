/** Notes, prescriptions and orders of a visit, as the patient (and the doctors) read them. */
import { Text, View } from '@tarojs/components';
import { PRESCRIPTION_STATUS_LABEL, type VisitView } from '@hospital/shared';
import { Btn } from '../components/Btn';
import { navigate } from '../navigation';
import { dateTime, roleText, usage, yuan } from './text';
import './visits.css';

const billText = (b?: { status: string }) => (!b ? '' : b.status === 'paid' ? '已缴费' : b.status === 'cancelled' ? '已作废' : '待缴费');

export function VisitRecord({ visit, payable }: { visit: VisitView; payable?: boolean }) {
  const unpaid = [...visit.prescriptions.map((x) => x.bill), ...visit.orders.map((x) => x.bill)].some((b) => b?.status === 'unpaid');
  return (
    <View className='visit-record'>
      <Text className='subtitle'>病历与会诊意见</Text>
      {visit.notes.length === 0 ? <Text className='muted visit-record__none'>医生尚未书写病历</Text> : null}
      {visit.notes.map((n) => (
        <View key={n.id} className='card visit-note'>
          <Text className='visit-note__author'>
            {n.authorName}（{roleText(n.authorRole)}） {dateTime(n.createdAt)}
          </Text>
          {n.complaint ? <Text className='visit-line'>主诉：{n.complaint}</Text> : null}
          {n.findings ? <Text className='visit-line'>病情：{n.findings}</Text> : null}
          {n.diagnosis ? <Text className='visit-line'>诊断：{n.diagnosis}</Text> : null}
          {n.advice ? <Text className='visit-line'>意见：{n.advice}</Text> : null}
        </View>
      ))}

      <Text className='subtitle'>电子处方</Text>
      {visit.prescriptions.length === 0 ? <Text className='muted visit-record__none'>无处方</Text> : null}
      {visit.prescriptions.map((rx) => (
        <View key={rx.id} className='card visit-rx'>
          <View className='visit-row'>
            <Text className='visit-rx__title'>诊断：{rx.diagnosis}</Text>
            <Text className={`tag visit-rx__status visit-rx__status--${rx.status}`}>{PRESCRIPTION_STATUS_LABEL[rx.status]}</Text>
          </View>
          {rx.items.map((i) => (
            <View key={i.drug} className='visit-rx__item'>
              <Text className='visit-rx__drug'>
                {i.name} {i.strength}（{i.pack}）× {i.quantity}{i.unit}
              </Text>
              <Text className='muted visit-line'>{usage(i)}</Text>
            </View>
          ))}
          <Text className='visit-line'>
            开方：{rx.authorName}
            {rx.reviewerName ? `　审核：${rx.reviewerName}` : ''}
          </Text>
          {rx.reviewNote ? <Text className='visit-line'>审核意见：{rx.reviewNote}</Text> : null}
          <Text className='visit-line visit-money'>
            药费 {yuan(rx.total)} {billText(rx.bill)}
          </Text>
        </View>
      ))}

      <Text className='subtitle'>检查检验医嘱</Text>
      {visit.orders.length === 0 ? <Text className='muted visit-record__none'>无医嘱</Text> : null}
      {visit.orders.map((o) => (
        <View key={o.id} className='card visit-order'>
          {o.items.map((i) => (
            <Text key={i.code} className='visit-line'>
              {i.category}：{i.name} {yuan(i.price)}
            </Text>
          ))}
          {o.note ? <Text className='visit-line'>备注：{o.note}</Text> : null}
          <Text className='visit-line visit-money'>
            合计 {yuan(o.total)} {billText(o.bill)}
          </Text>
        </View>
      ))}
      {payable && unpaid ? (
        <Btn kind='primary' id='visit-pay' onTap={() => navigate('outpatientPayment')}>
          去缴费
        </Btn>
      ) : null}
    </View>
  );
}
