import { useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { Verification } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { StatusBlock } from '../../../components/StatusBlock';
import { navigate } from '../../../navigation';
import { providerPage } from '../../../platform/web-page';
import { api } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import { appStorage, clearPendingFace, faceReturnPath, pendingFace, savePendingFace, tokenToConfirm, type PendingFace } from '../logic/face';
import { needsNewFace } from '../logic/verify';
import { StepError } from './parts';

/**
 * 人脸识别 (Tencent FaceID). `startFace` → the provider's page → `confirmFace` with the bizToken.
 * - H5: the page leaves for FaceID in the same window; FaceID sends the browser back to this
 *   page (`redirectUrl` = H5 origin + `/packages/identity/pages/verify/index?patientId=…`) with
 *   `BizToken=` in the query, which arrives here as `urlToken` and is confirmed at once.
 * - WeChat/Alipay: the provider's page opens in the `verifyFace` <web-view> page; when the person
 *   comes back (返回), `useDidShow` confirms the token kept in storage.
 * The server fetches the result itself (never trusts the phone) and verifies on a match.
 */
export function FaceFlow({ patientId, name, urlToken, onVerified }: { patientId: string; name: string; urlToken?: string; onVerified: (v: Verification) => void }) {
  const start = useAction(api.identity.startFace);
  const confirm = useAction(api.identity.confirmFace);
  const [pending, setPending] = useState<PendingFace | null>(() => pendingFace(appStorage, patientId, Date.now()));
  /** The web-view page was opened from here: confirm when this page shows again. */
  const awaiting = useRef(false);

  const check = async (bizToken: string) => {
    const p = await confirm.run({ params: { patientId }, body: { bizToken } });
    if (p) {
      clearPendingFace(appStorage);
      setPending(null);
      onVerified(p.verification);
    }
  };

  // A result that asking again will not change (failed, mismatch, expired, used): start afresh.
  useEffect(() => {
    if (confirm.error && needsNewFace(confirm.error)) {
      clearPendingFace(appStorage);
      setPending(null);
    }
  }, [confirm.error]);

  // H5: back from FaceID with the token in the URL — ask for the result once.
  const askedForUrlToken = useRef(false);
  useEffect(() => {
    if (askedForUrlToken.current || !urlToken) return;
    askedForUrlToken.current = true;
    const token = tokenToConfirm({ BizToken: urlToken }, pending);
    if (token) void check(token);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlToken]);

  // WeChat/Alipay: back from the web-view page.
  useDidShow(() => {
    if (!awaiting.current) return;
    awaiting.current = false;
    const p = pendingFace(appStorage, patientId, Date.now());
    if (p) void check(p.bizToken);
  });

  const open = (p: PendingFace) => {
    if (providerPage.mode === 'same-window') {
      providerPage.leaveFor(p.url);
      return;
    }
    awaiting.current = true;
    void navigate('verifyFace', { patientId });
  };

  const begin = async () => {
    confirm.reset();
    const redirectUrl = providerPage.returnUrl(faceReturnPath(patientId));
    const s = await start.run({ params: { patientId }, body: redirectUrl ? { redirectUrl } : {} });
    if (!s) return;
    const p: PendingFace = { patientId, bizToken: s.bizToken, url: s.url, expiresAt: s.expiresAt };
    savePendingFace(appStorage, p);
    setPending(p);
    open(p);
  };

  if (confirm.loading) return <StatusBlock kind='async-loading idv-face-checking' title='正在查询人脸识别结果…' />;

  return (
    <View className='card idv-flow' id='idv-face'>
      <Text className='idv-flow__title'>人脸识别</Text>
      <Text className='hint'>
        请由{name}本人完成：正对手机、光线充足，按提示操作。系统会把本人照片与公安部门的证件照片比对，并核对姓名和身份证号。
      </Text>
      <Text className='muted' id='idv-face-how'>
        {providerPage.mode === 'web-view' ? '完成后请点左上角“返回”回到本页，结果会自动查询。' : '将打开人脸核身页面，完成后会自动回到本页。'}
      </Text>
      <StepError id='idv-face-error' error={confirm.error ?? start.error} />
      {pending ? (
        <View>
          <Btn kind='primary' id='idv-face-check' onTap={() => void check(pending.bizToken)}>
            我已完成，查询结果
          </Btn>
          <Btn id='idv-face-continue' onTap={() => open(pending)}>
            继续人脸识别
          </Btn>
        </View>
      ) : null}
      <Btn kind={pending ? 'default' : 'primary'} id='idv-face-start' busy={start.loading} onTap={() => void begin()}>
        {pending || confirm.error ? '重新发起人脸识别' : '开始人脸识别'}
      </Btn>
    </View>
  );
}
