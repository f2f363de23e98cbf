import { useEffect } from 'react';
import { View } from '@tarojs/components';
import { AsyncView } from '../components/AsyncView';
import { api } from '../services/api';
import { useAction, useApi } from '../services/useApi';
import { useCareLive } from './live';
import { Thread } from './Thread';

/** The routes of each side of a contract's thread: the resident's account, or the team. */
const SIDES = {
  resident: { thread: api.messages.thread, contract: api.care.get, post: api.messages.post, read: api.messages.read },
  team: { thread: api.messages.staffThread, contract: api.care.staffGet, post: api.messages.staffPost, read: api.messages.staffRead },
} as const;

/**
 * A contract's thread as one side sees it: new messages arrive live (polling when the socket is
 * down), whatever is shown is marked read, and only an active contract can be written to.
 */
export function ThreadPage({ side, contractId, className, id }: { side: keyof typeof SIDES; contractId: string; className: string; id?: string }) {
  const routes = SIDES[side];
  const page = useApi(routes.thread, { params: { contractId }, query: {} });
  const contract = useApi(routes.contract, { params: { contractId } });
  const post = useAction(routes.post);
  const read = useAction(routes.read);
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
    <View className={`page ${className}`} id={id}>
      <AsyncView state={page}>
        {(d) => <Thread thread={d.thread} items={d.items} side={side} canWrite={contract.data?.status === 'active'} sending={post.loading} error={post.error} onSend={onSend} />}
      </AsyncView>
    </View>
  );
}
