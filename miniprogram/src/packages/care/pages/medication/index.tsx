import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { TodayDoses } from '../../../../care/doses';
import { useCareLive } from '../../../../care/live';
import { choosePhotoAndUpload } from '../../../../care/upload';
import '../../../../care/care.css';
import { navigate } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { ProblemReport } from '../../components/ProblemReport';

/** The patient's side (the account the person is on): today's doses, the adherence ring, the record. */
export default function Medication() {
  return <RequireLogin reason='登录后查看您和家人的服药计划'>{() => <Plans />}</RequireLogin>;
}

function Plans() {
  const plans = useApi(api.medication.mine, undefined, { refreshOnShow: true });
  const selfReport = useAction(api.medication.selfReport);
  useCareLive(plans.retry, ['care.dose']);

  const reportDose = async (planId: string, doseId: string) => {
    const img = await choosePhotoAndUpload();
    if (!img) return;
    if (await selfReport.run({ params: { planId, doseId }, body: { imageId: img.id, sideEffects: [] } })) plans.retry();
  };

  return (
    <View className='page care-medication' id='care-medication-page'>
      <AsyncView state={plans} isEmpty={(d) => d.items.length === 0} emptyText='您和家人目前没有服药督导计划'>
        {(d) => (
          <View>
            {d.items.map(({ plan, today }) => (
              <View className='care-card' key={plan.id} id={`plan-${plan.id}`}>
                <TodayDoses plan={plan} today={today} idPrefix={`plan-${plan.id}`}>
                  {(dose) =>
                    plan.selfReportAllowed && dose.confirmable ? (
                      <Btn id={`self-report-${dose.id}`} busy={selfReport.loading} onTap={() => reportDose(plan.id, dose.id)}>
                        拍照自报
                      </Btn>
                    ) : null
                  }
                </TodayDoses>
                {today.some((x) => x.status === 'scheduled') && !plan.selfReportAllowed ? (
                  <Text className='muted'>服药时请让督导人{plan.supervisor.name}在场或视频，由督导人确认。</Text>
                ) : null}
                {selfReport.error ? <Text className='error-text'>{describeError(selfReport.error)}</Text> : null}
                <Btn id={`plan-history-${plan.id}`} onTap={() => navigate('carePlan', { id: plan.id, as: 'patient' })}>
                  服药记录
                </Btn>
                <ProblemReport planId={plan.id} by='patient' buttonId={`plan-problem-${plan.id}`} label='报告不适' />
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
