import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useRouteParams } from '../../navigation';
import { Btn } from '../../components/Btn';
import { PrivacyPopup } from '../../components/PrivacyPopup';
import { platform } from '../../platform';
import { useSession } from '../../services/session';
import { Compose } from '../../emergency/components/Compose';
import { Tracking } from '../../emergency/components/Tracking';
import type { OutboxState } from '../../emergency/logic/outbox';
import { sosSmsText } from '../../emergency/logic/offer';
import { call120, freshAccessToken, sosOutbox, withDevice } from '../../emergency/logic/sos';
import '../../emergency/emergency.css';

/**
 * 紧急求助 (main package: never waits on a download). Works without an account. Pressing stores
 * the request on the phone first and sends it until the server has it; then the page follows it
 * live until help arrives. Opened from the home card (`now=1`) it presses at once: the position
 * and the time go first, the number and what happened after.
 */
export default function Emergency() {
  const session = useSession();
  const { now } = useRouteParams('emergency');
  const [state, setState] = useState<OutboxState>(sosOutbox.state);
  const [current, setCurrent] = useState(sosOutbox.current());

  useEffect(
    () =>
      sosOutbox.subscribe((s) => {
        setState(s);
        if (s.phase === 'sent') setCurrent(sosOutbox.current());
      }),
    [],
  );
  // A request left unsent (no network, app closed) goes out as soon as the page opens again.
  useEffect(() => {
    void sosOutbox.resume();
  }, []);
  useEffect(() => (state.phase === 'waiting' ? platform.onOnline(() => void sosOutbox.retryNow()) : undefined), [state.phase]);

  if (current) {
    return (
      <View className='page sos'>
        {/* WeChat's privacy agreement, if it holds the location: a bar, never in the way of the SOS. */}
        <PrivacyPopup variant='banner' />
        <Tracking
          current={current}
          onNew={() => {
            sosOutbox.forget();
            setCurrent(undefined);
          }}
        />
      </View>
    );
  }

  if (state.phase === 'sending' || state.phase === 'waiting' || sosOutbox.pending()) {
    return (
      <View className='page sos'>
        <Sending state={state} />
      </View>
    );
  }

  return (
    <View className='page sos'>
      <PrivacyPopup variant='banner' />
      <Compose
        session={session}
        pressNow={now === '1'}
        refused={state.phase === 'refused' ? state : undefined}
        onPress={async (body) => {
          const bearer = await freshAccessToken();
          void sosOutbox.press(withDevice(body), bearer);
        }}
      />
    </View>
  );
}

function Sending({ state }: { state: OutboxState }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const waiting = state.phase === 'waiting';
  const pending = sosOutbox.pending();
  const sms = sosSmsText(pending?.body.location, pending ? Date.parse(pending.firstTriedAt) : now, pending?.body.place);
  return (
    <View className='sos-sending' id='sos-sending'>
      <View className={`sos-status ${waiting ? 'sos-status--trouble' : 'sos-status--received'}`} ariaRole='status'>
        <Text className='sos-status__text'>{waiting ? '求助还没有送达，正在重试' : '正在发送求助…'}</Text>
        {waiting ? (
          <Text className='sos-status__hint' id='sos-retrying'>
            {state.reason}。已尝试 {state.attempt} 次，{Math.max(0, Math.ceil((state.retryAt - now) / 1000))} 秒后再试。求助已保存在手机上，会一直重试直到送达。
          </Text>
        ) : null}
        <Text className='sos-status__hint'>情况紧急，请同时拨打 120。</Text>
      </View>
      <Btn kind='danger' id='sos-call-120' onTap={call120} label='拨打急救电话 120'>
        拨打 120
      </Btn>
      {/* No network for the app may still leave calls and SMS: the position goes by SMS too. */}
      <View className='card sos-offer' id='sos-sms-offer'>
        <Text className='sos-section'>发短信到 {SOS_SMS_TO}</Text>
        <Text className='sos-offer__text' id='sos-sms-text' userSelect>{sms}</Text>
        <Btn kind='primary' id='sos-sms' onTap={() => void platform.composeSms(SOS_SMS_TO, sms)} label={`发短信到 ${SOS_SMS_TO}，附带位置`}>
          发送求助短信
        </Btn>
      </View>
      {waiting ? (
        <Btn id='sos-retry-now' onTap={() => void sosOutbox.retryNow()}>
          立即重试
        </Btn>
      ) : null}
    </View>
  );
}
