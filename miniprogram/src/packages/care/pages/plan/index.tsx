import { View, Text } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { hospitalDate } from '../../../../booking/calendar';
import { Adherence, DoseRow, PlanHeader } from '../../../../care/doses';
import '../../../../care/care.css';
import { useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';

/** Every dose of a plan up to today, newest first, for the patient's account or the supervisor. */
export default function PlanTimeline() {
  const { id = '', as = 'patient' } = useRouteParams('carePlan');
  const detail = useApi(as === 'supervisor' ? api.medication.supervisedPlan : api.medication.myPlan, { params: { planId: id } });
  const today = hospitalDate();
  return (
    <View className='page care-plan' id='care-plan-page'>
      <AsyncView state={detail}>
        {(d) => {
          const past = d.doses.filter((x) => x.date <= today).reverse();
          const next = d.doses.filter((x) => x.date > today).slice(0, 3 * d.plan.doseTimes.length);
          return (
            <View>
              <View className='care-card'>
                <PlanHeader plan={d.plan} />
                <Adherence plan={d.plan} idPrefix='timeline' />
              </View>
              {next.length ? <Text className='subtitle'>接下来</Text> : null}
              {next.map((x) => (
                <DoseRow key={x.id} d={x} showDate />
              ))}
              <Text className='subtitle'>服药记录</Text>
              {past.length === 0 ? <Text className='muted'>疗程还没有开始。</Text> : null}
              {past.map((x) => (
                <DoseRow key={x.id} d={x} showDate />
              ))}
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
