/**
 * Our popup for WeChat's privacy agreement (platform/privacy-prompts.ts explains the flow).
 *
 *   <PrivacyPopup />                  on a page that calls a private API (a sheet over the page)
 *   <PrivacyPopup variant='banner' /> on the SOS page: a bar that never covers the SOS button
 *   <PrivacyPopup standalone />       the page `privacyAuthorize` opens for pages without one
 *
 * It renders nothing until WeChat asks, so on Alipay and in a browser it never shows.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { navigate } from '../navigation';
import { platform } from '../platform';
import { privacyPrompts, type PrivacyRequest } from '../platform/privacy-prompts';
import guide from '../../privacy-guide.json';
import { Btn } from './Btn';
// status.css first, as everywhere else (AsyncView → ConsentGate): one CSS order in the common chunk.
import './status.css';
import './privacy.css';

/**
 * A 同意 button that, in WeChat, also records the privacy agreement
 * (`<Button openType="agreePrivacyAuthorization">`; elsewhere a plain button).
 * `onTap` runs on every host; `onPrivacyAgreed` after WeChat has recorded the agreement.
 */
export function AgreeButton({ id, children, onTap, onPrivacyAgreed, busy }: { id: string; children: ReactNode; onTap?: () => void; onPrivacyAgreed?: () => void; busy?: boolean }) {
  return (
    <Button
      id={id}
      className={`pv-agree-btn ${busy ? 'pv-agree-btn--busy' : ''}`}
      openType={platform.privacyAgreeOpenType}
      // Only when busy: Taro's H5 button treats any `disabled` attribute, even "false", as disabled.
      {...(busy ? { disabled: true } : {})}
      onClick={busy ? undefined : onTap}
      onAgreePrivacyAuthorization={onPrivacyAgreed}
    >
      {busy ? '请稍候…' : children}
    </Button>
  );
}

type GuideApis = Record<string, { feature: string; purpose: string }>;

/** The function that asked and why we use it, from privacy-guide.json (WeChat's `referrer`, when it names an API). */
export function describeRequest(request: PrivacyRequest | null): { feature: string; purpose?: string } {
  const entry = request?.referrer ? (guide.apis as GuideApis)[request.referrer] : undefined;
  return entry ? { feature: entry.feature, purpose: entry.purpose } : { feature: '此功能' };
}

const AGREE_ID = 'pv-privacy-agree';

export function PrivacyPopup({ variant = 'sheet', standalone = false, onDone }: { variant?: 'sheet' | 'banner'; standalone?: boolean; onDone?: () => void }) {
  const path = useRouter().path ?? '';
  const [request, setRequest] = useState<PrivacyRequest | null>(null);

  useEffect(() => privacyPrompts.subscribe(path, setRequest, standalone), [path, standalone]);
  useEffect(() => {
    if (request) privacyPrompts.exposed();
  }, [request]);
  // The stand-alone page closed without an answer: the held call must not wait for ever.
  useEffect(
    () => () => {
      if (standalone && privacyPrompts.current()) privacyPrompts.disagree();
    },
    [standalone],
  );

  if (!request) return null;
  const { feature, purpose } = describeRequest(request);
  const agreed = () => {
    privacyPrompts.agree(AGREE_ID);
    onDone?.();
  };
  const declined = () => {
    privacyPrompts.disagree();
    onDone?.();
  };

  const body = (
    <View className={`pv-popup pv-popup--${variant}`} id='pv-privacy-popup' ariaRole='dialog'>
      <Text className='pv-popup__title'>隐私保护提示</Text>
      {variant === 'banner' ? (
        <Text className='pv-popup__text'>
          为了把您的位置发送给120，微信要求您先同意{guide.contract}。不同意也能求助：请填写您的位置，或直接拨打120。
        </Text>
      ) : (
        <Text className='pv-popup__text'>
          使用「{feature}」前，请阅读并同意{guide.contract}。{purpose ? `我们用它${purpose}。` : ''}
        </Text>
      )}
      <View className='pv-popup__links'>
        <View className='pv-link' ariaRole='link' onClick={() => void (platform.openPrivacyContract() || navigate('privacyPolicy'))}>
          <Text>查看{guide.contract}</Text>
        </View>
        <View className='pv-link' ariaRole='link' onClick={() => void navigate('privacyPolicy')}>
          <Text>查看《隐私政策》</Text>
        </View>
      </View>
      <View className='pv-popup__actions'>
        <Btn className='pv-popup__no' id='pv-privacy-disagree' onTap={declined}>
          {variant === 'banner' ? '暂不' : '不同意'}
        </Btn>
        <AgreeButton id={AGREE_ID} onPrivacyAgreed={agreed}>
          同意
        </AgreeButton>
      </View>
    </View>
  );

  if (variant === 'banner' || standalone) return body;
  return <View className='pv-popup-mask'>{body}</View>;
}
