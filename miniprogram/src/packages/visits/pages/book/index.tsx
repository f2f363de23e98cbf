import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { addDays, formatYuan, localDate, SESSION_INFO } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { dateTime } from '../../../../visits/text';
import '../../../../visits/visits.css';

const DAYS = 7;
const STATE_TEXT: Record<string, string> = { open: '可预约', not_released: '未放号', full: '约满', closed: '已停止预约', stopped: '停诊' };

/**
 * Video sessions (线上出诊) of the next days. A video visit is booked like any appointment: the
 * booking confirmation page takes the person and the fee; once confirmed it appears under 视频问诊.
 */
export default function BookVideo() {
  const params = useRouteParams('videoBook');
  const today = localDate();
  const [date, setDate] = useState(params.date ?? today);
  const res = useApi(api.visits.videoSessions, { query: { date } }, { refreshOnShow: true });
  const days = Array.from({ length: DAYS }, (_, i) => addDays(today, i));
  return (
    <View className='page visits'>
      <Text className='subtitle'>选择日期</Text>
      <View className='visit-chips'>
        {days.map((d, i) => (
          <View key={d} id={`video-date-${d}`} className={`visit-chip ${d === date ? 'visit-chip--on' : ''}`} ariaRole='button' onClick={() => setDate(d)}>
            <Text>{i === 0 ? '今天' : i === 1 ? '明天' : d.slice(5)}</Text>
          </View>
        ))}
      </View>
      <AsyncView state={res} isEmpty={(d) => d.items.length === 0} emptyText='这一天没有视频出诊'>
        {(d) => (
          <View>
            {d.items.map((s) => {
              const open = s.state === 'open';
              return (
                <View
                  key={s.scheduleId}
                  className={`card video-session ${open ? '' : 'muted'}`}
                  ariaRole='button'
                  onClick={open ? () => navigate('bookingConfirm', { scheduleId: s.scheduleId }) : undefined}
                >
                  <View className='visit-row'>
                    <Text className='visit-title'>
                      {s.doctor.name} {s.doctor.title}
                    </Text>
                    <Text className='tag'>{STATE_TEXT[s.state] ?? s.state}</Text>
                  </View>
                  <Text className='visit-line'>
                    {s.org.name} · {s.department.name}
                  </Text>
                  <Text className='visit-line'>
                    {SESSION_INFO[s.session].label} {dateTime(s.startsAt)} 起 · 余号 {s.placesLeft}
                  </Text>
                  <Text className='visit-line visit-money'>问诊费 {s.fee === 0 ? '免费' : formatYuan(s.fee)}</Text>
                </View>
              );
            })}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
