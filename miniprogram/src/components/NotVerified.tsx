import { Text } from '@tarojs/components';
import { VERIFICATION_METHOD_LABEL, VerificationMethod } from '@hospital/shared';
import { navigate } from '../navigation';
import type { ApiError } from '../services/client';
import { Btn } from './Btn';
import { StatusBlock } from './StatusBlock';
import './verification.css';

/**
 * A route that returns data filed under a person's ID number answers 403 `PERSON_NOT_VERIFIED`
 * (with `ways`) while the person is not verified on this account. Pages render this instead of
 * the generic error:
 *
 *   {isNotVerified(reports.error) ? <NotVerified patientId={id} name={name} ways={reports.error.ways} /> : <AsyncView …/>}
 */
export const isNotVerified = (e: Pick<ApiError, 'code'> | null | undefined): boolean => e?.code === 'PERSON_NOT_VERIFIED';

/** `人脸识别、短信验证码` from the error's ways; unknown ones are left out. */
export function waysText(ways: readonly string[] | undefined): string {
  return (ways ?? [])
    .filter((w): w is VerificationMethod => VerificationMethod.safeParse(w).success)
    .map((w) => VERIFICATION_METHOD_LABEL[w])
    .join('、');
}

export function NotVerified({ patientId, name, ways }: { patientId: string; name?: string; ways?: readonly string[] }) {
  const how = waysText(ways);
  return (
    <StatusBlock
      kind='idv-not-verified'
      icon='i'
      title={name ? `${name}尚未实名认证` : '该就诊人尚未实名认证'}
      message='为保护隐私，需确认您有权查看该就诊人的信息。实名认证后即可查看报告、账单等按身份证号归档的信息。'
    >
      {how ? <Text className='idv-nv__ways'>可通过：{how}</Text> : null}
      <Btn kind='primary' id='not-verified-go' onTap={() => void navigate('verifyPerson', { patientId })}>
        去实名认证
      </Btn>
    </StatusBlock>
  );
}
