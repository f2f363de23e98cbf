import { Text, View } from '@tarojs/components';
import type { Verification } from '@hospital/shared';
import { navigate } from '../navigation';
import { Btn } from './Btn';
import './verification.css';

/** What the people lists need of a person to show their 实名认证 state (a `PatientView` has it). */
export interface VerifiablePerson {
  id: string;
  name: string;
  verification?: Verification;
}

export const UNVERIFIED_NOTE = '未实名：报告、账单等按身份证号归档的信息暂不显示';

const isVerified = (v: Verification | undefined) => v?.state === 'verified';

/** 已实名 / 未实名, in words (and a tick), never by colour alone. */
export function VerificationBadge({ verification }: { verification?: Verification }) {
  const on = isVerified(verification);
  return <Text className={`idv-badge ${on ? 'idv-badge--on' : 'idv-badge--off'}`}>{on ? '✓ 已实名' : '未实名'}</Text>;
}

/**
 * Every person's state above a people list: verified people as a line of names with 已实名;
 * each unverified one with what stays hidden and a 去实名 button to `verifyPerson`.
 * Nothing is shown for lists whose items carry no verification.
 */
export function PeopleVerification({ items }: { items: readonly VerifiablePerson[] }) {
  const known = items.filter((p) => p.verification);
  if (known.length === 0) return null;
  const verified = known.filter((p) => isVerified(p.verification));
  const unverified = known.filter((p) => !isVerified(p.verification));
  return (
    <View className='idv-people' id='people-verification'>
      {verified.length ? (
        <View className='idv-people__verified'>
          {verified.map((p) => (
            <View key={p.id} id={`idv-person-${p.id}`} className='idv-people__chip idv-person--verified'>
              <Text>{p.name}</Text>
              <VerificationBadge verification={p.verification} />
            </View>
          ))}
        </View>
      ) : null}
      {unverified.map((p) => (
        <View key={p.id} id={`idv-person-${p.id}`} className='idv-people__row idv-person--unverified'>
          <View className='idv-people__head'>
            <Text className='idv-people__name'>{p.name}</Text>
            <VerificationBadge verification={p.verification} />
          </View>
          <Text className='idv-people__note'>{UNVERIFIED_NOTE}</Text>
          <Btn kind='primary' id={`idv-go-${p.id}`} label={`为${p.name}去实名认证`} onTap={() => void navigate('verifyPerson', { patientId: p.id })}>
            去实名
          </Btn>
        </View>
      ))}
    </View>
  );
}
