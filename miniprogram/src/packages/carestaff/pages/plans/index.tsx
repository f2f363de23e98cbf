import { Text, View } from '@tarojs/components';
import { PLAN_STATUS_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { instantText, percentText } from '../../../../care/format';
import { useCareLive } from '../../../../care/live';
import { Badge, Line } from '../../../../care/widgets';
import '../../../../care/care.css';
import { navigate } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

/** The clinician's plans: open alerts first, then the adherence table (today, overall, misses). */
export default function Plans() {
  const plans = useApi(api.medication.staffList, undefined, { refreshOnShow: true });
  const alerts = useApi(api.medication.alerts, { query: { open: 'true' } }, { refreshOnShow: true });
  const ack = useAction(api.medication.ackAlert);
  useCareLive(() => {
    plans.retry();
    alerts.retry();
  }, ['care.dose', 'care.medication-alert']);

  return (
    <View className='page care-staff-plans'>
      <Btn kind='primary' id='plans-new' onTap={() => navigate('careStaffPlanNew', {})}>
        新建服药督导计划
      </Btn>
      <Text className='subtitle'>预警</Text>
      <AsyncView state={alerts} isEmpty={(d) => d.items.length === 0} emptyText='没有未处理的预警'>
        {(d) => (
          <View>
            {d.items.map((a) => (
              <View className='care-card' key={a.id} id={`alert-${a.id}`}>
                <View className='care-card__head'>
                  <Text className='care-card__name'>{a.patient.name}</Text>
                  <Badge tone='alert'>{a.reason === 'missed_doses' ? '连续漏服' : a.reason === 'side_effect' ? '不良反应' : '督导人'}</Badge>
                </View>
                <Line>{a.detail}</Line>
                <Line>
                  {instantText(a.createdAt)}
                  {a.reportedByName ? ` · ${a.reportedByName}报告` : ''}
                </Line>
                <Btn id={`alert-open-${a.id}`} onTap={() => navigate('careStaffPlan', { id: a.planId })}>
                  查看计划
                </Btn>
                <Btn id={`alert-ack-${a.id}`} busy={ack.loading} onTap={async () => (await ack.run({ params: { planId: a.planId, alertId: a.id } })) && alerts.retry()}>
                  已处理
                </Btn>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
      {ack.error ? <Text className='error-text'>{describeError(ack.error)}</Text> : null}

      <Text className='subtitle'>依从率</Text>
      <AsyncView state={plans} isEmpty={(d) => d.items.length === 0} emptyText='还没有服药督导计划'>
        {(d) => (
          <View className='care-table' id='adherence-table'>
            <View className='care-table__row'>
              <Text className='care-table__cell care-table__cell--wide'>患者</Text>
              <Text className='care-table__cell'>今日</Text>
              <Text className='care-table__cell'>总体</Text>
              <Text className='care-table__cell'>漏服</Text>
            </View>
            {d.items.map((p) => (
              <View className='care-table__row' key={p.id} id={`adherence-${p.id}`} hoverClass='btn--pressed' onClick={() => navigate('careStaffPlan', { id: p.id })}>
                <View className='care-table__cell care-table__cell--wide'>
                  <Text>{p.patient.name}</Text>
                  <Text className='muted'>
                    {' '}
                    {PLAN_STATUS_LABEL[p.status]}
                    {p.openAlerts ? ` · ${p.openAlerts}条预警` : ''}
                  </Text>
                </View>
                <Text className='care-table__cell'>
                  {p.adherence.today.taken}/{p.adherence.today.total}
                </Text>
                <Text className='care-table__cell'>{percentText(p.adherence.overall.percent)}</Text>
                <Text className='care-table__cell'>{p.adherence.overall.missed}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
