import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { GUARDIAN_RELATIONSHIP_LABEL, GuardianRelationship, type Verification } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { StatusBlock } from '../../../components/StatusBlock';
import { api } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import { StepError } from './parts';

export interface GuardianChoice {
  patientId: string;
  name: string;
}

/**
 * 监护人认证 for a child under 14 (PIPL Art 31): a verified adult on this account, the
 * relationship, and the guardian's consent to processing the child's personal information.
 */
export function GuardianFlow({
  patientId,
  childName,
  guardians,
  onVerified,
}: {
  patientId: string;
  childName: string;
  guardians: readonly GuardianChoice[];
  onVerified: (v: Verification) => void;
}) {
  const [guardianId, setGuardianId] = useState(guardians.length === 1 ? guardians[0].patientId : '');
  const [relationship, setRelationship] = useState<GuardianRelationship | null>(null);
  const [consent, setConsent] = useState(false);
  const act = useAction(api.identity.guardian);
  const ready = !!guardianId && !!relationship && consent;

  if (guardians.length === 0) {
    return (
      <StatusBlock
        kind='idv-no-guardian'
        icon='i'
        title='本账户中还没有已实名的成年人'
        message={`请先为${childName}的父母或监护人本人完成实名认证（在就诊人中点“去实名”），再回来认证孩子；也可以到窗口核验。`}
      />
    );
  }

  const submit = async () => {
    if (!relationship) return;
    const p = await act.run({ params: { patientId }, body: { guardianPatientId: guardianId, relationship, consent: true } });
    if (p) onVerified(p.verification);
  };

  return (
    <View className='card idv-flow' id='idv-guardian'>
      <Text className='idv-flow__title'>监护人认证</Text>
      <Text className='hint'>{childName}未满14周岁，由本账户中已实名的父母或其他法定监护人认证。</Text>

      <Text className='idv-label'>监护人</Text>
      <View className='choices' ariaRole='radiogroup'>
        {guardians.map((g) => {
          const on = g.patientId === guardianId;
          return (
            <View
              key={g.patientId}
              id={`idv-guardian-${g.patientId}`}
              className={`choice ${on ? 'choice--selected' : ''}`}
              ariaRole='radio'
              ariaLabel={`${g.name}${on ? '，已选择' : ''}`}
              onClick={() => setGuardianId(g.patientId)}
            >
              <Text>{g.name}</Text>
            </View>
          );
        })}
      </View>
      {act.error?.fieldError('guardianPatientId') ? <Text className='error-text'>{act.error.fieldError('guardianPatientId')}</Text> : null}

      <Text className='idv-label'>与孩子的关系</Text>
      <View className='choices' ariaRole='radiogroup'>
        {GuardianRelationship.options.map((r) => {
          const on = r === relationship;
          return (
            <View
              key={r}
              id={`idv-relationship-${r}`}
              className={`choice ${on ? 'choice--selected' : ''}`}
              ariaRole='radio'
              ariaLabel={`${GUARDIAN_RELATIONSHIP_LABEL[r]}${on ? '，已选择' : ''}`}
              onClick={() => setRelationship(r)}
            >
              <Text>{GUARDIAN_RELATIONSHIP_LABEL[r]}</Text>
            </View>
          );
        })}
      </View>

      <View
        id='idv-guardian-consent'
        className={`idv-consent ${consent ? 'idv-consent--on' : ''}`}
        ariaRole='checkbox'
        ariaLabel={`${consent ? '已勾选' : '未勾选'}，我是${childName}的监护人，同意处理其个人信息`}
        onClick={() => setConsent((c) => !c)}
      >
        <View className='idv-consent__box'>
          <Text>{consent ? '✓' : ''}</Text>
        </View>
        <Text className='idv-consent__text'>我是{childName}的监护人，同意医院为提供诊疗服务处理其个人信息（含身份证号、健康医疗信息）。</Text>
      </View>
      <Text className='idv-law'>
        依据《个人信息保护法》第三十一条，处理不满十四周岁未成年人的个人信息，应当取得其父母或者其他监护人的同意。
      </Text>

      <StepError id='idv-guardian-error' error={act.error} />
      <Btn kind='primary' id='idv-guardian-submit' busy={act.loading} disabled={!ready} onTap={() => void submit()}>
        确认监护人认证
      </Btn>
      {!ready ? <Text className='muted'>请选择监护人和关系，并勾选同意。</Text> : null}
    </View>
  );
}
