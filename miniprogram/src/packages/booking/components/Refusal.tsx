import { Text, View } from '@tarojs/components';
import { Btn } from '../../../components/Btn';
import { back, navigate } from '../../../navigation';
import type { ApiError } from '../../../services/client';
import { refusalOf } from '../logic/refusals';

export interface RefusalProps {
  error: ApiError;
  id?: string;
  onRetry?: () => void;
  onRefresh?: () => void;
}

/** Why something was refused, in plain words, and the one or two things to do next. */
export function Refusal({ error, id = 'refusal', onRetry, onRefresh }: RefusalProps) {
  const r = refusalOf(error);
  return (
    <View className={`refusal refusal--${r.code}`} id={id} ariaRole='alert'>
      <Text className='refusal__title'>{r.title}</Text>
      <Text className='refusal__message'>{r.message}</Text>
      {r.next === 'other_session' ? <Btn onTap={() => back()}>选择其他时段</Btn> : null}
      {r.next === 'my_appointments' ? <Btn onTap={() => navigate('appointments')}>查看我的预约</Btn> : null}
      {r.next === 'book_again' ? <Btn onTap={() => navigate('booking')}>重新预约</Btn> : null}
      {r.next === 'retry' && onRetry ? (
        <Btn kind='primary' className='refusal__retry' onTap={onRetry}>
          重试
        </Btn>
      ) : null}
      {r.next === 'refresh' && onRefresh ? (
        <Btn className='refusal__refresh' onTap={onRefresh}>
          刷新
        </Btn>
      ) : null}
    </View>
  );
}
