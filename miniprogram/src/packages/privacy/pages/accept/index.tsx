/**
 * First-login acceptance (services/privacy-gate.ts opens it alone, with every other page closed):
 * the two documents, 同意并继续 and 不同意. In WeChat the 同意 button is also WeChat's
 * `agreePrivacyAuthorization` button, so one tap covers our policy and WeChat's privacy guide.
 * 紧急求助 stays one tap away whatever the person answers.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { AgreeButton } from '../../../../components/PrivacyPopup';
import { Btn } from '../../../../components/Btn';
import { navigate, openUrl, relaunch, useRouteParams } from '../../../../navigation';
import { platform } from '../../../../platform';
import { api, call, describeError } from '../../../../services/api';
import { acceptBody, markAccepted } from '../../../../services/privacy-gate';
import { clearSession, useSession } from '../../../../services/session';
import { useAction } from '../../../../services/useApi';
import { AGREEMENT, PRIVACY_POLICY } from '../../logic/documents';
import { ACCEPT_POINTS, DECLINE_CONFIRMATION } from '../../logic/acceptance';
import '../../privacy.css';

export default function Accept() {
  const { next } = useRouteParams('privacyAccept');
  const session = useSession();
  const accept = useAction(api.privacy.accept);
  const [leaving, setLeaving] = useState(false);

  // Opened alone: WeChat/Alipay would offer 返回首页 around the question.
  useDidShow(() => platform.hideHomeButton());

  const agree = async () => {
    if (!session) {
      await openUrl(next);
      return;
    }
    const v = await accept.run({ body: acceptBody() });
    if (!v) return;
    markAccepted();
    void Taro.showToast({ title: '感谢您的信任', icon: 'success', duration: 1200 });
    await openUrl(next);
  };

  const decline = async () => {
    const { confirm } = await Taro.showModal(DECLINE_CONFIRMATION);
    if (!confirm) return;
    setLeaving(true);
    try {
      if (session) await call(api.auth.logout, { body: { refreshToken: session.refreshToken } });
    } catch {
      // The local session ends either way.
    }
    clearSession();
    setLeaving(false);
    await relaunch('home');
  };

  return (
    <View className='page pv-accept' id='pv-accept-page'>
      <Text className='title'>用户协议与隐私政策</Text>
      <View className='card'>
        <Text className='pv-doc__lead'>欢迎使用互联网医院。请您阅读并同意《用户协议》和《隐私政策》，我们才能为您提供挂号、缴费、报告查询等服务。要点如下：</Text>
        {ACCEPT_POINTS.map((p) => (
          <Text key={p} className='pv-list__item'>
            · {p}
          </Text>
        ))}
      </View>
      <View className='card'>
        <View className='pv-doclink' id='pv-accept-agreement' ariaRole='link' onClick={() => void navigate('privacyAgreement')}>
          <Text className='pv-doclink__title'>《{AGREEMENT.title}》</Text>
          <Text className='pv-doclink__version'>版本 {AGREEMENT.version} ›</Text>
        </View>
        <View className='pv-doclink' id='pv-accept-policy' ariaRole='link' onClick={() => void navigate('privacyPolicy')}>
          <Text className='pv-doclink__title'>《{PRIVACY_POLICY.title}》</Text>
          <Text className='pv-doclink__version'>版本 {PRIVACY_POLICY.version} ›</Text>
        </View>
      </View>
      {accept.error ? (
        <Text className='error-text' id='pv-accept-error'>
          {describeError(accept.error)}
        </Text>
      ) : null}
      <AgreeButton id='pv-accept-agree' busy={accept.loading} onTap={() => void agree()}>
        同意并继续
      </AgreeButton>
      <Btn id='pv-accept-decline' busy={leaving} onTap={() => void decline()}>
        不同意
      </Btn>
      <View className='pv-sos'>
        <Text className='muted'>无论是否同意，紧急求助都可以使用：</Text>
        <Btn kind='danger' id='pv-accept-sos' onTap={() => void navigate('emergency')}>
          紧急求助
        </Btn>
      </View>
    </View>
  );
}
