import { Text, View } from '@tarojs/components';
import { ComingSoon } from '../../../../components/ComingSoon';
import { navigate } from '../../../../navigation';
import { useSession } from '../../../../services/session';
import '../../staff.css';

/** 医护工作台: the workbenches of the logged-in staff member's roles (others come with their features). */
export default function StaffHome() {
  const session = useSession();
  const roles = session?.user.roles ?? [];
  const canCall = roles.some((r) => r === 'doctor' || r === 'nurse' || r === 'admin');
  if (!canCall) {
    return (
      <ComingSoon
        feature='医护工作台'
        description='医生、护士、收费员和调度员的工作页面：叫号、收费、急救调度。'
        meanwhile='各项工作台会随对应功能一起上线。'
      />
    );
  }
  return (
    <View className='page staff-home'>
      <Text className='title'>医护工作台</Text>
      <View
        id='staff-queue'
        className='staff-menu__item'
        hoverClass='btn--pressed'
        ariaRole='button'
        ariaLabel='门诊叫号'
        onClick={() => navigate('staffQueue', {})}
      >
        <Text className='staff-menu__title'>门诊叫号 ›</Text>
        <Text className='muted'>今天的出诊、候诊名单，叫下一位患者</Text>
      </View>
      <View className='card'>
        <Text className='muted'>收费、急救调度等其他工作台会随对应功能一起上线。</Text>
      </View>
    </View>
  );
}
