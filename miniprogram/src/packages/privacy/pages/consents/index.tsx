/**
 * 授权管理: the three separate consents for sensitive personal information (PIPL Art 29), each a
 * switch; turning one off asks first (Art 15: withdrawing is as easy as giving). Under them, the
 * phone's own permissions (location, camera, album) and the way to the host's settings.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ConsentPurpose, PrivacyView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { platform } from '../../../../platform';
import { api, call, describeError } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { changedToast, consentRows, grantedLabel, revokeConfirmation, type ConsentRow } from '../../logic/consents';
import { PERMISSIONS_TEXT } from '../../logic/permissions';
import '../../privacy.css';

function ConsentCard({ row, busy, onToggle }: { row: ConsentRow; busy: boolean; onToggle: () => void }) {
  return (
    <View className='card pv-consent' id={`pv-consent-${row.purpose}`} data-granted={row.granted ? 'yes' : 'no'}>
      <View className='pv-consent__head'>
        <View>
          <Text className='pv-consent__title'>{row.title}</Text>
          <Text className='pv-consent__state' id={`pv-consent-state-${row.purpose}`}>
            {grantedLabel(row.granted)}
          </Text>
        </View>
        <View
          id={`pv-switch-${row.purpose}`}
          className={`pv-switch ${row.granted ? 'pv-switch--on' : ''} ${busy ? 'pv-switch--busy' : ''}`}
          ariaRole='switch'
          ariaLabel={`${row.title}，${grantedLabel(row.granted)}，点按${row.granted ? '关闭' : '开启'}`}
          onClick={busy ? undefined : onToggle}
        >
          {row.granted ? <Text className='pv-switch__label'>开</Text> : null}
          <View className='pv-switch__knob' />
          {row.granted ? null : <Text className='pv-switch__label'>关</Text>}
        </View>
      </View>
      <Text className='pv-consent__line'>用于：{row.why}。</Text>
      <Text className='pv-consent__line muted'>{row.without}。</Text>
    </View>
  );
}

function Consents() {
  const privacy = useApi(api.privacy.get);
  // The server's answer to the last change wins over the first read.
  const [latest, setLatest] = useState<PrivacyView | undefined>();
  const [busy, setBusy] = useState<ConsentPurpose | null>(null);
  const [error, setError] = useState<string | null>(null);
  const view = latest ?? privacy.data;

  const toggle = async (row: ConsentRow) => {
    const granted = !row.granted;
    if (!granted) {
      const { confirm } = await Taro.showModal(revokeConfirmation(row.purpose));
      if (!confirm) return;
    }
    setBusy(row.purpose);
    setError(null);
    try {
      setLatest(await call(api.privacy.consent, { params: { purpose: row.purpose }, body: { granted } }));
      void Taro.showToast({ title: changedToast(row.purpose, granted), icon: 'none' });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };

  const settings = async () => {
    const r = await platform.openPermissionSettings();
    if (r === 'unsupported') await Taro.showModal({ title: '修改手机权限', content: PERMISSIONS_TEXT.unsupported, showCancel: false, confirmText: '知道了' });
  };

  return (
    <View>
      <View className='hint'>
        <Text>以下信息属于敏感个人信息，我们只在您同意后处理（《个人信息保护法》第二十九条）。您可以随时关闭，关闭不影响之前已进行的处理。</Text>
      </View>
      <AsyncView state={{ ...privacy, data: view }}>
        {(v) => (
          <View id='pv-consents'>
            {consentRows(v).map((row) => (
              <ConsentCard key={row.purpose} row={row} busy={busy === row.purpose} onToggle={() => void toggle(row)} />
            ))}
          </View>
        )}
      </AsyncView>
      {error ? (
        <Text className='error-text' id='pv-consent-error'>
          {error}
        </Text>
      ) : null}
      <View className='hint'>
        <Text>紧急求助不受这些设置影响：求助时我们仍会把您的位置发送给120，以便救援（《个人信息保护法》第十三条）。</Text>
      </View>

      <View className='card' id='pv-permissions'>
        <Text className='subtitle'>手机权限（定位、相机、相册）</Text>
        <Text className='pv-consent__line'>{platform.canOpenPermissionSettings ? PERMISSIONS_TEXT.mini : PERMISSIONS_TEXT.unsupported}</Text>
        {platform.canOpenPermissionSettings ? (
          <Btn id='pv-open-settings' onTap={() => void settings()}>
            打开系统权限设置
          </Btn>
        ) : null}
      </View>
    </View>
  );
}

export default function ConsentsPage() {
  return (
    <View className='page pv-consents-page'>
      <Text className='title'>授权管理</Text>
      <RequireLogin reason='登录后可管理您的授权'>{() => <Consents />}</RequireLogin>
    </View>
  );
}
