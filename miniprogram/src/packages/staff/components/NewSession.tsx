/** 排班管理: 新增出诊, checked with the shared `CreateScheduleRequest`; its and the server's messages under the inputs. */
import { useState } from 'react';
import { Input, Picker, Text, View } from '@tarojs/components';
import { SESSION_INFO, type DoctorView, type ScheduleView, type Session } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { addDaysTo, dayLabel, monthDay, sessionLine, weekday } from '../../../booking/calendar';
import { feeText } from '../../../booking/text';
import { api, describeError } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import { checkSchedule, createErrorText, emptyScheduleForm, LIST_DAYS, PLAN_DAYS, serverScheduleErrors, type ScheduleField, type ScheduleFieldErrors, type ScheduleForm } from '../logic/schedules';
import '../staff.css';
import { Chip } from './DoctorPicker';

const SESSIONS: Session[] = ['am', 'pm', 'evening'];

const FIELD_LABEL: Record<ScheduleField, string> = {
  doctorId: '医生',
  date: '出诊日期',
  session: '时段',
  capacity: '号源数',
  fee: '挂号费（元）',
  reserved: '签约居民优先号（可不填）',
  start: '开始时间',
  end: '结束时间',
};

/** 新增出诊: date (the 14-day strip or a date picker), period, places, fee, 优先号, own hours. */
export function NewSession({ doctor, today, existing, onCreated }: { doctor: DoctorView; today: string; existing: readonly ScheduleView[]; onCreated: () => void }) {
  const create = useAction(api.catalog.createSchedule);
  const [form, setForm] = useState<ScheduleForm>(() => emptyScheduleForm(doctor.id));
  const [errors, setErrors] = useState<ScheduleFieldErrors>({});
  const [created, setCreated] = useState<string>();
  const shown: ScheduleFieldErrors = { ...serverScheduleErrors(create.error), ...errors };
  const set = (f: ScheduleField, value: string) => {
    setForm((x) => ({ ...x, [f]: value }));
    setErrors((e) => ({ ...e, [f]: undefined, ...(f === 'capacity' ? { reserved: undefined } : {}), ...(f === 'start' ? { end: undefined } : {}) }));
    setCreated(undefined);
    if (create.error) create.reset();
  };
  const fieldError = (f: ScheduleField) =>
    shown[f] ? (
      <Text className='error-text' id={`sched-new-${f}-error`}>
        {shown[f]}
      </Text>
    ) : null;
  const label = (f: ScheduleField) => <Text className='held-form__label'>{FIELD_LABEL[f]}</Text>;
  const used = (date: string) => existing.filter((s) => s.date === date).map((s) => SESSION_INFO[s.session].label);
  const strip = Array.from({ length: LIST_DAYS }, (_, i) => addDaysTo(today, i));
  const period = form.session ? SESSION_INFO[form.session] : undefined;

  const submit = async () => {
    const checked = checkSchedule(form, today);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const r = await create.run({ body: checked.value });
    if (r) {
      setCreated(`已新增：${sessionLine(r)}，号源 ${r.capacity} 个${r.reservedLeft ? `（含签约居民优先号 ${r.reservedLeft} 个）` : ''}，挂号费 ${feeText(r.fee)}`);
      setForm((x) => ({ ...emptyScheduleForm(doctor.id), capacity: x.capacity, fee: x.fee }));
      onCreated();
    }
  };
  const otherError = createErrorText(create.error, describeError);

  /** A typed number with its label, hint and message (号源数, 挂号费, 优先号). */
  const numberField = (f: 'capacity' | 'fee' | 'reserved', type: 'number' | 'digit', maxlength: number, placeholder: string, hint?: string) => (
    <>
      {label(f)}
      <Input
        id={`sched-new-${f}`}
        className={`held-form__input${shown[f] ? ' held-form__input--invalid' : ''}`}
        type={type}
        maxlength={maxlength}
        value={form[f]}
        placeholder={placeholder}
        onInput={(e) => set(f, e.detail.value)}
      />
      {hint ? <Text className='muted sched-hint'>{hint}</Text> : null}
      {fieldError(f)}
    </>
  );

  return (
    <View className='card sched-form' id='sched-form'>
      {fieldError('doctorId')}
      {label('date')}
      <View className='chips' id='sched-new-date-strip'>
        {strip.map((date) => {
          const u = used(date);
          return (
            <Chip
              key={date}
              id={`sched-new-date-${date}`}
              selected={form.date === date}
              label={`${dayLabel(date, today)} ${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`}
              sub={u.length ? `已排${u.join('、')}` : '未排班'}
              onTap={() => set('date', date)}
            />
          );
        })}
      </View>
      <Picker mode='date' value={form.date || today} start={today} end={addDaysTo(today, PLAN_DAYS)} onChange={(e) => set('date', String(e.detail.value))}>
        <View className={`held-form__input sched-picker${shown.date ? ' held-form__input--invalid' : ''}`} id='sched-new-date' ariaRole='button'>
          <Text>{form.date ? `${monthDay(form.date)} ${weekday(form.date)}` : `其他日期（${PLAN_DAYS}天内）›`}</Text>
        </View>
      </Picker>
      {fieldError('date')}

      {label('session')}
      <View className='chips' id='sched-new-session'>
        {SESSIONS.map((s) => (
          <Chip
            key={s}
            id={`sched-new-session-${s}`}
            selected={form.session === s}
            label={SESSION_INFO[s].label}
            sub={form.date && used(form.date).includes(SESSION_INFO[s].label) ? '已有排班' : `${SESSION_INFO[s].start}-${SESSION_INFO[s].end}`}
            onTap={() => set('session', s)}
          />
        ))}
      </View>
      {fieldError('session')}

      {numberField('capacity', 'number', 3, '本时段可预约人数，如 20')}
      {numberField('fee', 'digit', 9, `不填按医生挂号费 ${feeText(doctor.fee)}`, '填 0 为免费（如义诊）')}
      {numberField('reserved', 'number', 3, '留给家庭医生签约居民的号数', '从号源数中预留；出诊前一天 17:00 未约满的优先号开放给所有人')}

      <Text className='held-form__label'>出诊时间（可不填，按时段默认{period ? ` ${period.start}-${period.end}` : ''}）</Text>
      <View className='sched-hours'>
        <Picker mode='time' value={form.start || period?.start || '08:00'} onChange={(e) => set('start', String(e.detail.value))}>
          <View className={`held-form__input sched-picker${shown.start ? ' held-form__input--invalid' : ''}`} id='sched-new-start' ariaRole='button'>
            <Text>{form.start ? `开始 ${form.start}` : '开始时间'}</Text>
          </View>
        </Picker>
        <Picker mode='time' value={form.end || period?.end || '12:00'} onChange={(e) => set('end', String(e.detail.value))}>
          <View className={`held-form__input sched-picker${shown.end ? ' held-form__input--invalid' : ''}`} id='sched-new-end' ariaRole='button'>
            <Text>{form.end ? `结束 ${form.end}` : '结束时间'}</Text>
          </View>
        </Picker>
      </View>
      {fieldError('start')}
      {fieldError('end')}
      {form.start || form.end ? (
        <Btn id='sched-new-hours-clear' onTap={() => (set('start', ''), set('end', ''))}>
          恢复默认时间
        </Btn>
      ) : null}

      {otherError ? (
        <View className='error-text sched-form__error' id='sched-new-error' ariaRole='alert'>
          <Text>{otherError}</Text>
        </View>
      ) : null}
      {created ? (
        <View className='sched-result' id='sched-created' ariaRole='alert'>
          <Text>{created}</Text>
        </View>
      ) : null}
      <Btn kind='primary' id='sched-create' busy={create.loading} onTap={() => void submit()}>
        新增出诊
      </Btn>
    </View>
  );
}
