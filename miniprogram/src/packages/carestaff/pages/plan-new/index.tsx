import { useState } from 'react';
import { Input, Picker, Text, View } from '@tarojs/components';
import { REGIMEN_PRESETS, RELATION_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { addDaysTo, hospitalDate } from '../../../../booking/calendar';
import { dateText } from '../../../../care/format';
import { Check, Choice, Line } from '../../../../care/widgets';
import '../../../../care/care.css';
import { redirect, useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

type Supervisor = { kind: 'staff'; userId: string } | { kind: 'family'; patientId: string };

/**
 * A TB treatment plan for a contracted resident: the standard regimen (2HRZE/4HR), the daily
 * dose time, the start date and the supervisor (a village doctor on the team, or a family
 * member on the resident's account, who then accepts from their own login).
 */
export default function PlanNew() {
  const params = useRouteParams('careStaffPlanNew');
  const contracts = useApi(api.care.staffList, { query: { status: 'active' } });
  const [contractId, setContractId] = useState<string | undefined>(params.contractId);
  const contract = contracts.data?.items.find((c) => c.id === contractId);
  const candidates = useApi(api.medication.candidates, { query: { patientId: contract?.patient.id ?? '' } }, { enabled: !!contract });
  const create = useAction(api.medication.create);
  const preset = REGIMEN_PRESETS[0];
  const today = hospitalDate();
  const [diagnosis, setDiagnosis] = useState('肺结核（初治）');
  const [time, setTime] = useState('08:00');
  const [startDate, setStartDate] = useState(today);
  const [supervisor, setSupervisor] = useState<Supervisor>();
  const [selfReport, setSelfReport] = useState(false);
  const [missing, setMissing] = useState<string>();
  const field = (n: string) => create.error?.fieldError(n);

  const submit = async () => {
    const gap = !contract ? '请选择患者' : !supervisor ? '请选择督导人' : undefined;
    setMissing(gap);
    if (!contract || !supervisor) return;
    const d = await create.run({
      body: { patientId: contract.patient.id, diagnosis, regimen: { code: preset.code, phases: preset.phases }, doseTimes: [time], startDate, selfReportAllowed: selfReport, supervisor },
    });
    if (d) await redirect('careStaffPlan', { id: d.plan.id });
  };

  return (
    <View className='page care-plan-new' id='plan-new-page'>
      <Text className='subtitle'>1. 患者（签约居民）</Text>
      <AsyncView state={contracts} isEmpty={(d) => d.items.length === 0} emptyText='没有签约中的居民'>
        {(d) => (
          <View>
            {d.items.map((c) => (
              <Choice key={c.id} id={`plan-patient-${c.id}`} selected={contractId === c.id} onTap={() => (setContractId(c.id), setSupervisor(undefined))} title={c.patient.name}>
                <Line>
                  {c.patient.sex === 'male' ? '男' : '女'} · {c.patient.phoneMasked}
                </Line>
              </Choice>
            ))}
          </View>
        )}
      </AsyncView>

      <Text className='subtitle'>2. 诊断与方案</Text>
      <Input id='plan-diagnosis' className='care-input' value={diagnosis} maxlength={60} onInput={(e) => setDiagnosis(e.detail.value)} />
      {field('diagnosis') ? <Text className='error-text'>{field('diagnosis')}</Text> : null}
      <View className='care-card' id='plan-regimen'>
        <Text className='care-card__name'>
          {preset.code} {preset.name}
        </Text>
        {preset.phases.map((p) => (
          <Line key={p.name}>
            {p.name} {p.days}天：{p.drugs.map((x) => `${x.name} ${x.dose}`).join('、')}
          </Line>
        ))}
      </View>

      <Text className='subtitle'>3. 服药时间与开始日期</Text>
      <View className='care-row care-row--wrap'>
        <Picker mode='time' value={time} onChange={(e) => setTime(String(e.detail.value))}>
          <View className='care-pill' id='plan-time'>
            <Text>每天 {time}</Text>
          </View>
        </Picker>
        <Picker mode='date' value={startDate} start={today} end={addDaysTo(today, 30)} onChange={(e) => setStartDate(String(e.detail.value))}>
          <View className='care-pill' id='plan-start'>
            <Text>{startDate === today ? '今天开始' : dateText(startDate)}</Text>
          </View>
        </Picker>
      </View>
      {field('startDate') ? <Text className='error-text'>{field('startDate')}</Text> : null}

      <Text className='subtitle'>4. 督导人</Text>
      {!contract ? <Text className='muted'>请先选择患者</Text> : null}
      {contract ? (
        <AsyncView state={candidates}>
          {(c) => (
            <View>
              {c.family.map((f) => (
                <Choice
                  key={f.patientId}
                  id={`plan-supervisor-family-${f.patientId}`}
                  selected={supervisor?.kind === 'family' && supervisor.patientId === f.patientId}
                  onTap={() => setSupervisor({ kind: 'family', patientId: f.patientId })}
                  title={`家属：${f.name}（${RELATION_LABEL[f.relation]}）`}
                >
                  <Line>需家属用本人账号登录后接受</Line>
                </Choice>
              ))}
              {c.staff.map((s) => (
                <Choice
                  key={s.userId}
                  id={`plan-supervisor-staff-${s.userId}`}
                  selected={supervisor?.kind === 'staff' && supervisor.userId === s.userId}
                  onTap={() => setSupervisor({ kind: 'staff', userId: s.userId })}
                  title={`${s.role}：${s.name}`}
                >
                  <Line>{s.teamName}</Line>
                </Choice>
              ))}
              {c.family.length + c.staff.length === 0 ? <Text className='muted'>没有可选的督导人：请在患者账户中添加家属，或为团队成员开通账号。</Text> : null}
            </View>
          )}
        </AsyncView>
      ) : null}
      <Check id='plan-self-report' on={selfReport} onTap={() => setSelfReport(!selfReport)}>
        允许患者拍照自报服药（督导人无法到场时）
      </Check>

      {missing ? <Text className='error-text'>{missing}</Text> : null}
      {create.error ? (
        <Text className='error-text' id='plan-error'>
          {describeError(create.error)}
        </Text>
      ) : null}
      <Btn kind='primary' id='plan-submit' busy={create.loading} onTap={submit}>
        创建计划
      </Btn>
    </View>
  );
}
