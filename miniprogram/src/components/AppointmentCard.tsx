import { Text, View } from '@tarojs/components';
import type { AppointmentView } from '@hospital/shared';
import { sessionLine } from '../booking/calendar';
import { feeText, STATUS_TONE, statusLabel } from '../booking/text';
import './appointment-card.css';

/** One appointment in a list: who, where, when, and its status in words and colour. */
export function AppointmentCard({ appointment: a, onTap }: { appointment: AppointmentView; onTap?: () => void }) {
  return (
    <View
      id={`appointment-${a.id}`}
      className={`appt appt--${STATUS_TONE[a.status]}`}
      hoverClass={onTap ? 'btn--pressed' : 'none'}
      ariaRole={onTap ? 'button' : undefined}
      ariaLabel={`${a.patient.name} ${a.doctor.name} ${statusLabel(a.status)}`}
      onClick={onTap}
    >
      <View className='appt__top'>
        <Text className='appt__who'>{a.patient.name}</Text>
        <Text className={`appt__status appt__status--${STATUS_TONE[a.status]}`}>{statusLabel(a.status)}</Text>
      </View>
      <Text className='appt__line appt__when'>{sessionLine(a.schedule)}</Text>
      <Text className='appt__line'>
        {a.org.name} · {a.department.name}
      </Text>
      <Text className='appt__line'>
        {a.doctor.name} {a.doctor.title} · {feeText(a.fee)}
      </Text>
      {a.queueNumber && a.status === 'checked_in' ? <Text className='appt__line appt__queue'>排队号 {a.queueNumber} 号</Text> : null}
      {onTap ? <Text className='appt__more'>查看详情 ›</Text> : null}
    </View>
  );
}
