import { Text, View } from '@tarojs/components';
import type { QueueStatus } from '@hospital/shared';
import { clock } from '../../../booking/calendar';
import { queueDisplay } from '../logic/queue';

/** 候诊: the number being called, mine, people ahead and the wait. Updated by polling. */
export function QueueCard({ queue, own }: { queue: QueueStatus; own?: { id: string; queueNumber?: number } }) {
  const d = queueDisplay(queue, own);
  return (
    <View className='card queue-card' id='queue'>
      <Text className='subtitle'>候诊进度</Text>
      <View className='queue'>
        <View className='queue__cell'>
          <Text className='queue__label'>当前叫号</Text>
          <Text className='queue__number' id='queue-called'>
            {d.called}
          </Text>
        </View>
        {d.mine ? (
          <View className='queue__cell'>
            <Text className='queue__label'>我的号</Text>
            <Text className='queue__number' id='queue-mine'>
              {d.mine.number}
            </Text>
          </View>
        ) : null}
      </View>
      {d.mine ? (
        <>
          <Text
            className={`queue__headline ${d.mine.state === 'called' ? 'queue__headline--called' : ''}`}
            id='queue-headline'
            data-state={d.mine.state}
          >
            {d.mine.headline}
          </Text>
          {d.mine.wait ? <Text className='muted queue__wait'>{d.mine.wait}</Text> : null}
        </>
      ) : (
        <Text className='muted'>签到后即可看到您的排队号和前面的人数。</Text>
      )}
      <Text className='muted queue__updated'>
        共 {d.waiting} 人候诊 · 自动刷新，{clock(queue.updatedAt)} 更新
      </Text>
    </View>
  );
}
