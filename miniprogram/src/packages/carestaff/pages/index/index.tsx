import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { RequireLogin } from '../../../../components/RequireLogin';
import { useCareLive } from '../../../../care/live';
import '../../../../care/care.css';
import { navigate } from '../../../../navigation';
import type { RouteName } from '../../../../routes';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';

function Entry({ id, route, title, hint, count }: { id: string; route: RouteName; title: string; hint: string; count?: number }) {
  return (
    <View className='care-menu' id={id} hoverClass='btn--pressed' ariaRole='button' ariaLabel={title} onClick={() => navigate(route as 'careStaffThreads')}>
      <View className='care-menu__text'>
        <Text className='care-menu__title'>
          {title}
          {count ? <Text className='care-count'>{count}</Text> : null}
        </Text>
        <Text className='muted'>{hint}</Text>
      </View>
      <Text className='care-go'>›</Text>
    </View>
  );
}

/** The family-doctor team's workbench: what waits for the team, with counts that update live. */
export default function CareStaff() {
  return (
    <RequireLogin reason='请使用医护账号登录'>
      {(s) => {
        const roles = s.user.roles;
        const team = roles.includes('doctor') || roles.includes('nurse');
        return (
          <View className='page care-staff' id='care-staff-page'>
            {team ? <TeamWork doctor={roles.includes('doctor')} /> : null}
            {roles.includes('admin') ? <Entry id='care-admin' route='careAdmin' title='团队与服务包管理' hint='家庭医生团队、成员、服务包和价格' /> : null}
            {!team && !roles.includes('admin') ? <Text className='muted'>家庭医生工作台供医生、护士和管理员使用。</Text> : null}
          </View>
        );
      }}
    </RequireLogin>
  );
}

function TeamWork({ doctor }: { doctor: boolean }) {
  const pending = useApi(api.care.staffList, { query: { status: 'pending' } }, { refreshOnShow: true });
  const threads = useApi(api.messages.staffThreads, undefined, { refreshOnShow: true });
  const visits = useApi(api.care.staffHomeVisits, { query: { status: 'requested' } }, { refreshOnShow: true });
  const due = useApi(api.followups.due, { query: {} }, { refreshOnShow: true });
  const alerts = useApi(api.medication.alerts, { query: { open: 'true' } }, { enabled: doctor, refreshOnShow: true });
  const teams = useApi(api.care.myTeams);
  useCareLive(() => {
    pending.retry();
    threads.retry();
    visits.retry();
    if (doctor) alerts.retry();
  });
  const list: ReactNode[] = [
    <Entry key='c' id='care-staff-contracts' route='careStaffContracts' title='签约审核与签约居民' hint='待审核的签约申请、签约中的居民' count={pending.data?.items.length} />,
    <Entry key='t' id='care-staff-threads' route='careStaffThreads' title='居民留言' hint='签约居民的留言，按居民分组' count={threads.data?.unread} />,
    <Entry key='v' id='care-staff-visits' route='careStaffHomeVisits' title='上门服务' hint='居民的上门服务申请' count={visits.data?.items.length} />,
    <Entry key='f' id='care-staff-followups' route='careStaffFollowups' title='慢病随访' hint='高血压、糖尿病患者本季度应随访名单' count={due.data?.items.length} />,
  ];
  return (
    <View>
      <Text className='title'>{teams.data?.items.map((t) => t.name).join('、') || '家庭医生工作台'}</Text>
      {teams.data && teams.data.items.length === 0 ? <Text className='muted'>您还不是任何家庭医生团队的成员，请联系管理员。</Text> : null}
      {list}
      {doctor ? <Entry id='care-staff-plans' route='careStaffPlans' title='服药督导计划' hint='结核病患者服药计划、依从率表、预警' count={alerts.data?.items.length} /> : null}
      <Entry id='care-staff-supervise' route='careSupervise' title='我督导的患者' hint='作为督导人确认患者服药（乡村医生）' />
    </View>
  );
}
