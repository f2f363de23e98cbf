import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { hospitalDate } from '../../../../booking/calendar';
import { Adherence, DoseRow, PlanHeader } from '../../../../care/doses';
import { instantText } from '../../../../care/format';
import { useCareLive } from '../../../../care/live';
import { Line } from '../../../../care/widgets';
import '../../../../care/care.css';
import { useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

/** The clinician's view of a plan: adherence per phase, open alerts, every dose so far, stop. */
export default function StaffPlan() {
  const { id = '' } = useRouteParams('careStaffPlan');
  const detail = useApi(api.medication.staffGet, { params: { planId: id } });
  const alerts = useApi(api.medication.alerts, { query: {} });
  const stop = useAction(api.medication.stop);
  const [stopping, setStopping] = useState(false);
  const [reason, setReason] = useState('');
  useCareLive(() => {
    detail.retry();
    alerts.retry();
  }, ['care.dose', 'care.medication-alert']);
  const today = hospitalDate();

  return (
    <View className='page care-staff-plan' id='staff-plan-page'>
      <AsyncView state={detail}>
        {(d) => (
          <View>
            <View className='care-card'>
              <PlanHeader plan={d.plan} />
              <Adherence plan={d.plan} idPrefix='staff-plan' />
              {d.plan.stoppedReason ? <Line>停止原因：{d.plan.stoppedReason}</Line> : null}
            </View>
            <Text className='subtitle'>预警</Text>
            {(alerts.data?.items ?? [])
              .filter((a) => a.planId === id)
              .map((a) => (
                <View className='care-card' key={a.id}>
                  <Line>{a.detail}</Line>
                  <Line>
                    {instantText(a.createdAt)}
                    {a.acknowledgedAt ? ` · ${a.acknowledgedByName ?? ''}已处理` : ' · 未处理'}
                  </Line>
                </View>
              ))}
            <Text className='subtitle'>服药记录（截至今天）</Text>
            {d.doses
              .filter((x) => x.date <= today)
              .reverse()
              .map((x) => (
                <DoseRow key={x.id} d={x} showDate />
              ))}
            {d.plan.status === 'active' ? (
              stopping ? (
                <View>
                  <Textarea className='care-textarea' value={reason} maxlength={200} placeholder='停止原因（如转诊、停药）' onInput={(e) => setReason(e.detail.value)} />
                  <Btn kind='danger' busy={stop.loading} disabled={!reason.trim()} onTap={async () => (await stop.run({ params: { planId: id }, body: { reason } })) && detail.retry()}>
                    确认停止计划
                  </Btn>
                  <Btn onTap={() => setStopping(false)}>返回</Btn>
                </View>
              ) : (
                <Btn id='plan-stop' onTap={() => setStopping(true)}>
                  停止计划
                </Btn>
              )
            ) : null}
            {stop.error ? <Text className='error-text'>{describeError(stop.error)}</Text> : null}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
