/**
 * 实名认证 of one person on the account (`verifyPerson`, `patientId`): who they are and their
 * state, then one big button per way the server offers (`api.identity.status`): 人脸识别,
 * 短信验证码, 监护人认证 (a child under 14), 到窗口核验. One way at a time on screen; after success
 * a clear 已实名 card and the way back. Until verified, data filed under the ID number (reports,
 * bills, the health record) stays hidden from this account.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { Verification, VerificationStatusView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { StatusBlock } from '../../../../components/StatusBlock';
import { back, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { FaceFlow } from '../../components/FaceFlow';
import { GuardianFlow } from '../../components/GuardianFlow';
import { PersonCard, VerifiedCard, WayButtons } from '../../components/parts';
import { SmsFlow } from '../../components/SmsFlow';
import { WindowCode } from '../../components/WindowCode';
import { appStorage, pendingFace } from '../../logic/face';
import { wayOptions, type WayOption } from '../../logic/verify';
import '../../identity.css';

type Way = WayOption['method'];

function Verify({ patientId, bizToken }: { patientId: string; bizToken?: string }) {
  const status = useApi(api.identity.status, { params: { patientId } }, { refreshOnShow: true });
  const people = useApi(api.patients.list);
  const person = people.data?.items.find((p) => p.id === patientId);
  const name = person?.name ?? '该就诊人';
  /** Verified on this screen: shown at once, before the status is read again. */
  const [done, setDone] = useState<Verification | null>(null);
  // Back from FaceID (H5: BizToken in the URL; a kept session after a reload): straight to the face step.
  const [way, setWay] = useState<Way | null>(() => (bizToken || pendingFace(appStorage, patientId, Date.now()) ? 'face' : null));

  const onVerified = (v: Verification) => {
    setDone(v);
    setWay(null);
    status.retry();
    people.retry();
  };

  const flow = (s: VerificationStatusView, w: Way) => {
    switch (w) {
      case 'face':
        return <FaceFlow patientId={patientId} name={name} urlToken={bizToken} onVerified={onVerified} />;
      case 'sms':
        return <SmsFlow patientId={patientId} phoneMasked={s.smsPhoneMasked} onVerified={onVerified} />;
      case 'guardian':
        return <GuardianFlow patientId={patientId} childName={name} guardians={s.guardians ?? []} onVerified={onVerified} />;
      case 'in_person':
        return <WindowCode patientId={patientId} name={name} onVerified={onVerified} />;
      default:
        return null;
    }
  };

  return (
    <AsyncView state={status} loadingText='正在查询实名状态…'>
      {(s) => {
        const verification = done ?? s.verification;
        if (verification.state === 'verified') {
          return (
            <View>
              <PersonCard person={person} verification={verification} />
              <VerifiedCard name={name} verification={verification}>
                <Text className='idv-done__line'>现在可以查看{name}按身份证号归档的报告、账单等信息。</Text>
                <Btn kind='primary' id='idv-back' onTap={() => void back()}>
                  返回
                </Btn>
              </VerifiedCard>
            </View>
          );
        }
        const ways = wayOptions(s.ways);
        return (
          <View>
            <PersonCard person={person} verification={verification} />
            {way === null ? (
              <View>
                <Text className='idv-intro'>为保护隐私，查看{name}的报告、账单等按身份证号归档的信息前，需确认您有权查看。请选择一种认证方式：</Text>
                {ways.length ? (
                  <WayButtons ways={ways} onChoose={(w) => setWay(w.method)} />
                ) : (
                  <StatusBlock kind='idv-no-ways' icon='i' title='暂时无法在线认证' message='请携带身份证原件到医院窗口或南天门工作站办理。' />
                )}
              </View>
            ) : (
              <View>
                {flow(s, way)}
                {ways.length > 1 || !ways.some((w) => w.method === way) ? (
                  <Btn id='idv-other-way' onTap={() => setWay(null)}>
                    换一种方式
                  </Btn>
                ) : null}
              </View>
            )}
          </View>
        );
      }}
    </AsyncView>
  );
}

export default function VerifyPerson() {
  const { patientId, BizToken } = useRouteParams('verifyPerson');
  return (
    <View className='page idv-page'>
      {patientId ? (
        <RequireLogin reason='登录后为就诊人进行实名认证'>{(session) => <Verify key={`${session.user.id}:${patientId}`} patientId={patientId} bizToken={BizToken} />}</RequireLogin>
      ) : (
        <StatusBlock kind='async-error' icon='!' title='缺少就诊人' message='请从就诊人列表中选择要认证的人。'>
          <Btn onTap={() => void back()}>返回</Btn>
        </StatusBlock>
      )}
    </View>
  );
}
