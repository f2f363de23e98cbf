/** How doses and adherence look on the patient's, the supervisor's and the clinician's pages. */
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { CONFIRM_METHOD_LABEL, DOSE_STATUS_LABEL, PLAN_STATUS_LABEL, SIDE_EFFECT_LABEL, type DoseView, type PlanView } from '@hospital/shared';
import { AdherenceRing } from './AdherenceRing';
import { dateText, instantText, percentText } from './format';
import { Badge, Line } from './widgets';
import './care.css';

export function DoseRow({ d, showDate = false, children }: { d: DoseView; showDate?: boolean; children?: ReactNode }) {
  return (
    <View className='dose' id={`dose-${d.id}`}>
      <View>
        <Text className='dose__time'>{showDate ? `${dateText(d.date)} ${d.time}` : d.time}</Text>
        {d.status === 'taken' ? (
          <Line>
            {d.method ? CONFIRM_METHOD_LABEL[d.method] : ''} {d.confirmedByName ?? ''} {d.confirmedAt ? instantText(d.confirmedAt) : ''}
          </Line>
        ) : null}
        {d.sideEffects?.length ? <Line>不适：{d.sideEffects.map((s) => SIDE_EFFECT_LABEL[s]).join('、')}</Line> : null}
        {d.note ? <Line>备注：{d.note}</Line> : null}
      </View>
      <View>
        <Text className={`dose__status dose__status--${d.status}`} id={`dose-status-${d.id}`}>
          {DOSE_STATUS_LABEL[d.status]}
        </Text>
        {children}
      </View>
    </View>
  );
}

/** A plan's card top: the plan, the adherence, and today's doses with what this side can do on each. */
export function TodayDoses({ plan, today, idPrefix, children }: { plan: PlanView; today: readonly DoseView[]; idPrefix: string; children: (dose: DoseView) => ReactNode }) {
  return (
    <View>
      <PlanHeader plan={plan} />
      <Adherence plan={plan} idPrefix={idPrefix} />
      <Text className='subtitle'>今天的服药</Text>
      {today.length === 0 ? <Text className='muted'>今天没有需要服的药。</Text> : null}
      {today.map((dose) => (
        <DoseRow key={dose.id} d={dose}>
          {children(dose)}
        </DoseRow>
      ))}
    </View>
  );
}

/** Today's ring, then overall and per-phase rates in words. */
export function Adherence({ plan, idPrefix }: { plan: PlanView; idPrefix: string }) {
  const a = plan.adherence;
  return (
    <View className='adherence'>
      <AdherenceRing id={`${idPrefix}-ring`} percent={a.today.percent} label='今日服药' />
      <View className='adherence__rates'>
        <Text className='care-line' id={`${idPrefix}-today`}>
          今日：已服 {a.today.taken}/{a.today.total} 次
        </Text>
        <Text className='care-line' id={`${idPrefix}-overall`}>
          总依从率：{percentText(a.overall.percent)}
        </Text>
        {a.phases.map((p) => (
          <Text className='care-line' key={p.name}>
            {p.name}：{percentText(p.percent)}（漏服 {p.missed} 次）
          </Text>
        ))}
      </View>
    </View>
  );
}

export function PlanHeader({ plan }: { plan: PlanView }) {
  return (
    <View>
      <View className='care-card__head'>
        <Text className='care-card__name'>{plan.patient.name}</Text>
        <Badge tone={plan.status === 'active' ? 'ok' : 'off'}>{PLAN_STATUS_LABEL[plan.status]}</Badge>
      </View>
      <Line>
        {plan.diagnosis} · {plan.regimen.code}
      </Line>
      <Line>
        疗程：{dateText(plan.startDate)} 至 {dateText(plan.endDate)}，每天 {plan.doseTimes.join('、')}
      </Line>
      <Line>
        督导人：{plan.supervisor.name}
        {plan.supervisor.state === 'invited' ? '（等待确认）' : plan.supervisor.state === 'declined' ? '（未接受）' : ''} · 医生：{plan.clinician.name}
      </Line>
      {plan.openAlerts > 0 ? <Badge tone='alert'>{plan.openAlerts} 条未处理预警</Badge> : null}
    </View>
  );
}
