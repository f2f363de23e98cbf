import { useEffect } from 'react';
import { View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { useCareLive } from '../../../../care/live';
import { Thread } from '../../../../care/Thread';
import { useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

/** The resident's thread with their team: new answers arrive live (polling when the socket is down). */
export default function Messages() {
  const { contractId = '' } = useRouteParams('careMessages');
  const page = useApi(api.messages.thread, { params: { contractId }, query: {} });
  const contract = useApi(api.care.get, { params: { contractId } });
  const post = useAction(api.messages.post);
  const read = useAction(api.messages.read);
  useCareLive(page.retry, ['care.message'], 8000);

  // Whatever the person sees is read.
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
    <View className='page care-messages' id='care-messages-page'>
      <AsyncView state={page}>
        {(d) => <Thread thread={d.thread} items={d.items} side='resident' canWrite={contract.data?.status === 'active'} sending={post.loading} error={post.error} onSend={onSend} />}
      </AsyncView>
    </View>
  );
}
