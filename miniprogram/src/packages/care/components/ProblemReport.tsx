import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { SIDE_EFFECT_LABEL, SideEffect } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { Check } from '../../../care/widgets';
import { describeError, type ApiError } from '../../../services/api';

/** 报告不适: the reactions of TB drugs as checkboxes and a note; any one alerts the doctor. */
export function ProblemReport({ busy, error, onSubmit, onCancel }: { busy: boolean; error: ApiError | null; onSubmit: (b: { sideEffects: SideEffect[]; note?: string }) => void; onCancel: () => void }) {
  const [picked, setPicked] = useState<SideEffect[]>([]);
  const [note, setNote] = useState('');
  return (
    <View className='care-card' id='problem-report'>
      <Text className='subtitle'>出现了哪些不适？</Text>
      {SideEffect.options.map((s) => (
        <Check key={s} id={`problem-${s}`} on={picked.includes(s)} onTap={() => setPicked((xs) => (xs.includes(s) ? xs.filter((x) => x !== s) : [...xs, s]))}>
          {SIDE_EFFECT_LABEL[s]}
        </Check>
      ))}
      <Textarea className='care-textarea' value={note} maxlength={300} placeholder='补充说明（可不填）' onInput={(e) => setNote(e.detail.value)} />
      {error ? <Text className='error-text'>{describeError(error)}</Text> : null}
      <Btn kind='danger' id='problem-submit' busy={busy} disabled={picked.length === 0} onTap={() => onSubmit({ sideEffects: picked, note: note.trim() || undefined })}>
        报告医生
      </Btn>
      <Btn onTap={onCancel}>取消</Btn>
      <Text className='muted'>出现皮肤眼睛发黄、视力下降等情况请暂停服药并尽快就医。</Text>
    </View>
  );
}
