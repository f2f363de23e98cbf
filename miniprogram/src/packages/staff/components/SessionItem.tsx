/** 排班管理: one session's card, and the 停诊 form with its reason. */
import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { type ScheduleView } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { sessionLine } from '../../../booking/calendar';
import { checkStopReason, sessionRow, stopConfirmText } from '../logic/schedules';
import '../staff.css';
import { Chip } from './DoctorPicker';

/** Tapped to fill the reason: the usual ones, typed in full by older staff otherwise. */
const STOP_REASONS = ['医生临时外出会诊', '医生因病请假', '设备故障'];

interface StopFormProps {
  s: ScheduleView;
  busy: boolean;
  serverError?: string;
  onCancel: () => void;
  onStop: (reason: string) => void;
}

/** The reason (required), then a confirmation, then the 停诊. */
export function StopForm({ s, busy, serverError, onCancel, onStop }: StopFormProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    const checked = checkStopReason(reason);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    const { confirm } = await Taro.showModal({
      title: '确认停诊',
      content: stopConfirmText(s, sessionLine(s), checked.reason),
      confirmText: '确认停诊',
      confirmColor: '#b71c1c',
      cancelText: '再想想',
    });
    if (confirm) onStop(checked.reason);
  };
  const shown = error ?? serverError;
  return (
    <View className='sched-stop-form' id={`sched-stop-form-${s.id}`}>
      <Text className='held-form__label'>停诊原因（必填，会告知已预约的患者）</Text>
      <View className='chips'>
        {STOP_REASONS.map((r) => (
          <Chip key={r} id={`sched-stop-reason-${STOP_REASONS.indexOf(r)}`} selected={reason === r} label={r} onTap={() => (setReason(r), setError(undefined))} />
        ))}
      </View>
      <Input
        id='sched-stop-reason'
        className={`held-form__input${shown ? ' held-form__input--invalid' : ''}`}
        value={reason}
        maxlength={100}
        placeholder='或在此填写原因'
        onInput={(e) => (setReason(e.detail.value), setError(undefined))}
      />
      {shown ? (
        <Text className='error-text' id='sched-stop-reason-error'>
          {shown}
        </Text>
      ) : null}
      <Btn kind='danger' id='sched-stop-confirm' busy={busy} onTap={() => void submit()}>
        确认停诊
      </Btn>
      <Btn id='sched-stop-cancel' disabled={busy} onTap={onCancel}>
        不停诊了
      </Btn>
    </View>
  );
}

export function SessionItem({ s, now, today, children, onStop, result }: { s: ScheduleView; now: number; today: string; children?: ReactNode; onStop?: () => void; result?: string }) {
  const row = sessionRow(s, now, today);
  return (
    <View className={`card sched-item sched-item--${row.stateKind}`} id={`sched-${s.id}`}>
      <View className='sched-item__head'>
        <Text className='sched-item__time'>{row.time}</Text>
        <Text className={`sched-item__state sched-item__state--${row.stateKind}`}>{row.state}</Text>
      </View>
      <Text className='sched-item__line'>
        {row.places}　挂号费 {row.fee}
      </Text>
      {row.reserved ? <Text className='sched-item__line sched-item__reserved'>{row.reserved}</Text> : null}
      {s.mode === 'video' ? <Text className='sched-item__line'>视频问诊</Text> : null}
      {row.note ? <Text className='sched-item__line sched-item__note'>{row.note}</Text> : null}
      {result ? (
        <View className='sched-result' id='sched-stop-result' ariaRole='alert'>
          <Text>{result}</Text>
        </View>
      ) : null}
      {row.canStop && onStop && !children ? (
        <Btn id={`sched-stop-${s.id}`} className='sched-stop-btn' onTap={onStop}>
          停诊
        </Btn>
      ) : null}
      {children}
    </View>
  );
}
