/**
 * Asking for a separate consent where it is needed (services/consent.ts has the rules):
 *
 *   const consent = useConsent();
 *   const r = await consent.run(() => call(api.privacy.exportData));   // asks on CONSENT_REQUIRED, retries
 *   if (await consent.ensure('precise_location')) ...                  // asks before, when not granted
 *
 *   <ConsentGate purpose='health_data' onGranted={retry} />            // in place of content (AsyncView does this)
 */
import { useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { CONSENT_PURPOSE_TEXT, type ConsentPurpose } from '@hospital/shared';
import { back } from '../navigation';
import { api, call } from '../services/api';
import { describeError } from '../services/client';
import { ensureConsent, withConsent, type ConsentDeps } from '../services/consent';
import { Btn } from './Btn';
import { privacyPath } from './privacy-entries';
import { StatusBlock } from './StatusBlock';
import './privacy.css';

/** The dialog: what, why, what happens without it; 同意 / 暂不. */
export async function askConsent(purpose: ConsentPurpose): Promise<boolean> {
  const t = CONSENT_PURPOSE_TEXT[purpose];
  try {
    const { confirm } = await Taro.showModal({
      title: `需要您同意处理${t.title}`,
      content: `用于${t.why}。\n${t.without}。\n您可随时在${privacyPath('consents')}中关闭。`,
      confirmText: '同意',
      cancelText: '暂不',
    });
    return confirm;
  } catch {
    return false;
  }
}

export async function grantConsent(purpose: ConsentPurpose): Promise<void> {
  await call(api.privacy.consent, { params: { purpose }, body: { granted: true } });
}

const deps: ConsentDeps = { ask: askConsent, grant: grantConsent };

export function useConsent() {
  return useMemo(
    () => ({
      /** Runs the action; on CONSENT_REQUIRED asks, records the consent and runs it again. */
      run: <T,>(action: () => Promise<T>) => withConsent(action, deps),
      /** Asks before an action when `purpose` is not granted yet; false for 暂不. */
      ensure: (purpose: ConsentPurpose) => ensureConsent(purpose, { ...deps, current: () => call(api.privacy.get) }),
    }),
    [],
  );
}

/**
 * In place of content that needs a consent (a read answered 403 CONSENT_REQUIRED): the purpose's
 * text with 同意 (records it, then `onGranted`, e.g. the read's retry) and 暂不 (back).
 */
export function ConsentGate({ purpose, onGranted }: { purpose: ConsentPurpose; onGranted: () => void }) {
  const t = CONSENT_PURPOSE_TEXT[purpose];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const agree = async () => {
    setBusy(true);
    setError(null);
    try {
      await grantConsent(purpose);
      onGranted();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <StatusBlock kind={`pv-consent-gate pv-consent-gate--${purpose}`} icon='i' title={`需要您同意处理${t.title}`}>
      <View className='pv-consent-gate__text'>
        <Text className='pv-consent-gate__line'>用于：{t.why}。</Text>
        <Text className='pv-consent-gate__line'>{t.without}。</Text>
        <Text className='pv-consent-gate__line muted'>这是《个人信息保护法》要求的单独同意，您可随时在{privacyPath('consents')}中关闭。</Text>
      </View>
      {error ? <Text className='error-text'>{error}</Text> : null}
      <Btn kind='primary' id={`consent-agree-${purpose}`} busy={busy} onTap={agree}>
        同意
      </Btn>
      <Btn id={`consent-later-${purpose}`} onTap={() => void back()}>
        暂不
      </Btn>
    </StatusBlock>
  );
}
