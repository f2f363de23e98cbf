import { Text, View } from '@tarojs/components';
import { ComingSoon } from '../../../../components/ComingSoon';
import { navigate } from '../../../../navigation';
import { useSession } from '../../../../services/session';
import '../../staff.css';

interface Entry {
  id: string;
  title: string;
  hint: string;
  open: () => void;
}

/** 医护工作台: the workbenches of the logged-in staff member's roles (others come with their features). */
export default function StaffHome() {
  const session = useSession();
  const roles = session?.user.roles ?? [];
  const has = (...r: string[]) => roles.some((x) => r.includes(x));
  const entries: Entry[] = [
    ...(has('doctor', 'nurse', 'admin')
      ? [{ id: 'staff-queue', title: '门诊叫号', hint: '今天的出诊、候诊名单，叫下一位患者', open: () => void navigate('staffQueue', {}) }]
      : []),
    ...(has('doctor')
      ? [{ id: 'staff-visits', title: '视频问诊与远程会诊', hint: '今天的视频问诊、发起会诊、书写病历与处方', open: () => void navigate('staffVisits', {}) }]
      : []),
    ...(has('pharmacist')
      ? [{ id: 'staff-rx-review', title: '药师审方', hint: '本院待审核的电子处方（本人开具的除外），审核通过后生成缴费账单', open: () => void navigate('staffVisits', {}) }]
      : []),
    ...(has('doctor')
      ? [{ id: 'staff-shared', title: '共享给我的患者', hint: '患者授权给您的档案和报告', open: () => void navigate('staffShared') }]
      : []),
    ...(has('doctor', 'nurse', 'admin')
      ? [{ id: 'staff-lab-held', title: '化验报告待认领', hint: '检验科推送但未匹配到就诊人的报告，核对身份证后归属', open: () => void navigate('staffLabHeld') }]
      : []),
    ...(has('nurse', 'doctor', 'cashier', 'admin')
      ? [{ id: 'staff-verify-person', title: '实名核验', hint: '就诊人出示核验码和身份证原件，核对后完成实名认证', open: () => void navigate('staffVerifyPerson', {}) }]
      : []),
    ...(has('platform_admin')
      ? [{ id: 'staff-identity-flags', title: '身份证号异常添加', hint: '同一身份证号被多个账户添加（可能有人在猜号）', open: () => void navigate('identityFlags') }]
      : []),
    ...(has('doctor', 'nurse')
      ? [{ id: 'staff-kiosks', title: '一体机测量与预警', hint: '本机构健康一体机的预警，及无人绑定时的测量结果分配', open: () => void navigate('kioskStaff') }]
      : []),
    ...(has('admin')
      ? [{ id: 'staff-kiosk-admin', title: '一体机管理', hint: '登记健康一体机、打印二维码、更换密钥', open: () => void navigate('kioskAdmin') }]
      : []),
    ...(has('admin')
      ? [{ id: 'staff-schedules', title: '排班管理', hint: '医生出诊排班、签约居民优先号、停诊通知', open: () => void navigate('staffSchedules', {}) }]
      : []),
    ...(has('cashier', 'nurse', 'admin')
      ? [{ id: 'staff-admissions', title: '住院结算', hint: '在院患者的押金余额与费用明细，办理出院结账', open: () => void navigate('staffAdmissions') }]
      : []),
    ...(has('cashier', 'admin')
      ? [{ id: 'staff-refunds', title: '退款异常', hint: '第三方支付退款失败的订单，核实后重新退款', open: () => void navigate('staffRefunds') }]
      : []),
    ...(has('doctor', 'nurse', 'admin')
      ? [{ id: 'staff-care', title: '家庭医生工作台', hint: '签约审核、居民留言、上门服务、慢病随访、服药督导', open: () => void navigate('careStaff') }]
      : []),
  ];
  if (entries.length === 0) {
    return (
      <>
      {roles.includes('dispatcher') ? (
        <View className='page staff-home'>
          <View
            id='staff-dispatch'
            className='staff-menu__item'
            hoverClass='btn--pressed'
            ariaRole='button'
            ariaLabel='120 调度台'
            onClick={() => navigate('dispatchConsole', {})}
          >
            <Text className='staff-menu__title'>120 调度台</Text>
            <Text className='muted'>紧急求助的实时列表、位置、健康摘要与派车（宜在电脑浏览器打开）</Text>
          </View>
        </View>
      ) : null}
      <ComingSoon
        feature='医护工作台'
        description='医生、护士、收费员和调度员的工作页面：叫号、收费、急救调度。'
        meanwhile='各项工作台会随对应功能一起上线。'
      />
      </>
    );
  }
  return (
    <View className='page staff-home'>
      <Text className='title'>医护工作台</Text>
      {entries.map((e) => (
        <View key={e.id} id={e.id} className='staff-menu__item' hoverClass='btn--pressed' ariaRole='button' ariaLabel={e.title} onClick={e.open}>
          <Text className='staff-menu__title'>{e.title} ›</Text>
          <Text className='muted'>{e.hint}</Text>
        </View>
      ))}
      <View className='card'>
        <Text className='muted'>其他工作台会随对应功能一起上线。</Text>
      </View>
    </View>
  );
}
