import { useState } from 'react';
import { ScrollView, Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { StatusBlock } from '../../../../components/StatusBlock';
import { hospitalDate, monthDay, weekday } from '../../../../booking/calendar';
import { feeText } from '../../../../booking/text';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { useNow } from '../../../../services/usePolling';
import { dateStrip, pickDate, sessionCard, sessionsOn } from '../../logic/schedule';
import '../../booking.css';

const DAYS = 14;

/**
 * A doctor's next 14 days: a date strip, then that day's sessions with places left. Full,
 * stopped and not-yet-released sessions are greyed and say why; only open ones can be tapped.
 */
export default function Schedules() {
  const params = useRouteParams('bookingSchedules');
  const doctorId = params.doctorId ?? '';
  // Places change while people book: read again whenever the page is shown.
  const res = useApi(api.catalog.schedules, { params: { doctorId } }, { refreshOnShow: true });
  // Re-evaluate release / closing times every 30 s (a page left open at 07:59 opens at 08:00).
  const now = useNow(30_000);
  const today = hospitalDate(now);
  const [chosen, setChosen] = useState<string | undefined>(params.date);

  return (
    <View className='page booking'>
      <AsyncView state={res}>
        {({ doctor, items }) => {
          const strip = dateStrip(today, DAYS, items, now);
          const date = pickDate(strip, chosen);
          const day = date ? sessionsOn(items, date) : [];
          return (
            <View>
              <View className='card header-card'>
                <Text className='header-card__name' id='doctor-name'>
                  {doctor.name} <Text className='tag'>{doctor.title}</Text>
                </Text>
                <Text className='header-card__line'>擅长：{doctor.specialty}</Text>
                <Text className='header-card__line'>挂号费：{feeText(doctor.fee)}</Text>
              </View>

              <Text className='subtitle'>选择日期</Text>
              <ScrollView scrollX className='date-strip' id='date-strip' scrollIntoView={date ? `date-${date}` : undefined}>
                {strip.map((d) => (
                  <View
                    key={d.date}
                    id={`date-${d.date}`}
                    className={`date-chip ${d.date === date ? 'date-chip--selected' : ''} ${d.open ? '' : 'date-chip--none'}`}
                    ariaRole='button'
                    ariaLabel={`${d.label} ${d.short}`}
                    onClick={() => setChosen(d.date)}
                  >
                    <Text className='date-chip__label'>{d.label}</Text>
                    <Text className='date-chip__short'>{d.short}</Text>
                    <Text className='date-chip__mark'>{d.open ? '有号' : d.sessions ? '无余号' : '无出诊'}</Text>
                  </View>
                ))}
              </ScrollView>

              {date ? (
                <Text className='subtitle' id='day-title'>
                  {monthDay(date)} {weekday(date)}
                </Text>
              ) : null}
              {day.length === 0 ? (
                <StatusBlock kind='async-empty no-sessions' icon='i' title='当天没有出诊' message='请选择其他日期。' />
              ) : (
                day.map((s) => {
                  const c = sessionCard(s, now, today);
                  return (
                    <View
                      key={s.id}
                      id={`session-${s.id}`}
                      className={`session session--${c.state} ${c.bookable ? '' : 'session--off'}`}
                      hoverClass={c.bookable ? 'btn--pressed' : 'none'}
                      ariaRole='button'
                      ariaLabel={`${c.time} ${c.badge}`}
                      onClick={c.bookable ? () => navigate('bookingConfirm', { scheduleId: s.id }) : undefined}
                    >
                      <View>
                        <Text className='session__time'>{c.time}</Text>
                        {c.note ? <Text className='session__note'>{c.note}</Text> : null}
                      </View>
                      <View className='session__side'>
                        <Text className='session__badge'>{c.badge}</Text>
                        <Text className='session__fee'>{c.fee}</Text>
                      </View>
                    </View>
                  );
                })
              )}
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
