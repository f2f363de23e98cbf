/**
 * 排班管理 (admin): choose a doctor of my organisation, see their sessions of the next 14 days
 * (places left, 签约居民优先号, fee), 停诊 a session with a reason (every booked patient is told and
 * paid fees are refunded), and 新增出诊 — checked here with the same `CreateScheduleRequest` the
 * server uses, its messages and the server's under the same inputs.
 */
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { DoctorView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { addDaysTo, dayLabel, hospitalDate, monthDay, weekday } from '../../../../booking/calendar';
import { feeText } from '../../../../booking/text';
import { useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import { useNow } from '../../../../services/usePolling';
import { LIST_DAYS, sessionsByDay, stopResultText } from '../../logic/schedules';
import { DoctorPicker, OrgPicker } from '../../components/DoctorPicker';
import { adminScope } from '../../../../services/authority';
import { NewSession } from '../../components/NewSession';
import { SessionItem, StopForm } from '../../components/SessionItem';
import '../../staff.css';

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
  // The organisations the user administers: one fixes the page to it, several are picked among.
  const scope = adminScope(session?.user);
  const fixedOrg = scope.fixed;
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
      {fixedOrg ? null : <OrgPicker orgId={orgId} only={scope.orgs} onPick={(id) => (setOrgId(id), setDoctorId(''))} />}
      {shownOrg ? <DoctorPicker orgId={shownOrg} doctorId={doctorId} onPick={(d) => setDoctorId(d.id)} /> : <Text className='muted'>请先选择机构。</Text>}
      {doctorId ? <DoctorSessions key={doctorId} doctorId={doctorId} onDoctor={(d) => setOrgId((o) => o || d.orgId)} /> : null}
    </View>
  );
}
