/** Small pieces the 实名认证 pages share: the person card, the way buttons, the done card, a refusal line. */
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { RELATION_LABEL, type PatientView, type Verification } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { VerificationBadge } from '../../../components/PersonVerification';
import { describeError, type ApiError } from '../../../services/client';
import { refusalText, verificationText, type WayOption } from '../logic/verify';

/** Who is being verified and where they stand. */
export function PersonCard({ person, verification }: { person?: Pick<PatientView, 'name' | 'relation' | 'idNumberMasked'>; verification: Verification }) {
  const on = verification.state === 'verified';
  return (
    <View className='card idv-person' id='idv-person'>
      <View className='idv-person__head'>
        <Text className='idv-person__name' id='idv-person-name'>
          {person?.name ?? '就诊人'}
        </Text>
        <VerificationBadge verification={verification} />
      </View>
      {person ? (
        <Text className='idv-person__line'>
          {RELATION_LABEL[person.relation]} · 身份证 {person.idNumberMasked}
        </Text>
      ) : null}
      <Text className={`idv-state ${on ? 'idv-state--on' : 'idv-state--off'}`} id='idv-state' data-state={verification.state}>
        {verificationText(verification)}
      </Text>
    </View>
  );
}

/** One big button per way, its title and what it needs. */
export function WayButtons({ ways, onChoose }: { ways: readonly WayOption[]; onChoose: (w: WayOption) => void }) {
  return (
    <View id='idv-ways'>
      {ways.map((w) => (
        <View
          key={w.method}
          id={`idv-way-${w.method}`}
          className='idv-way'
          hoverClass='btn--pressed'
          ariaRole='button'
          ariaLabel={`${w.title}，${w.hint}`}
          onClick={() => onChoose(w)}
        >
          <Text className='idv-way__title'>{w.title} ›</Text>
          <Text className='idv-way__hint'>{w.hint}</Text>
        </View>
      ))}
    </View>
  );
}

/** The green card after a verification, and the way back. */
export function VerifiedCard({ name, verification, children }: { name: string; verification: Verification; children?: ReactNode }) {
  return (
    <View className='idv-done' id='idv-verified' ariaRole='alert'>
      <View className='idv-done__mark'>
        <Text>✓</Text>
      </View>
      <Text className='idv-done__title'>{name} 已实名</Text>
      <Text className='idv-done__line'>{verificationText(verification)}</Text>
      {children ? <View className='idv-done__actions'>{children}</View> : null}
    </View>
  );
}

/** A step's refusal, in the server's words when it has them. */
export function StepError({ error, id, onRetry }: { error: ApiError | null; id?: string; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <View id={id} className='idv-error' ariaRole='alert'>
      <Text>{refusalText(error) ?? describeError(error)}</Text>
      {onRetry && (error.offline || error.kind === 'network') ? (
        <Btn className='idv-error__retry' onTap={onRetry}>
          重试
        </Btn>
      ) : null}
    </View>
  );
}
