import { useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import {
  CHRONIC_CONDITION_LABEL,
  FOLLOW_UP_ASSESSMENT_LABEL,
  FOLLOW_UP_METHOD_LABEL,
  FollowUpAssessment,
  FollowUpMethod,
  type ResponseOf,
} from '@hospital/shared';
import type * as z from 'zod';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { hospitalDate } from '../../../../booking/calendar';
import { age, dateText } from '../../../../care/format';
import { Badge, Line, Pill } from '../../../../care/widgets';
import '../../../../care/care.css';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

type Due = ResponseOf<typeof api.followups.due>['items'][number];
const STATE_TEXT = { overdue: '已逾期', due: '本期应随访', not_due: '未到期' } as const;

/** This quarter's follow-ups of the team's hypertension and diabetes residents; record one in place. */
export default function Followups() {
  const [all, setAll] = useState(false);
  const due = useApi(api.followups.due, { query: all ? { all: 'true' } : {} }, { refreshOnShow: true });
  const [open, setOpen] = useState<string>();
  return (
    <View className='page care-staff-followups'>
      <View className='care-row care-row--wrap'>
        <Pill on={!all} onTap={() => setAll(false)}>
          应随访
        </Pill>
        <Pill on={all} onTap={() => setAll(true)}>
          全部慢病居民
        </Pill>
      </View>
      <AsyncView state={due} isEmpty={(d) => d.items.length === 0} emptyText='本期没有应随访的居民'>
        {(d) => (
          <View>
            {d.items.map((x) => {
              const key = `${x.contractId}-${x.condition}`;
              return (
                <View className='care-card' key={key} id={`followup-${key}`}>
                  <View className='care-card__head'>
                    <Text className='care-card__name'>
                      {x.patient.name} {age(x.patient.birthDate)}岁
                    </Text>
                    <Badge tone={x.state === 'overdue' ? 'alert' : x.state === 'due' ? 'wait' : 'off'}>{STATE_TEXT[x.state]}</Badge>
                  </View>
                  <Line>
                    {CHRONIC_CONDITION_LABEL[x.condition]} · 应随访日期 {dateText(x.dueDate)}
                  </Line>
                  <Line>{x.lastDate ? `上次随访：${dateText(x.lastDate)}` : '尚未随访'}</Line>
                  {open === key ? (
                    <FollowUpForm item={x} onDone={() => (setOpen(undefined), due.retry())} />
                  ) : (
                    <Btn id={`followup-open-${key}`} onTap={() => setOpen(key)}>
                      登记随访
                    </Btn>
                  )}
                </View>
              );
            })}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

function FollowUpForm({ item, onDone }: { item: Due; onDone: () => void }) {
  const history = useApi(api.followups.history, { params: { contractId: item.contractId } });
  const record = useAction(api.followups.record);
  const [method, setMethod] = useState<z.infer<typeof FollowUpMethod>>('clinic');
  const [assessment, setAssessment] = useState<z.infer<typeof FollowUpAssessment>>('controlled');
  const [adherence, setAdherence] = useState<'regular' | 'intermittent' | 'none'>('regular');
  const [sys, setSys] = useState('');
  const [dia, setDia] = useState('');
  const [glucose, setGlucose] = useState('');
  const [advice, setAdvice] = useState('');
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const submit = async () => {
    const ok = await record.run({
      body: {
        contractId: item.contractId,
        condition: item.condition,
        date: hospitalDate(),
        method,
        systolic: num(sys),
        diastolic: num(dia),
        fastingGlucose: num(glucose),
        medicationAdherence: adherence,
        assessment,
        advice,
      },
    });
    if (ok) onDone();
  };
  return (
    <View>
      <Text className='subtitle'>最近的一体机测量</Text>
      <AsyncView state={history}>
        {(h) =>
          h.latestReadings === null ? (
            <Text className='muted'>暂无健康一体机测量数据。</Text>
          ) : (
            <View>
              {h.latestReadings.map((r) => (
                <Line key={r.code}>
                  {r.name}：{r.value} {r.alert ? `（${r.alert}）` : ''} · {dateText(r.at.slice(0, 10))}
                </Line>
              ))}
            </View>
          )
        }
      </AsyncView>
      <Text className='care-label'>随访方式</Text>
      <View className='care-row care-row--wrap'>
        {FollowUpMethod.options.map((m) => (
          <Pill key={m} on={method === m} onTap={() => setMethod(m)}>
            {FOLLOW_UP_METHOD_LABEL[m]}
          </Pill>
        ))}
      </View>
      {item.condition === 'hypertension' ? (
        <View className='care-row'>
          <Input className='care-input' type='number' value={sys} placeholder='收缩压' onInput={(e) => setSys(e.detail.value)} />
          <Input className='care-input' type='number' value={dia} placeholder='舒张压' onInput={(e) => setDia(e.detail.value)} />
        </View>
      ) : (
        <Input className='care-input' type='digit' value={glucose} placeholder='空腹血糖 mmol/L' onInput={(e) => setGlucose(e.detail.value)} />
      )}
      <Text className='care-label'>服药依从性</Text>
      <View className='care-row care-row--wrap'>
        {(['regular', 'intermittent', 'none'] as const).map((a) => (
          <Pill key={a} on={adherence === a} onTap={() => setAdherence(a)}>
            {a === 'regular' ? '规律' : a === 'intermittent' ? '间断' : '不服药'}
          </Pill>
        ))}
      </View>
      <Text className='care-label'>此次随访评价</Text>
      <View className='care-row care-row--wrap'>
        {FollowUpAssessment.options.map((a) => (
          <Pill key={a} on={assessment === a} onTap={() => setAssessment(a)}>
            {FOLLOW_UP_ASSESSMENT_LABEL[a]}
          </Pill>
        ))}
      </View>
      <Textarea className='care-textarea' value={advice} maxlength={300} placeholder='指导意见' onInput={(e) => setAdvice(e.detail.value)} />
      {record.error ? <Text className='error-text'>{describeError(record.error)}</Text> : null}
      <Btn kind='primary' busy={record.loading} onTap={submit}>
        保存随访记录
      </Btn>
    </View>
  );
}
