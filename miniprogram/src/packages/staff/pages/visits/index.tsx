import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { addDays, localDate, PRESCRIPTION_STATUS_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import { clock, kindText, statusText, usage, yuan } from '../../../../visits/text';
import { useEvery } from '../../../../visits/useEvery';
import '../../../../visits/visits.css';

/**
 * 药师审方 (pharmacists): the prescriptions of their hospitals waiting for review, exactly as the
 * server lists them — never another hospital's, never their own (the server leaves those out).
 */
function ReviewQueue() {
  const queue = useApi(api.visits.reviewQueue, undefined, { refreshOnShow: true });
  const review = useAction(api.visits.review);
  const decide = async (visitId: string, rxId: string, decision: 'approve' | 'reject') => {
    const done = await review.run({ params: { visitId, rxId }, body: decision === 'approve' ? { decision } : { decision, note: '请调整用药后重新开具' } });
    if (done) queue.retry();
  };
  return (
    <View>
      <Text className='subtitle'>药师审方 · 待审核处方</Text>
      {review.error ? <Text className='visit-field-error'>{review.error.message}</Text> : null}
      <AsyncView state={queue} isEmpty={(d) => d.items.length === 0} emptyText='没有待审核的处方'>
        {(d) =>
          d.items.map((rx) => (
            <View key={rx.id} className='card' id={`rx-${rx.id}`}>
              <Text className='visit-title'>
                {rx.patientName} · {rx.diagnosis}
              </Text>
              {rx.items.map((i) => (
                <Text key={i.drug} className='visit-line'>
                  {i.name} {i.strength} × {i.quantity}
                  {i.unit}（{usage(i)}）
                </Text>
              ))}
              <Text className='visit-line muted'>
                开方：{rx.authorName} · {PRESCRIPTION_STATUS_LABEL[rx.status]} · {yuan(rx.total)}
              </Text>
              <Btn kind='primary' busy={review.loading} onTap={() => void decide(rx.visitId, rx.id, 'approve')}>
                审核通过
              </Btn>
              <Btn busy={review.loading} onTap={() => void decide(rx.visitId, rx.id, 'reject')}>
                驳回
              </Btn>
            </View>
          ))
        }
      </AsyncView>
    </View>
  );
}

/** The page of a pharmacist who is not a doctor: the review queue only. */
function PharmacistOnly() {
  return (
    <View className='page staff-visits'>
      <ReviewQueue />
    </View>
  );
}

/** A doctor's visits of a day (booked video visits and consultations); a pharmacist's review queue. */
export default function StaffVisits() {
  const roles = useSession()?.user.roles ?? [];
  if (!roles.includes('doctor') && roles.includes('pharmacist')) return <PharmacistOnly />;
  return <DoctorVisits pharmacist={roles.includes('pharmacist')} />;
}

function DoctorVisits({ pharmacist }: { pharmacist: boolean }) {
  const params = useRouteParams('staffVisits');
  const today = localDate();
  const [date, setDate] = useState(params.date ?? today);
  const res = useApi(api.visits.staff, { query: { date } }, { refreshOnShow: true });
  useEvery(15_000, res.retry);
  return (
    <View className='page staff-visits'>
      <Btn kind='primary' id='staff-consult-new' onTap={() => navigate('staffConsult', {})}>
        发起远程会诊
      </Btn>
      <View className='visit-chips'>
        {[0, 1, 2].map((i) => {
          const d = addDays(today, i);
          return (
            <View key={d} className={`visit-chip ${d === date ? 'visit-chip--on' : ''}`} ariaRole='button' onClick={() => setDate(d)}>
              <Text>{i === 0 ? '今天' : i === 1 ? '明天' : d.slice(5)}</Text>
            </View>
          );
        })}
      </View>
      <AsyncView state={res} isEmpty={(d) => d.items.length === 0} emptyText='这一天没有视频问诊或会诊'>
        {(d) => (
          <View id='staff-visit-list'>
            {d.items.map((v) => (
              <View key={v.id} className='card' id={`staff-visit-${v.id}`} ariaRole='button' onClick={() => navigate('staffVisit', { id: v.id })}>
                <View className='visit-row'>
                  <Text className='visit-title'>
                    {clock(v.scheduledAt)} {v.patient.name}
                  </Text>
                  <Text className={`tag visit-status--${v.status}`}>{statusText(v)}</Text>
                </View>
                <Text className='visit-line'>
                  {kindText(v)} · {v.reason}
                </Text>
                <Text className='visit-line muted'>
                  参与：{v.participants.filter((p) => p.role !== 'patient').map((p) => p.name).join('、')}
                </Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
      {pharmacist ? <ReviewQueue /> : null}
    </View>
  );
}
