import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { SIDE_EFFECT_LABEL, SideEffect } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { Check } from '../../../care/widgets';
import { api, describeError } from '../../../services/api';
import { useAction } from '../../../services/useApi';

/** Who reports: the patient about themself, or their supervisor. */
const ROUTES = { patient: api.medication.selfProblem, supervisor: api.medication.problem } as const;

/**
 * 报告不适: a button that opens the reactions of TB drugs as checkboxes and a note; any one
 * alerts the doctor.
 */
export function ProblemReport({ planId, by, buttonId, label }: { planId: string; by: keyof typeof ROUTES; buttonId: string; label: string }) {
  const problem = useAction(ROUTES[by]);
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<SideEffect[]>([]);
  const [note, setNote] = useState('');
  if (!open) {
    return (
      <Btn kind='danger' id={buttonId} onTap={() => setOpen(true)}>
        {label}
      </Btn>
    );
  }
  const submit = async () => {
    if (await problem.run({ params: { planId }, body: { sideEffects: picked, note: note.trim() || undefined } })) {
      setOpen(false);
      setPicked([]);
      setNote('');
      await Taro.showToast({ title: '已通知医生', icon: 'success' });
    }
  };
  return (
    <View className='care-card' id='problem-report'>
      <Text className='subtitle'>出现了哪些不适？</Text>
      {SideEffect.options.map((s) => (
        <Check key={s} id={`problem-${s}`} on={picked.includes(s)} onTap={() => setPicked((xs) => (xs.includes(s) ? xs.filter((x) => x !== s) : [...xs, s]))}>
          {SIDE_EFFECT_LABEL[s]}
        </Check>
      ))}
      <Textarea className='care-textarea' value={note} maxlength={300} placeholder='补充说明（可不填）' onInput={(e) => setNote(e.detail.value)} />
      {problem.error ? <Text className='error-text'>{describeError(problem.error)}</Text> : null}
      <Btn kind='danger' id='problem-submit' busy={problem.loading} disabled={picked.length === 0} onTap={submit}>
        报告医生
      </Btn>
      <Btn onTap={() => setOpen(false)}>取消</Btn>
      <Text className='muted'>出现皮肤眼睛发黄、视力下降等情况请暂停服药并尽快就医。</Text>
    </View>
  );
}
