import { Text, View } from '@tarojs/components';
import { isFinishedVisit, type VisitView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { doctorsLine, joinHint, kindText, statusText, visitTime, dateTime } from '../../../../visits/text';
import { useEvery } from '../../../../visits/useEvery';
import { VisitRecord } from '../../../../visits/VisitRecord';
import '../../../../visits/visits.css';

function Waiting({ v }: { v: VisitView }) {
  if (v.status === 'waiting') {
    return (
      <View className='card visit-waiting' id='visit-waiting'>
        <Text className='visit-title'>候诊中</Text>
        <Text className='visit-line'>您已进入候诊，医生接入后即可开始视频问诊。请保持本页打开。</Text>
      </View>
    );
  }
  if (v.status === 'in_progress') {
    return (
      <View className='card visit-waiting'>
        <Text className='visit-title'>问诊进行中</Text>
        <Text className='visit-line'>如果通话中断，点击「进入诊室」即可重新连接。</Text>
      </View>
    );
  }
  return null;
}

/** One visit: when, who, the join button (active in the window), waiting state, and the summary. */
export default function VisitDetail() {
  const { id } = useRouteParams('visitDetail');
  const res = useApi(api.visits.get, { params: { visitId: id ?? '' } }, { enabled: !!id, refreshOnShow: true });
  // While the visit is live, its status and the doctor's notes arrive by themselves.
  useEvery(10_000, res.retry, !!res.data && !isFinishedVisit(res.data.status));
  return (
    <View className='page visits'>
      <AsyncView state={res}>
        {(v) => (
          <View id='visit-detail'>
            <View className='card'>
              <View className='visit-row'>
                <Text className='visit-title'>
                  {kindText(v)} · {v.patient.name}
                </Text>
                <Text className={`tag visit-status--${v.status}`} id='visit-status'>
                  {statusText(v)}
                </Text>
              </View>
              <Text className='visit-line'>时间：{visitTime(v)}</Text>
              <Text className='visit-line'>机构：{v.org.name}</Text>
              <Text className='visit-line'>医生：{doctorsLine(v)}</Text>
              <Text className='visit-line'>事由：{v.reason}</Text>
              {v.endedAt ? <Text className='visit-line'>结束：{dateTime(v.endedAt)}</Text> : null}
              {v.cancelReason ? <Text className='visit-line'>取消原因：{v.cancelReason}</Text> : null}
            </View>
            <Waiting v={v} />
            {v.canJoin ? (
              <Btn kind='primary' id='visit-join' onTap={() => navigate('visitRoom', { id: v.id })}>
                进入诊室
              </Btn>
            ) : !isFinishedVisit(v.status) ? (
              <Text className='visit-hint' id='visit-join-hint'>
                {joinHint(v)}。诊室在预约时间前15分钟开放。
              </Text>
            ) : null}
            <VisitRecord visit={v} payable />
          </View>
        )}
      </AsyncView>
    </View>
  );
}
