import { useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { SMS_CODE, type ResponseOf, type Verification, type identityRoutes } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { api } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import { useNow } from '../../../services/usePolling';
import { countdown, isCompleteSmsCode, needsNewSmsCode, resendText, smsCodeInput, smsNotice, smsTimes } from '../logic/verify';
import { StepError } from './parts';

type Sent = ResponseOf<typeof identityRoutes.sendSms>;

/**
 * 短信验证码: the code goes to the phone ON RECORD for the person (never the phone typed on the
 * account), 6 digits, 5 minutes, 5 wrong tries; resend after the server's `resendAfter`.
 */
export function SmsFlow({ patientId, phoneMasked, onVerified }: { patientId: string; phoneMasked?: string; onVerified: (v: Verification) => void }) {
  const send = useAction(api.identity.sendSms);
  const confirm = useAction(api.identity.confirmSms);
  /** The last code sent, and when its answer arrived (the countdowns run on this phone's clock). */
  const [sent, setSent] = useState<{ view: Sent; at: number } | null>(null);
  const [code, setCode] = useState('');
  const now = Math.max(useNow(1000, !!sent), sent?.at ?? 0);
  const times = sent ? smsTimes(sent.view, sent.at) : undefined;
  const resend = resendText(times?.resendAt, now);
  const expired = !!times && countdown(times.expiresAt, now).expired;
  /** The code can no longer be used: only a new one helps. */
  const gone = expired || needsNewSmsCode(confirm.error);

  // A refused code is cleared so the next try starts from an empty box.
  useEffect(() => {
    if (confirm.error?.code.startsWith('SMS_CODE')) setCode('');
  }, [confirm.error]);

  const doSend = async () => {
    confirm.reset();
    setCode('');
    const r = await send.run({ params: { patientId } });
    if (r) setSent({ view: r, at: Date.now() });
  };
  const doConfirm = async () => {
    send.reset();
    const p = await confirm.run({ params: { patientId }, body: { code } });
    if (p) onVerified(p.verification);
  };

  return (
    <View className='card idv-flow' id='idv-sms'>
      <Text className='idv-flow__title'>短信验证码</Text>
      <Text className='hint' id='idv-sms-notice'>
        {smsNotice(sent?.view.phoneMasked ?? phoneMasked)}
      </Text>
      {!sent ? (
        <Btn kind='primary' id='idv-sms-send' busy={send.loading} disabled={!phoneMasked} onTap={() => void doSend()}>
          发送验证码
        </Btn>
      ) : (
        <View>
          <Text className='idv-sent' id='idv-sms-sent'>
            验证码已发送至 {sent.view.phoneMasked}，{SMS_CODE.ttlSeconds / 60} 分钟内有效
          </Text>
          <Text className='idv-label'>验证码</Text>
          <Input
            id='idv-sms-code'
            className={`field-input idv-input--code${confirm.error ? ' field-input--invalid' : ''}`}
            type='number'
            maxlength={SMS_CODE.length}
            value={code}
            placeholder={`请输入${SMS_CODE.length}位验证码`}
            onInput={(e) => {
              setCode(smsCodeInput(e.detail.value));
              if (confirm.error && !gone) confirm.reset();
            }}
          />
          {expired ? (
            <Text className='idv-error' id='idv-sms-expired'>
              验证码已过期，请重新获取
            </Text>
          ) : null}
          <Btn kind='primary' id='idv-sms-confirm' busy={confirm.loading} disabled={!isCompleteSmsCode(code) || gone} onTap={() => void doConfirm()}>
            确认
          </Btn>
          <Btn id='idv-sms-resend' busy={send.loading} disabled={!resend.ready && !gone} onTap={() => void doSend()}>
            {resend.ready || gone ? '重新发送验证码' : resend.text}
          </Btn>
        </View>
      )}
      <StepError id='idv-sms-error' error={confirm.error ?? send.error} />
    </View>
  );
}
