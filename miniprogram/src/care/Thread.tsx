import { useEffect, useState } from 'react';
import { Image, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MessageView, ThreadView } from '@hospital/shared';
import { Btn } from '../components/Btn';
import { describeError, type ApiError } from '../services/api';
import { instantText } from './format';
import { choosePhotoAndUpload, imageSrc } from './upload';
import './care.css';

export interface ThreadProps {
  thread: ThreadView;
  /** Newest first, as the API gives them. */
  items: MessageView[];
  side: 'resident' | 'team';
  canWrite: boolean;
  sending: boolean;
  error: ApiError | null;
  onSend: (body: { text?: string; imageId?: string }) => Promise<boolean>;
}

/** A conversation between a resident and their team: oldest at the top, the composer fixed at the bottom. */
export function Thread({ thread, items, side, canWrite, sending, error, onSend }: ThreadProps) {
  const [text, setText] = useState('');
  const ordered = [...items].reverse();

  // Keep the newest message in view.
  useEffect(() => {
    void Taro.pageScrollTo({ scrollTop: 100_000, duration: 0 }).catch(() => undefined);
  }, [items.length]);

  const send = async () => {
    const t = text.trim();
    if (!t) return;
    if (await onSend({ text: t })) setText('');
  };
  const sendPhoto = async () => {
    const img = await choosePhotoAndUpload();
    if (img) await onSend({ imageId: img.id });
  };

  return (
    <View>
      <View className='msg-list' id='thread-messages'>
        {ordered.length === 0 ? <Text className='muted'>还没有留言。{side === 'resident' ? `可以向${thread.team.name}咨询健康问题。` : ''}</Text> : null}
        {ordered.map((m) => (
          <View key={m.id} className={`msg ${m.from === side ? 'msg--mine' : 'msg--theirs'}`}>
            <Text className='msg__who'>
              {m.senderName} · {instantText(m.createdAt)}
            </Text>
            {m.text ? <Text className='msg__bubble message-text'>{m.text}</Text> : null}
            {m.imageUrl ? (
              <Image
                className='msg__image'
                src={imageSrc(m.imageUrl)}
                mode='aspectFill'
                onClick={() => void Taro.previewImage({ urls: [imageSrc(m.imageUrl!)] }).catch(() => undefined)}
              />
            ) : null}
          </View>
        ))}
      </View>
      {canWrite ? (
        <View className='composer'>
          {error ? <Text className='error-text'>{describeError(error)}</Text> : null}
          <Input
            id='message-input'
            className='care-input'
            value={text}
            maxlength={500}
            placeholder={side === 'resident' ? '请输入想咨询的问题' : '回复居民'}
            confirmType='send'
            onInput={(e) => setText(e.detail.value)}
            onConfirm={send}
          />
          <View className='composer__buttons'>
            <Btn id='message-photo' onTap={sendPhoto} disabled={sending}>
              发图片
            </Btn>
            <Btn id='message-send' kind='primary' busy={sending} disabled={!text.trim()} onTap={send}>
              发送
            </Btn>
          </View>
          {side === 'resident' ? <Text className='muted'>留言不能代替急救，紧急情况请拨打120。</Text> : null}
        </View>
      ) : (
        <Text className='muted'>签约生效期间可以留言。</Text>
      )}
    </View>
  );
}
