import { useEffect } from 'react';
import { View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { useCareLive } from '../../../../care/live';
import { Thread } from '../../../../care/Thread';
import { useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

/** A resident's thread, answered by the team. */
export default function StaffThread() {
  const { contractId = '' } = useRouteParams('careStaffThread');
  const page = useApi(api.messages.staffThread, { params: { contractId }, query: {} });
  const contract = useApi(api.care.staffGet, { params: { contractId } });
  const post = useAction(api.messages.staffPost);
  const read = useAction(api.messages.staffRead);
  useCareLive(page.retry, ['care.message'], 8000);
  const unread = page.data?.thread.unread ?? 0;
  useEffect(() => {
    if (unread > 0) void read.run({ params: { contractId } });
  }, [unread, contractId]); // eslint-disable-line react-hooks/exhaustive-deps

  const onSend = async (body: { text?: string; imageId?: string }) => {
    const m = await post.run({ params: { contractId }, body });
    if (m) page.retry();
    return !!m;
  };
  return (
    <View className='page care-staff-thread'>
      <AsyncView state={page}>
        {(d) => <Thread thread={d.thread} items={d.items} side='team' canWrite={contract.data?.status === 'active'} sending={post.loading} error={post.error} onSend={onSend} />}
      </AsyncView>
    </View>
  );
}
