import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ConfirmMethod } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { PlanHeader, TodayDoses } from '../../../../care/doses';
import { useCareLive } from '../../../../care/live';
import { choosePhotoAndUpload } from '../../../../care/upload';
import '../../../../care/care.css';
import { navigate } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { ProblemReport } from '../../components/ProblemReport';

/**
 * The supervisor's page (a family member, or a village doctor): invitations to answer, the
 * patients assigned to me with today's doses to confirm, and 报告不适.
 */
export default function Supervise() {
  return <RequireLogin reason='登录后确认家人服药'>{(s) => <Supervised isResident={s.user.roles.includes('patient')} />}</RequireLogin>;
}

function Supervised({ isResident }: { isResident: boolean }) {
  const list = useApi(api.medication.supervised, undefined, { refreshOnShow: true });
  const respond = useAction(api.medication.respond);
  const confirm = useAction(api.medication.confirm);
  useCareLive(list.retry, ['care.dose']);

  const answer = async (planId: string, accept: boolean) => {
    if (!accept) {
      const ok = await Taro.showModal({ title: '不担任督导人', content: '医生会另行安排督导人。确定吗？', confirmText: '确定', cancelText: '返回' });
      if (!ok.confirm) return;
    }
    if (await respond.run({ params: { planId }, body: { accept } })) list.retry();
  };

  const confirmDose = async (planId: string, doseId: string, method: Exclude<ConfirmMethod, 'self_photo'>) => {
    let imageId: string | undefined;
    if (method === 'photo') {
      const img = await choosePhotoAndUpload();
      if (!img) return;
      imageId = img.id;
    }
    const d = await confirm.run({ params: { planId, doseId }, body: { method, imageId, sideEffects: [] } });
    if (d) {
      list.retry();
      await Taro.showToast({ title: '已确认服药', icon: 'success' });
    }
  };

  return (
    <View className='page care-supervise' id='care-supervise-page'>
      <AsyncView state={list}>
        {(d) => (
          <View>
            {d.invitations.length ? <Text className='subtitle'>督导邀请</Text> : null}
            {d.invitations.map((p) => (
              <View className='care-card' key={p.id} id={`invitation-${p.id}`}>
                <PlanHeader plan={p} />
                <Text className='care-line'>
                  {p.clinician.name}医生邀请您督导{p.patient.name}每次服药：看着服下后在这里确认。
                </Text>
                <Btn kind='primary' id={`invitation-accept-${p.id}`} busy={respond.loading} onTap={() => answer(p.id, true)}>
                  接受，担任督导人
                </Btn>
                <Btn id={`invitation-decline-${p.id}`} onTap={() => answer(p.id, false)}>
                  不能担任
                </Btn>
              </View>
            ))}
            {respond.error ? <Text className='error-text'>{describeError(respond.error)}</Text> : null}

            <Text className='subtitle'>我督导的患者</Text>
            {d.items.length === 0 ? (
              <View className='care-card' id='supervise-empty'>
                <Text className='care-line'>目前没有需要您督导服药的患者。</Text>
                {isResident ? (
                  <Text className='care-line'>
                    如果家人的医生邀请了您，请先在就诊人中添加“本人”，身份证号须与家人账户中填写的一致，邀请就会出现在这里。
                  </Text>
                ) : null}
              </View>
            ) : null}
            {d.items.map(({ plan, today }) => (
              <View className='care-card' key={plan.id} id={`supervised-${plan.id}`}>
                <TodayDoses plan={plan} today={today} idPrefix={`supervised-${plan.id}`}>
                  {(dose) =>
                    dose.confirmable ? (
                      <View>
                        <Btn kind='primary' id={`confirm-${plan.id}-${dose.id}`} busy={confirm.loading} onTap={() => confirmDose(plan.id, dose.id, 'in_person')}>
                          当面看服，确认
                        </Btn>
                        <Btn id={`confirm-video-${dose.id}`} onTap={() => confirmDose(plan.id, dose.id, 'video')}>
                          视频看服，确认
                        </Btn>
                        <Btn id={`confirm-photo-${dose.id}`} onTap={() => confirmDose(plan.id, dose.id, 'photo')}>
                          拍照确认
                        </Btn>
                      </View>
                    ) : null
                  }
                </TodayDoses>
                {confirm.error ? <Text className='error-text'>{describeError(confirm.error)}</Text> : null}
                <Btn id={`supervised-history-${plan.id}`} onTap={() => navigate('carePlan', { id: plan.id, as: 'supervisor' })}>
                  服药记录
                </Btn>
                <ProblemReport planId={plan.id} by='supervisor' buttonId={`supervised-problem-${plan.id}`} label='报告问题（不良反应）' />
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
