import { Text, View } from '@tarojs/components';
import { AppointmentCard } from '../../components/AppointmentCard';
import { AsyncView } from '../../components/AsyncView';
import { Btn } from '../../components/Btn';
import { RequireLogin } from '../../components/RequireLogin';
import { sortAppointments } from '../../booking/text';
import { navigate } from '../../navigation';
import { api } from '../../services/api';
import { useApi } from '../../services/useApi';

function MyAppointments() {
  // A tab page stays mounted: read again each time it is shown (after booking, check-in, cancel).
  const mine = useApi(api.booking.mine, { query: { filter: 'all' } }, { refreshOnShow: true });
  const book = (
    <Btn kind='primary' id='appointments-book' onTap={() => navigate('booking')}>
      去挂号
    </Btn>
  );
  return (
    <AsyncView state={mine} isEmpty={(d) => d.items.length === 0} emptyText='您还没有预约' emptyAction={book}>
      {(d) => {
        const { active, past } = sortAppointments(d.items);
        const open = (id: string) => navigate('appointmentDetail', { appointmentId: id });
        return (
          <View id='appointments-list'>
            <Text className='subtitle'>进行中（{active.length}）</Text>
            {active.length === 0 ? <Text className='muted'>没有进行中的预约。</Text> : null}
            {active.map((a) => (
              <AppointmentCard key={a.id} appointment={a} onTap={() => open(a.id)} />
            ))}
            {book}
            {past.length ? <Text className='subtitle'>历史预约</Text> : null}
            {past.map((a) => (
              <AppointmentCard key={a.id} appointment={a} onTap={() => open(a.id)} />
            ))}
          </View>
        );
      }}
    </AsyncView>
  );
}

/** Tab 预约: the appointments of everyone on the account; tap one for check-in and the queue. */
export default function Appointments() {
  return (
    <View className='page appointments'>
      <Text className='title'>我的预约</Text>
      <RequireLogin reason='登录后可查看和管理您的预约'>{(session) => <MyAppointments key={session.user.id} />}</RequireLogin>
    </View>
  );
}
