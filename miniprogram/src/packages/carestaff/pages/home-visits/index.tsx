import { useState } from 'react';
import { Picker, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { HOME_VISIT_STATUS_LABEL, type HomeVisitStatus, type ResponseOf } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { hospitalDate } from '../../../../booking/calendar';
import { dateText, dialable, instantText } from '../../../../care/format';
import { useCareLive } from '../../../../care/live';
import { Badge, Line, Pill } from '../../../../care/widgets';
import '../../../../care/care.css';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

type Visit = ResponseOf<typeof api.care.staffHomeVisits>['items'][number];

/** Home-visit requests: call the resident, schedule a time, decline with a reason, or close after the visit. */
export default function HomeVisits() {
  const [status, setStatus] = useState<HomeVisitStatus | undefined>('requested');
  const list = useApi(api.care.staffHomeVisits, { query: status ? { status } : {} }, { refreshOnShow: true });
  useCareLive(list.retry, ['care.home-visit']);
  return (
    <View className='page care-staff-visits'>
      <View className='care-row care-row--wrap'>
        {(['requested', 'scheduled', undefined] as const).map((s) => (
          <Pill key={s ?? 'all'} on={status === s} onTap={() => setStatus(s)}>
            {s ? HOME_VISIT_STATUS_LABEL[s] : '全部'}
          </Pill>
        ))}
      </View>
      <AsyncView state={list} isEmpty={(d) => d.items.length === 0} emptyText='暂无上门服务申请'>
        {(d) => (
          <View>
            {d.items.map((v) => (
              <VisitCard key={v.id} v={v} onChanged={list.retry} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

function VisitCard({ v, onChanged }: { v: Visit; onChanged: () => void }) {
  const decide = useAction(api.care.decideHomeVisit);
  const [date, setDate] = useState(v.preferredDate);
  const [time, setTime] = useState(v.slot === 'am' ? '09:00' : '14:30');
  const [note, setNote] = useState('');
  const run = async (decision: 'schedule' | 'decline' | 'done') => {
    const body = decision === 'schedule' ? { decision, scheduledAt: `${date}T${time}:00+08:00`, note: note.trim() || undefined } : { decision, note: note.trim() || undefined };
    if (await decide.run({ params: { visitId: v.id }, body })) onChanged();
  };
  return (
    <View className='care-card' id={`staff-visit-${v.id}`}>
      <View className='care-card__head'>
        <Text className='care-card__name'>{v.patient.name}</Text>
        <Badge tone={v.status === 'requested' ? 'wait' : v.status === 'scheduled' ? 'ok' : 'off'}>{HOME_VISIT_STATUS_LABEL[v.status]}</Badge>
      </View>
      <Line>{v.reason}</Line>
      <Line>
        希望：{dateText(v.preferredDate)} {v.slot === 'am' ? '上午' : '下午'}
      </Line>
      <Line>地址：{v.address}</Line>
      <View className='care-row'>
        <Line>电话：{v.phone}</Line>
        <View className='care-contact__call' ariaRole='button' onClick={() => void Taro.makePhoneCall({ phoneNumber: dialable(v.phone) }).catch(() => undefined)}>
          <Text>拨打</Text>
        </View>
      </View>
      {v.scheduledAt ? <Line>已安排：{instantText(v.scheduledAt)}</Line> : null}
      {v.status === 'requested' || v.status === 'scheduled' ? (
        <View>
          <View className='care-row care-row--wrap'>
            <Picker mode='date' value={date} start={hospitalDate()} onChange={(e) => setDate(String(e.detail.value))}>
              <View className='care-pill'>
                <Text>{dateText(date)}</Text>
              </View>
            </Picker>
            <Picker mode='time' value={time} onChange={(e) => setTime(String(e.detail.value))}>
              <View className='care-pill'>
                <Text>{time}</Text>
              </View>
            </Picker>
          </View>
          <Textarea className='care-textarea' value={note} maxlength={200} placeholder='说明（不能上门时必填）' onInput={(e) => setNote(e.detail.value)} />
          <Btn kind='primary' id={`visit-schedule-${v.id}`} busy={decide.loading} onTap={() => run('schedule')}>
            {v.status === 'scheduled' ? '改约到此时间' : '安排上门'}
          </Btn>
          {v.status === 'scheduled' ? (
            <Btn id={`visit-done-${v.id}`} onTap={() => run('done')}>
              已完成上门
            </Btn>
          ) : null}
          <Btn id={`visit-decline-${v.id}`} disabled={!note.trim()} onTap={() => run('decline')}>
            无法上门
          </Btn>
        </View>
      ) : null}
      {decide.error ? <Text className='error-text'>{describeError(decide.error)}</Text> : null}
    </View>
  );
}
