import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { ResponseOf, Verification, identityRoutes } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { StatusBlock } from '../../../components/StatusBlock';
import { api, call } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import { useNow, usePolling } from '../../../services/usePolling';
import { countdown, groupedCode, personCodeExpiry } from '../logic/verify';
import { StepError } from './parts';

type Code = ResponseOf<typeof identityRoutes.personCode>;

/** How often the page asks whether staff have checked the card yet. */
const CHECK_MS = 5000;

/**
 * 到窗口核验: an 8-digit code (10 minutes) to show with the ID card at a window, a 南天门工作站 or
 * a kiosk operator. Shown very large with a countdown (digits only: no QR library in the app);
 * the page notices by itself when staff have verified the person.
 */
export function WindowCode({ patientId, name, onVerified }: { patientId: string; name: string; onVerified: (v: Verification) => void }) {
  const get = useAction(api.identity.personCode);
  /** The code and its expiry on this phone's clock. */
  const [shown, setShown] = useState<{ code: Code; at: number; until: number } | null>(null);
  const code = shown?.code;
  const now = Math.max(useNow(1000, !!shown), shown?.at ?? 0);
  const left = countdown(shown?.until, now);

  const fetchCode = async () => {
    const c = await get.run({ params: { patientId } });
    const at = Date.now();
    if (c) setShown({ code: c, at, until: personCodeExpiry(c, at) });
  };
  useEffect(() => {
    void fetchCode();
    // One code when the way is chosen; a new one only on request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  usePolling(
    () => {
      call(api.identity.status, { params: { patientId } }).then(
        (s) => {
          if (s.verification.state === 'verified') onVerified(s.verification);
        },
        () => {},
      );
    },
    CHECK_MS,
    !!code && !left.expired,
  );

  if (!code) {
    if (get.error) {
      return (
        <View className='card idv-flow' id='idv-window'>
          <StepError id='idv-code-error' error={get.error} />
          <Btn kind='primary' id='idv-code-retry' busy={get.loading} onTap={() => void fetchCode()}>
            重新获取核验码
          </Btn>
        </View>
      );
    }
    return <StatusBlock kind='async-loading idv-code-loading' title='正在生成核验码…' />;
  }

  return (
    <View className='card idv-flow' id='idv-window'>
      <Text className='idv-flow__title'>到窗口核验</Text>
      <View className='idv-code'>
        <Text className='idv-code__label'>就诊人核验码</Text>
        <View ariaLabel={`核验码 ${code.code.split('').join(' ')}`}>
          <Text className='idv-code__digits' id='idv-person-code'>
            {groupedCode(code.code)}
          </Text>
        </View>
        <Text className={`idv-code__timer ${left.expired ? 'idv-code__timer--expired' : ''}`} id='idv-code-timer'>
          {left.expired ? '核验码已过期' : `有效期剩余 ${left.text}`}
        </Text>
      </View>
      {left.expired ? (
        <Btn kind='primary' id='idv-code-renew' busy={get.loading} onTap={() => void fetchCode()}>
          重新获取核验码
        </Btn>
      ) : null}
      <StepError error={get.error} />
      <View className='idv-steps'>
        <Text className='idv-step'>1. 携带{name}的身份证原件。</Text>
        <Text className='idv-step'>2. 到医院窗口、南天门工作站或健康一体机旁，向工作人员出示本页的核验码和身份证。</Text>
        <Text className='idv-step'>3. 工作人员核对后，本页会自动显示“已实名”。</Text>
      </View>
      <Text className='muted'>核验码只用于现场核验，请勿发给他人。</Text>
    </View>
  );
}
