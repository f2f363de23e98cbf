import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { api, COMPLAINT_LABEL, type FloodGroupView } from '@hospital/shared';
import { describeError } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import { ago, dismissedText, floodSummary, whereFrom } from '../logic/console';

/**
 * Suspected floods, below every request from a normal source: one collapsed entry per source.
 * The dispatcher opens it, reviews the members (any of them opens like a normal request; taking
 * one — 接警 — moves it out of the group) and dismisses the rest in one action, with a reason.
 * Only what was reviewed is dismissed: members that arrive afterwards stay.
 */
export function Floods({ groups, canDismiss, onOpen, onDismissed }: { groups: FloodGroupView[]; canDismiss: boolean; onOpen: (id: string) => void; onDismissed: () => void }) {
  if (!groups.length) return null;
  return (
    <View className='dispatch-floods' id='dispatch-floods'>
      {groups.map((g) => (
        <FloodGroup key={g.id} g={g} canDismiss={canDismiss} onOpen={onOpen} onDismissed={onDismissed} />
      ))}
    </View>
  );
}

function FloodGroup({ g, canDismiss, onOpen, onDismissed }: { g: FloodGroupView; canDismiss: boolean; onOpen: (id: string) => void; onDismissed: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [done, setDone] = useState<string>();
  const dismiss = useAction(api.emergency.dismissFlood);

  const run = async () => {
    if (!reason.trim()) return setReasonError('请说明判断为批量误报的理由');
    setReasonError(undefined);
    // Up to the newest member on screen: anything newer is left for the next review.
    const r = await dismiss.run({ params: { groupId: g.id }, body: { reason: reason.trim(), upTo: g.lastAt } });
    if (r) {
      setDone(dismissedText(r));
      setReason('');
      onDismissed();
    }
  };

  return (
    <View className='dispatch-flood' id={`dispatch-flood-${g.id}`} data-source={g.source}>
      <View className='dispatch-flood__head' ariaRole='button' onClick={() => setOpen(!open)}>
        <Text className='dispatch-flood__title' id={`dispatch-flood-summary-${g.id}`}>{floodSummary(g)}</Text>
        <Text className='dispatch-flood__toggle'>{open ? '收起' : '查看'}</Text>
      </View>
      <Text className='muted'>同一来源短时间内大量匿名求助，已全部保存。请抽查回拨；确认真实的请点开后接警，它会移回上方列表。</Text>
      {done ? (
        <Text className='dispatch-flood__done' id={`dispatch-flood-done-${g.id}`}>
          {done}
        </Text>
      ) : null}
      {open ? (
        <View className='dispatch-flood__members'>
          {g.members.map((m) => (
            <View key={m.id} className='dispatch-flood__member' id={`dispatch-flood-member-${m.id}`} ariaRole='button' onClick={() => onOpen(m.id)}>
              <Text>
                {ago(m.createdAt)} · {m.phone} · {m.complaints.length ? m.complaints.map((c) => COMPLAINT_LABEL[c]).join('、') : '未说明情况'}
                {m.nearest ? ` · ${whereFrom(m.nearest)}` : m.place ? ` · ${m.place}` : ''}
              </Text>
              {m.text ? <Text className='muted'>“{m.text}”</Text> : null}
            </View>
          ))}
          {g.count > g.members.length ? <Text className='muted'>另有 {g.count - g.members.length} 条未显示</Text> : null}
        </View>
      ) : null}
      {canDismiss && g.open > 0 ? (
        <View className='dispatch-flood__dismiss'>
          <Textarea
            id={`dispatch-flood-reason-${g.id}`}
            className='dispatch-input dispatch-textarea'
            value={reason}
            maxlength={500}
            placeholder='判断为批量误报的理由（如：同一地址十秒内数十条，抽查回拨均为空号）'
            onInput={(e) => setReason(e.detail.value)}
          />
          {reasonError || dismiss.error ? <Text className='error-text'>{reasonError ?? describeError(dismiss.error)}</Text> : null}
          <View className={`dispatch-btn dispatch-btn--false_alarm ${dismiss.loading ? 'dispatch-btn--off' : ''}`} id={`dispatch-flood-dismiss-${g.id}`} ariaRole='button' onClick={dismiss.loading ? undefined : () => void run()}>
            <Text>全部标记为误报（{g.open} 条）</Text>
          </View>
        </View>
      ) : null}
    </View>
  );
}
