/**
 * Where a kiosk's printed QR code lands: pick who is being measured; the kiosk is then bound to
 * that person for 15 minutes (a countdown shows how long), and what it measures arrives in
 * 健康监测. Someone else's binding shows as busy (never whose).
 */
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { KIOSK_SESSION_MINUTES, RELATION_LABEL, type KioskSessionView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { PeopleView } from '../../../../components/PeopleView';
import { Btn } from '../../../../components/Btn';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { describeError } from '../../../../services/client';
import { useAction, useApi } from '../../../../services/useApi';
import '../../devices.css';

function useCountdown(until: string | undefined, onEnd: () => void) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!until) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  const left = until ? Math.max(0, Date.parse(until) - now) : 0;
  useEffect(() => {
    if (until && left === 0) onEnd();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [until, left === 0]);
  const m = Math.floor(left / 60_000);
  const s = Math.floor((left % 60_000) / 1000);
  return { left, text: `${m}:${String(s).padStart(2, '0')}` };
}

function Bound({ s, onEnd, ending, onExpired }: { s: KioskSessionView; onEnd: () => void; ending: boolean; onExpired: () => void }) {
  const countdown = useCountdown(s.expiresAt, onExpired);
  return (
    <View className='card kiosk-bound' id='kiosk-bound'>
      <Text className='kiosk-bound__who' id='kiosk-bound-who'>
        正在为 {s.patientName} 测量
      </Text>
      <Text className='kiosk-bound__countdown' id='kiosk-countdown'>
        {countdown.text}
      </Text>
      <Text className='muted'>请在一体机上开始测量。在倒计时结束前完成的测量都会记入 {s.patientName} 的健康监测；测量完请点“结束测量”，以免下一位的结果记到您名下。</Text>
      <Btn kind='primary' id='kiosk-results' onTap={() => void navigate('myReadings', { patientId: s.patientId })}>
        查看测量结果
      </Btn>
      <Btn id='kiosk-end' busy={ending} onTap={onEnd}>
        结束测量
      </Btn>
    </View>
  );
}

export default function KioskLanding() {
  const kioskId = useRouteParams('kiosk').kioskId ?? '';
  const session = useApi(api.devices.kioskSession, { params: { kioskId } });
  const people = useApi(api.patients.list);
  const open = useAction(api.devices.openSession);
  const end = useAction(api.devices.endSession);
  const [shown, setShown] = useState<KioskSessionView | undefined>();
  const current = shown ?? session.data;

  const pick = async (patientId: string) => {
    const s = await open.run({ params: { kioskId }, body: { patientId } });
    if (s) setShown(s);
  };
  const finish = async () => {
    const s = await end.run({ params: { kioskId } });
    if (s) setShown(s);
  };
  const expired = () => {
    setShown(undefined);
    session.retry();
  };

  return (
    <View className='page kiosk-landing'>
      <AsyncView state={session}>
        {() =>
          current ? (
            <View>
              <View className='card kiosk-head'>
                <Text className='title' id='kiosk-label'>
                  {current.label}
                </Text>
                <Text className='muted'>{current.orgName}</Text>
              </View>
              {current.state === 'mine' ? (
                <Bound s={current} onEnd={finish} ending={end.loading} onExpired={expired} />
              ) : current.state === 'busy' ? (
                <View className='card kiosk-busy' id='kiosk-busy' ariaRole='alert'>
                  <Text className='subtitle'>一体机正在为他人测量</Text>
                  <Text>请等待对方结束，或稍后再扫码。</Text>
                  <Btn kind='primary' onTap={session.retry}>
                    刷新
                  </Btn>
                </View>
              ) : (
                <View className='card kiosk-pick'>
                  <Text className='subtitle'>这次为谁测量？</Text>
                  <Text className='muted'>选择后 {KIOSK_SESSION_MINUTES} 分钟内一体机的测量结果都会记到这个人名下。</Text>
                  <PeopleView state={people}>
                    {(d) => (
                      <View className='kiosk-people'>
                        {d.items.map((p) => (
                          <View
                            key={p.id}
                            id={`kiosk-person-${p.id}`}
                            className='kiosk-person'
                            ariaRole='button'
                            hoverClass='btn--pressed'
                            onClick={open.loading ? undefined : () => void pick(p.id)}
                          >
                            <Text className='kiosk-person__name'>{p.name}</Text>
                            <Text className='kiosk-person__rel'>{RELATION_LABEL[p.relation]}</Text>
                          </View>
                        ))}
                      </View>
                    )}
                  </PeopleView>
                  {open.error ? (
                    <Text className='error-text' id='kiosk-error'>
                      {describeError(open.error)}
                    </Text>
                  ) : null}
                </View>
              )}
            </View>
          ) : null
        }
      </AsyncView>
    </View>
  );
}
