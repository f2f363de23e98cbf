/**
 * Where a kiosk's QR code lands: type the code the kiosk shows on its screen (or scan the QR
 * beside it, which fills the code in), then pick who is being measured. The code proves the
 * person is standing at the kiosk: nobody binds a public kiosk from afar. The kiosk is then bound
 * to that person for one measurement session (a countdown shows how long), renewable a fixed
 * number of times; what it measures arrives in 健康监测. The next person at the kiosk binds with
 * the fresh code and this binding ends; someone else's binding shows as busy (never whose).
 */
import { useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { KIOSK_CODE_DIGITS, KIOSK_SESSION_MINUTES, RELATION_LABEL, type KioskSessionView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { PeopleView } from '../../../../components/PeopleView';
import { Btn } from '../../../../components/Btn';
import { navigate, useRouteParams } from '../../../../navigation';
import { api, call } from '../../../../services/api';
import { describeError } from '../../../../services/client';
import { usePolling } from '../../../../services/live';
import { useAction, useApi } from '../../../../services/useApi';
import { codeFromParam, endedNotice, isCompleteKioskCode, kioskCodeInput, renewLabel } from '../../logic/kiosk-binding';
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

function Bound({ s, onEnd, ending, onExpired, onRenew, renewing }: { s: KioskSessionView; onEnd: () => void; ending: boolean; onExpired: () => void; onRenew: () => void; renewing: boolean }) {
  const countdown = useCountdown(s.expiresAt, onExpired);
  const renew = renewLabel(s, KIOSK_SESSION_MINUTES);
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
      {renew ? (
        <Btn id='kiosk-renew' busy={renewing} onTap={onRenew}>
          {renew}
        </Btn>
      ) : (
        <Text className='muted' id='kiosk-renew-none'>
          本次测量已不能再延长；如需继续，请结束后输入一体机上的新验证码。
        </Text>
      )}
      <Btn id='kiosk-end' busy={ending} onTap={onEnd}>
        结束测量
      </Btn>
    </View>
  );
}

/** The code on the kiosk's screen: typed here, or filled in by the kiosk's on-screen QR. */
function CodeField({ code, onChange, error }: { code: string; onChange: (c: string) => void; error?: string }) {
  return (
    <View className='kiosk-code'>
      <Text className='kiosk-code__label'>一体机屏幕上的验证码</Text>
      <Input
        id='kiosk-code'
        className={`kiosk-code__input${error ? ' kiosk-code__input--invalid' : ''}`}
        type='number'
        maxlength={KIOSK_CODE_DIGITS}
        value={code}
        placeholder={`请输入${KIOSK_CODE_DIGITS}位验证码`}
        onInput={(e) => onChange(kioskCodeInput(e.detail.value))}
      />
      {error ? (
        <Text className='error-text' id='kiosk-code-error'>
          {error}
        </Text>
      ) : (
        <Text className='muted'>验证码只在一体机屏幕上显示，证明您就在一体机前；每个验证码只能用一次。</Text>
      )}
    </View>
  );
}

export default function KioskLanding() {
  const route = useRouteParams('kiosk');
  const kioskId = route.kioskId ?? '';
  const session = useApi(api.devices.kioskSession, { params: { kioskId } });
  const people = useApi(api.patients.list);
  const open = useAction(api.devices.openSession);
  const renew = useAction(api.devices.renewSession);
  const end = useAction(api.devices.endSession);
  const [shown, setShown] = useState<KioskSessionView | undefined>();
  const [code, setCode] = useState(codeFromParam(route.code));
  const [codeError, setCodeError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const current = shown ?? session.data;
  const currentRef = useRef(current);
  currentRef.current = current;

  // While bound, look again now and then: the next person at the kiosk may have taken it over.
  usePolling(
    () => {
      void call(api.devices.kioskSession, { params: { kioskId } })
        .then((now) => {
          const ended = endedNotice(currentRef.current, now);
          if (ended) setNotice(ended);
          setShown(now);
        })
        .catch(() => undefined);
    },
    15_000,
    current?.state === 'mine',
  );

  useEffect(() => {
    if (open.error) setCodeError(open.error.fields.find((f) => f.path === 'body.code')?.message ?? undefined);
  }, [open.error]);

  const pick = async (patientId: string) => {
    if (!isCompleteKioskCode(code)) {
      setCodeError(`请先输入一体机屏幕上的${KIOSK_CODE_DIGITS}位验证码`);
      return;
    }
    setCodeError(undefined);
    setNotice(undefined);
    const s = await open.run({ params: { kioskId }, body: { patientId, code } });
    if (s) {
      setShown(s);
      setCode('');
    }
  };
  const more = async () => {
    const s = await renew.run({ params: { kioskId } });
    if (s) setShown(s);
    else {
      const now = await call(api.devices.kioskSession, { params: { kioskId } }).catch(() => undefined);
      if (now) setShown(now);
    }
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
              {notice ? (
                <View className='card kiosk-notice' id='kiosk-notice' ariaRole='alert'>
                  <Text>{notice}</Text>
                </View>
              ) : null}
              {current.state === 'mine' ? (
                <View>
                  <Bound s={current} onEnd={finish} ending={end.loading} onExpired={expired} onRenew={() => void more()} renewing={renew.loading} />
                  {renew.error ? (
                    <Text className='error-text' id='kiosk-renew-error'>
                      {describeError(renew.error)}
                    </Text>
                  ) : null}
                </View>
              ) : (
                <View className='card kiosk-pick'>
                  {current.state === 'busy' ? (
                    <View className='kiosk-busy' id='kiosk-busy' ariaRole='alert'>
                      <Text className='subtitle'>一体机正在为他人测量</Text>
                      <Text>如果您就站在一体机前，输入屏幕上的验证码即可开始，上一位的测量会结束；否则请等对方测完。</Text>
                    </View>
                  ) : (
                    <Text className='subtitle'>这次为谁测量？</Text>
                  )}
                  <CodeField
                    code={code}
                    error={codeError}
                    onChange={(c) => {
                      setCode(c);
                      setCodeError(undefined);
                    }}
                  />
                  <Text className='muted'>输入验证码后选择就诊人：{KIOSK_SESSION_MINUTES} 分钟内一体机的测量结果都会记到这个人名下。</Text>
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
                  {open.error && !codeError ? (
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
