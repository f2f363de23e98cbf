import { Text, View } from '@tarojs/components';
import { ComingSoon } from '../../../../components/ComingSoon';
import { navigate } from '../../../../navigation';
import { useSession } from '../../../../services/session';
import '../../staff.css';

/** 医护工作台: the workbenches of the logged-in staff member's roles. */
export default function StaffHome() {
  const session = useSession();
  const roles = session?.user.roles ?? [];
  const canCall = roles.some((r) => r === 'doctor' || r === 'nurse' || r === 'admin');
  return (
    <View>
      {canCall ? (
        <View className='page staff-home'>
          <View
            id='staff-queue'
            className='staff-menu__item'
            hoverClass='btn--pressed'
            ariaRole='button'
            ariaLabel='门诊叫号'
            onClick={() => navigate('staffQueue', {})}
          >
            <Text className='staff-menu__title'>门诊叫号</Text>
            <Text className='muted'>今天的出诊、候诊名单，叫下一位患者</Text>
          </View>
          {roles.includes('doctor') ? (
            <View
              id='staff-visits'
              className='staff-menu__item'
              hoverClass='btn--pressed'
              ariaRole='button'
              ariaLabel='视频问诊与远程会诊'
              onClick={() => navigate('staffVisits', {})}
            >
              <Text className='staff-menu__title'>视频问诊与远程会诊</Text>
              <Text className='muted'>今天的视频问诊、发起会诊、书写病历与处方、药师审方</Text>
            </View>
          ) : null}
        </View>
      ) : null}
      {roles.some((r) => r === 'cashier' || r === 'nurse' || r === 'admin') ? (
        <View className='page staff-home'>
          <View
            id='staff-admissions'
            className='staff-menu__item'
            hoverClass='btn--pressed'
            ariaRole='button'
            ariaLabel='住院结算'
            onClick={() => navigate('staffAdmissions')}
          >
            <Text className='staff-menu__title'>住院结算</Text>
            <Text className='muted'>在院患者的押金余额与费用明细，办理出院结账</Text>
          </View>
        </View>
      ) : null}
      <ComingSoon
        feature={canCall ? '其他工作台' : '医护工作台'}
        description='收费、急救调度等工作页面会随对应功能一起上线。'
        meanwhile='请使用医院现有系统办理。'
      />
    </View>
  );
}
