import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { instantText } from '../../../../care/format';
import { useCareLive } from '../../../../care/live';
import { Line } from '../../../../care/widgets';
import '../../../../care/care.css';
import { navigate } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';

/** The team's inbox: one thread per contracted resident, latest first, unread counts live. */
export default function Threads() {
  const threads = useApi(api.messages.staffThreads, undefined, { refreshOnShow: true });
  useCareLive(threads.retry, ['care.message']);
  return (
    <View className='page care-staff-threads'>
      <AsyncView state={threads} isEmpty={(d) => d.items.length === 0} emptyText='还没有居民留言'>
        {(d) => (
          <View>
            {d.items.map((t) => (
              <View className='care-menu' key={t.contractId} id={`thread-${t.contractId}`} hoverClass='btn--pressed' ariaRole='button' onClick={() => navigate('careStaffThread', { contractId: t.contractId })}>
                <View className='care-menu__text'>
                  <Text className='care-menu__title'>
                    {t.patient.name}
                    {t.unread ? <Text className='care-count'>{t.unread}</Text> : null}
                  </Text>
                  {t.last ? (
                    <Line>
                      {t.last.from === 'team' ? '团队：' : ''}
                      {t.last.preview} · {instantText(t.last.at)}
                    </Line>
                  ) : null}
                </View>
                <Text className='care-go'>›</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
