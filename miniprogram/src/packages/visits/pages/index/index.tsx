import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { VisitListItem } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { navigate } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { doctorsLine, joinHint, kindText, statusText, visitTime } from '../../../../visits/text';
import '../../../../visits/visits.css';

const TABS = [
  { key: 'upcoming', label: '待就诊' },
  { key: 'past', label: '已结束' },
] as const;

function VisitCard({ v }: { v: VisitListItem }) {
  return (
    <View className='card visit-card' id={`visit-${v.id}`} ariaRole='button' onClick={() => navigate('visitDetail', { id: v.id })}>
      <View className='visit-row'>
        <Text className='visit-title'>
          {kindText(v)} · {v.patient.name}
        </Text>
        <Text className={`tag visit-status--${v.status}`}>{statusText(v)}</Text>
      </View>
      <Text className='visit-line'>{visitTime(v)}</Text>
      <Text className='visit-line'>医生：{doctorsLine(v)}</Text>
      <Text className='visit-line muted'>{v.reason}</Text>
      {v.canJoin ? (
        <Btn kind='primary' className='visit-join' onTap={() => navigate('visitRoom', { id: v.id })}>
          进入诊室
        </Btn>
      ) : (
        <Text className='visit-line muted'>{joinHint(v)}</Text>
      )}
    </View>
  );
}

function MyVisits() {
  const [tab, setTab] = useState<'upcoming' | 'past'>('upcoming');
  // The join button turns on by itself: read again whenever the page is shown.
  const res = useApi(api.visits.mine, { query: { filter: tab } }, { refreshOnShow: true });
  return (
    <View>
      <View className='visit-chips'>
        {TABS.map((t) => (
          <View key={t.key} id={`visits-tab-${t.key}`} className={`visit-chip ${tab === t.key ? 'visit-chip--on' : ''}`} ariaRole='button' onClick={() => setTab(t.key)}>
            <Text>{t.label}</Text>
          </View>
        ))}
      </View>
      <AsyncView
        state={res}
        isEmpty={(d) => d.items.length === 0}
        emptyText={tab === 'upcoming' ? '暂无待就诊的视频问诊' : '暂无记录'}
        emptyAction={
          <Btn kind='primary' onTap={() => navigate('videoBook', {})}>
            预约视频问诊
          </Btn>
        }
      >
        {(d) => (
          <View id='visit-list'>
            {d.items.map((v) => (
              <VisitCard key={v.id} v={v} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

/** 视频问诊: my visits (booked video visits and consultations a doctor started for my family). */
export default function VideoVisits() {
  return (
    <View className='page visits'>
      <Btn id='video-book' onTap={() => navigate('videoBook', {})}>
        预约视频问诊
      </Btn>
      <RequireLogin reason='登录后查看您和家人的视频问诊'>{() => <MyVisits />}</RequireLogin>
    </View>
  );
}
