import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { SESSION_INFO } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { clock, hospitalDate, monthDay, weekday } from '../../../../booking/calendar';
import { useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { describeError } from '../../../../services/client';
import { useAction, useApi } from '../../../../services/useApi';
import { useNow, usePolling } from '../../../../services/usePolling';
import { defaultSession, ENTRY_STATE_LABEL } from '../../logic/sessions';
import '../../staff.css';

/** The list follows check-ins and other callers every few seconds. */
const ENTRIES_POLL_MS = 5000;

/** 门诊叫号 for doctors and nurses: today's sessions of my organisation, the queue, 叫下一位. */
export default function StaffQueue() {
  const params = useRouteParams('staffQueue');
  const sessions = useApi(api.queue.sessions, { query: {} }, { refreshOnShow: true });
  const [chosen, setChosen] = useState(params.scheduleId);
  const now = useNow(60_000);
  const items = sessions.data?.items ?? [];
  const current = items.find((s) => s.scheduleId === chosen) ?? defaultSession(items, clock(new Date(now).toISOString()));
  const scheduleId = current?.scheduleId ?? '';
  const entries = useApi(api.queue.entries, { params: { scheduleId } }, { enabled: !!scheduleId });
  usePolling(entries.retry, ENTRIES_POLL_MS, !!scheduleId);
  const next = useAction(api.queue.next);

  const callNext = async () => {
    const r = await next.run({ params: { scheduleId } });
    entries.retry();
    if (r) Taro.showToast({ title: `请 ${r.called.number}号 ${r.called.patientName} 就诊`, icon: 'none', duration: 2500 });
  };

  const today = hospitalDate(now);
  return (
    <View className='page staff-queue'>
      <Text className='title'>
        门诊叫号 · {monthDay(today)} {weekday(today)}
      </Text>
      <AsyncView state={sessions} isEmpty={(d) => d.items.length === 0} emptyText='今天本机构没有您可叫号的出诊'>
        {(d) => (
          <View>
            <View className='chips' id='staff-sessions'>
              {d.items.map((s) => (
                <View
                  key={s.scheduleId}
                  id={`staff-session-${s.scheduleId}`}
                  className={`chip ${s.scheduleId === scheduleId ? 'chip--selected' : ''}`}
                  ariaRole='button'
                  ariaLabel={`${s.doctorName} ${SESSION_INFO[s.session].label}`}
                  onClick={() => (setChosen(s.scheduleId), next.reset())}
                >
                  <Text>
                    {s.doctorName} · {SESSION_INFO[s.session].label}
                  </Text>
                  <Text>
                    {s.deptName}
                    {s.stopped ? '（停诊）' : ''}
                  </Text>
                </View>
              ))}
            </View>

            {scheduleId ? (
              <AsyncView state={entries}>
                {(e) => {
                  const waiting = e.items.filter((x) => x.state === 'waiting').length;
                  return (
                    <View>
                      <View className='card'>
                        <View className='call-panel'>
                          <View className='call-panel__cell'>
                            <Text className='call-panel__label'>当前叫号</Text>
                            <Text className='call-panel__number' id='staff-called'>
                              {e.calledNumber > 0 ? `${e.calledNumber}号` : '未开始'}
                            </Text>
                          </View>
                          <View className='call-panel__cell'>
                            <Text className='call-panel__label'>候诊人数</Text>
                            <Text className='call-panel__number' id='staff-waiting'>
                              {waiting}
                            </Text>
                          </View>
                        </View>
                        {next.data ? (
                          <Text className='called-line' id='staff-last-called'>
                            请 {next.data.called.number}号 {next.data.called.patientName} 到诊室就诊
                          </Text>
                        ) : null}
                        {next.error ? (
                          <Text className='error-text' id='staff-call-error'>
                            {describeError(next.error)}
                          </Text>
                        ) : null}
                        <Btn kind='primary' id='call-next' className='call-next' busy={next.loading} disabled={current?.stopped} onTap={callNext}>
                          叫下一位
                        </Btn>
                      </View>
                      <Text className='subtitle'>候诊名单</Text>
                      <View className='card' id='staff-entries'>
                        {e.items.length === 0 ? <Text className='muted'>还没有患者预约或签到。</Text> : null}
                        {e.items.map((x) => (
                          <View key={x.appointmentId} className={`entry entry--${x.state}`} id={`entry-${x.appointmentId}`}>
                            <Text className='entry__number'>{x.number ? `${x.number}号` : '—'}</Text>
                            <Text className='entry__name'>{x.patientName}</Text>
                            <Text className='entry__state'>{ENTRY_STATE_LABEL[x.state]}</Text>
                          </View>
                        ))}
                      </View>
                    </View>
                  );
                }}
              </AsyncView>
            ) : null}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
