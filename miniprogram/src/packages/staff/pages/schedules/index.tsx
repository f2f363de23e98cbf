/**
 * 排班管理 (admin): choose a doctor of my organisation, see their sessions of the next 14 days
 * (places left, 签约居民优先号, fee), 停诊 a session with a reason (every booked patient is told and
 * paid fees are refunded), and 新增出诊 — checked here with the same `CreateScheduleRequest` the
 * server uses, its messages and the server's under the same inputs.
 */
import { useEffect, useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Input, Picker, Text, View } from '@tarojs/components';
import { SESSION_INFO, type DepartmentView, type DoctorView, type ScheduleView, type Session } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { addDaysTo, dayLabel, hospitalDate, monthDay, sessionLine, weekday } from '../../../../booking/calendar';
import { feeText } from '../../../../booking/text';
import { useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import { useNow } from '../../../../services/usePolling';
import {
  checkSchedule,
  checkStopReason,
  createErrorText,
  emptyScheduleForm,
  LIST_DAYS,
  PLAN_DAYS,
  serverScheduleErrors,
  sessionRow,
  sessionsByDay,
  stopConfirmText,
  stopResultText,
  type ScheduleField,
  type ScheduleFieldErrors,
  type ScheduleForm,
} from '../../logic/schedules';
import '../../staff.css';

const SESSIONS: Session[] = ['am', 'pm', 'evening'];
/** Tapped to fill the reason: the usual ones, typed in full by older staff otherwise. */
const STOP_REASONS = ['医生临时外出会诊', '医生因病请假', '设备故障'];

function Chip({ id, selected, label, sub, onTap }: { id: string; selected: boolean; label: string; sub?: string; onTap: () => void }) {
  return (
    <View id={id} className={`chip ${selected ? 'chip--selected' : ''}`} hoverClass='btn--pressed' ariaRole='radio' ariaLabel={sub ? `${label} ${sub}` : label} onClick={onTap}>
      <Text>{label}</Text>
      {sub ? <Text className='chip__sub'>{sub}</Text> : null}
    </View>
  );
}

/** One department's doctors as chips (each department reads its own list). */
function DeptDoctors({ dept, doctorId, onPick }: { dept: DepartmentView; doctorId: string; onPick: (d: DoctorView) => void }) {
  const doctors = useApi(api.catalog.doctors, { params: { deptId: dept.id } });
  return (
    <View className='sched-dept'>
      <Text className='sched-dept__name'>{dept.name}</Text>
      <AsyncView state={doctors} isEmpty={(d) => d.items.length === 0} emptyText='本科室没有医生' loadingText='正在加载医生…'>
        {(d) => (
          <View className='chips'>
            {d.items.map((doc) => (
              <Chip key={doc.id} id={`sched-doctor-${doc.id}`} selected={doc.id === doctorId} label={doc.name} sub={doc.title} onTap={() => onPick(doc)} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

function DoctorPicker({ orgId, doctorId, onPick }: { orgId: string; doctorId: string; onPick: (d: DoctorView) => void }) {
  const departments = useApi(api.catalog.departments, { params: { orgId } });
  return (
    <AsyncView state={departments} isEmpty={(d) => d.items.length === 0} emptyText='本机构还没有科室'>
      {(d) => (
        <View id='sched-doctors'>
          {d.items.map((dept) => (
            <DeptDoctors key={dept.id} dept={dept} doctorId={doctorId} onPick={onPick} />
          ))}
        </View>
      )}
    </AsyncView>
  );
}

function OrgPicker({ orgId, onPick }: { orgId: string; onPick: (id: string) => void }) {
  const orgs = useApi(api.catalog.orgs);
  return (
    <AsyncView state={orgs} isEmpty={(d) => d.items.length === 0} emptyText='没有可选的机构'>
      {(d) => (
        <View className='chips' id='sched-orgs'>
          {d.items.map((o) => (
            <Chip key={o.id} id={`sched-org-${o.id}`} selected={o.id === orgId} label={o.name} onTap={() => onPick(o.id)} />
          ))}
        </View>
      )}
    </AsyncView>
  );
}

interface StopFormProps {
  s: ScheduleView;
  busy: boolean;
  serverError?: string;
  onCancel: () => void;
  onStop: (reason: string) => void;
}

/** The reason (required), then a confirmation, then the 停诊. */
function StopForm({ s, busy, serverError, onCancel, onStop }: StopFormProps) {
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

function SessionItem({ s, now, today, children, onStop, result }: { s: ScheduleView; now: number; today: string; children?: ReactNode; onStop?: () => void; result?: string }) {
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
function NewSession({ doctor, today, existing, onCreated }: { doctor: DoctorView; today: string; existing: readonly ScheduleView[]; onCreated: () => void }) {
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

      {label('capacity')}
      <Input
        id='sched-new-capacity'
        className={`held-form__input${shown.capacity ? ' held-form__input--invalid' : ''}`}
        type='number'
        maxlength={3}
        value={form.capacity}
        placeholder='本时段可预约人数，如 20'
        onInput={(e) => set('capacity', e.detail.value)}
      />
      {fieldError('capacity')}

      {label('fee')}
      <Input
        id='sched-new-fee'
        className={`held-form__input${shown.fee ? ' held-form__input--invalid' : ''}`}
        type='digit'
        maxlength={9}
        value={form.fee}
        placeholder={`不填按医生挂号费 ${feeText(doctor.fee)}`}
        onInput={(e) => set('fee', e.detail.value)}
      />
      <Text className='muted sched-hint'>填 0 为免费（如义诊）</Text>
      {fieldError('fee')}

      {label('reserved')}
      <Input
        id='sched-new-reserved'
        className={`held-form__input${shown.reserved ? ' held-form__input--invalid' : ''}`}
        type='number'
        maxlength={3}
        value={form.reserved}
        placeholder='留给家庭医生签约居民的号数'
        onInput={(e) => set('reserved', e.detail.value)}
      />
      <Text className='muted sched-hint'>从号源数中预留；出诊前一天 17:00 未约满的优先号开放给所有人</Text>
      {fieldError('reserved')}

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

/** The chosen doctor's sessions (next 14 days) with 停诊, then 新增出诊. */
function DoctorSessions({ doctorId, onDoctor }: { doctorId: string; onDoctor: (d: DoctorView) => void }) {
  const now = useNow(60_000);
  const today = hospitalDate(now);
  const sessions = useApi(
    api.catalog.schedules,
    { params: { doctorId }, query: { from: today, to: addDaysTo(today, LIST_DAYS - 1) } },
    { refreshOnShow: true },
  );
  const loadedDoctor = sessions.data?.doctor;
  // Opened with a doctorId: show that doctor's organisation in the picker too.
  useEffect(() => {
    if (loadedDoctor) onDoctor(loadedDoctor);
  }, [loadedDoctor?.id]);
  const stop = useAction(api.catalog.stopSession);
  const [stopping, setStopping] = useState<string>();
  const [stopped, setStopped] = useState<{ scheduleId: string; text: string }>();

  const doStop = async (scheduleId: string, reason: string) => {
    const r = await stop.run({ params: { scheduleId }, body: { reason } });
    if (r) {
      setStopping(undefined);
      setStopped({ scheduleId, text: stopResultText(r) });
      sessions.retry();
    }
  };

  return (
    <View>
      <Text className='subtitle'>近{LIST_DAYS}天出诊</Text>
      <AsyncView state={sessions} isEmpty={(d) => d.items.length === 0} emptyText='该医生近期没有出诊'>
        {({ doctor, items }) => (
          <View id='sched-list'>
            <Text className='muted'>
              {doctor.name} {doctor.title} · 默认挂号费 {feeText(doctor.fee)}
            </Text>
            <Btn kind='primary' id='sched-jump-new' onTap={() => void Taro.pageScrollTo({ selector: '#sched-form', duration: 200 }).catch(() => undefined)}>
              新增出诊 ↓
            </Btn>
            {sessionsByDay(items, today).map((day) => (
              <View key={day.date} className='sched-day'>
                <Text className='sched-day__title'>
                  {monthDay(day.date)} {weekday(day.date)}
                  {dayLabel(day.date, today).startsWith('周') ? '' : `（${dayLabel(day.date, today)}）`}
                </Text>
                {day.items.map((s) => (
                  <SessionItem
                    key={s.id}
                    s={s}
                    now={now}
                    today={today}
                    result={stopped?.scheduleId === s.id ? stopped.text : undefined}
                    onStop={() => (stop.reset(), setStopping(s.id))}
                  >
                    {stopping === s.id ? (
                      <StopForm
                        s={s}
                        busy={stop.loading}
                        serverError={stop.error ? describeError(stop.error) : undefined}
                        onCancel={() => (stop.reset(), setStopping(undefined))}
                        onStop={(reason) => void doStop(s.id, reason)}
                      />
                    ) : undefined}
                  </SessionItem>
                ))}
              </View>
            ))}
          </View>
        )}
      </AsyncView>
      {sessions.data ? (
        <>
          <Text className='subtitle'>新增出诊</Text>
          <NewSession key={doctorId} doctor={sessions.data.doctor} today={today} existing={sessions.data.items} onCreated={sessions.retry} />
        </>
      ) : null}
    </View>
  );
}

export default function StaffSchedules() {
  const params = useRouteParams('staffSchedules');
  const session = useSession();
  const fixedOrg = session?.user.orgId;
  const [orgId, setOrgId] = useState(fixedOrg ?? '');
  const [doctorId, setDoctorId] = useState(params.doctorId ?? '');

  if (session && !session.user.roles.includes('admin')) {
    return (
      <View className='page staff-schedules'>
        <StatusBlock kind='async-error' icon='!' title='仅管理员可以管理排班' message='如需调整出诊，请联系本机构的排班管理员。' />
      </View>
    );
  }

  const shownOrg = fixedOrg ?? orgId;
  return (
    <View className='page staff-schedules'>
      <Text className='title'>排班管理</Text>
      <Text className='muted'>选择医生，查看近{LIST_DAYS}天的出诊；可新增出诊，或在医生不能出诊时停诊（已预约的患者会收到通知，已付挂号费原路退回）。</Text>
      <Text className='subtitle'>选择医生</Text>
      {/* An admin of one organisation manages its doctors only. */}
      {fixedOrg ? null : <OrgPicker orgId={orgId} onPick={(id) => (setOrgId(id), setDoctorId(''))} />}
      {shownOrg ? <DoctorPicker orgId={shownOrg} doctorId={doctorId} onPick={(d) => setDoctorId(d.id)} /> : <Text className='muted'>请先选择机构。</Text>}
      {doctorId ? <DoctorSessions key={doctorId} doctorId={doctorId} onDoctor={(d) => setOrgId((o) => o || d.orgId)} /> : null}
    </View>
  );
}
