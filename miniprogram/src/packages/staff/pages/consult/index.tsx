import { useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { toLocalIso } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { redirect, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import '../../../../visits/visits.css';

const STARTS = [
  { label: '现在', minutes: 0 },
  { label: '30分钟后', minutes: 30 },
  { label: '1小时后', minutes: 60 },
  { label: '2小时后', minutes: 120 },
];

/**
 * 发起远程会诊: the station doctor names the patient (就诊人编号 from their record or the desk),
 * the reason and when, and invites specialists — other organisations included. The patient must
 * have shared their record with this doctor or organisation; the server checks and audits it.
 */
export default function StaffConsult() {
  const params = useRouteParams('staffConsult');
  const doctors = useApi(api.visits.invitable);
  const create = useAction(api.visits.create);
  const [patientId, setPatientId] = useState(params.patientId ?? '');
  const [reason, setReason] = useState('');
  const [start, setStart] = useState(0);
  const [invited, setInvited] = useState<string[]>([]);
  const toggle = (id: string) => setInvited((xs) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]));
  const err = (f: string) => create.error?.fieldError(f);

  const submit = async () => {
    const v = await create.run({
      body: { patientId: patientId.trim(), reason: reason.trim(), participants: invited, scheduledAt: toLocalIso(Date.now() + start * 60_000), durationMinutes: 30 },
    });
    if (v) await redirect('staffVisit', { id: v.id });
  };

  return (
    <View className='page staff-consult'>
      <Text className='visit-form__label'>就诊人编号</Text>
      <Input id='consult-patient' className='visit-input' value={patientId} placeholder='如 p-demo-zhang-jianguo' onInput={(e) => setPatientId(e.detail.value)} />
      {err('patientId') ? <Text className='visit-field-error'>{err('patientId')}</Text> : null}

      <Text className='visit-form__label'>会诊事由</Text>
      <Textarea id='consult-reason' className='visit-textarea' value={reason} maxlength={200} placeholder='主要症状、已做处理、希望专家解决的问题' onInput={(e) => setReason(e.detail.value)} />
      {err('reason') ? <Text className='visit-field-error'>{err('reason')}</Text> : null}

      <Text className='visit-form__label'>开始时间</Text>
      <View className='visit-chips'>
        {STARTS.map((s) => (
          <View key={s.minutes} className={`visit-chip ${start === s.minutes ? 'visit-chip--on' : ''}`} ariaRole='button' onClick={() => setStart(s.minutes)}>
            <Text>{s.label}</Text>
          </View>
        ))}
      </View>

      <Text className='visit-form__label'>邀请专家（可多选）</Text>
      {err('participants') ? <Text className='visit-field-error'>{err('participants')}</Text> : null}
      <AsyncView state={doctors} isEmpty={(d) => d.items.length === 0} emptyText='暂无可邀请的医生'>
        {(d) => (
          <View>
            {d.items.map((doc) => {
                const on = invited.includes(doc.id);
                return (
                  <View key={doc.id} id={`invite-${doc.id}`} className={`card visit-chip ${on ? 'visit-chip--on' : ''}`} ariaRole='checkbox' ariaLabel={on ? '已选' : '未选'} onClick={() => toggle(doc.id)}>
                    <Text>
                      {on ? '已选 ' : ''}
                      {doc.name} {doc.title} · {doc.org.name} {doc.department.name}（{doc.specialty}）
                    </Text>
                  </View>
                );
              })}
          </View>
        )}
      </AsyncView>
      {create.error && !create.error.fields?.length ? <Text className='visit-field-error' id='consult-error'>{create.error.message}</Text> : null}
      <Btn kind='primary' id='consult-submit' busy={create.loading} onTap={() => void submit()}>
        发起会诊
      </Btn>
    </View>
  );
}
