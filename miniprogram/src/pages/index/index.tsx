import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { RoleNames, StaffRoles } from '@hospital/shared';
import { Btn } from '../../components/Btn';
import { PrivacyPopup } from '../../components/PrivacyPopup';
import { navigate } from '../../navigation';
import type { RouteName } from '../../routes';
import { platform } from '../../platform';
import { useSession } from '../../services/session';
import { openLaunchTarget, resolveOurLaunch, takePendingLaunch } from '../../launch-handler';
import './index.css';

interface Service {
  route: RouteName;
  text: string;
  hint: string;
  /** One character in a coloured circle (emoji render as boxes on some older phones). */
  glyph: string;
  color: string;
}

/** The service grid. Each entry opens its page in a subpackage (pages not built yet say so). */
const services = [
  { route: 'booking', text: '挂号预约', hint: '预约医生号源', glyph: '挂', color: '#0b5cad' },
  { route: 'outpatientPayment', text: '门诊缴费', hint: '缴纳门诊费用', glyph: '缴', color: '#1b5e20' },
  { route: 'inpatientDeposit', text: '住院押金', hint: '预交住院押金', glyph: '押', color: '#00695c' },
  { route: 'reportQuery', text: '报告查询', hint: '检查检验报告', glyph: '报', color: '#5e35b1' },
  { route: 'videoVisit', text: '视频问诊', hint: '在线看医生', glyph: '视', color: '#a84300' },
  { route: 'healthRecord', text: '健康档案', hint: '我的健康记录', glyph: '档', color: '#5d4037' },
  { route: 'familyDoctor', text: '家庭医生', hint: '签约、留言、服药督导', glyph: '家', color: '#2e6b30' },
  { route: 'myReadings', text: '健康监测', hint: '一体机测量与预警', glyph: '测', color: '#ad1457' },
] as const satisfies readonly Service[];

export default function Home() {
  const session = useSession();
  const isStaff = !!session?.user.roles.some((r) => (StaffRoles as readonly string[]).includes(r));

  // A printed code that launched the app onto another page waits for the home page.
  useDidShow(() => {
    const target = takePendingLaunch();
    if (target) void openLaunchTarget(target, 'navigate');
  });

  const scan = async () => {
    try {
      const text = await platform.scan();
      if (text === null) return;
      const target = resolveOurLaunch({ scan: text });
      if (!target) {
        await Taro.showModal({
          title: '无法识别',
          content: '这不是本院的二维码。请扫描医院、服务站张贴的二维码。',
          showCancel: false,
          confirmText: '知道了',
        });
        return;
      }
      await openLaunchTarget(target, 'navigate');
    } catch (e) {
      await Taro.showToast({ title: (e as Error).message || '扫码失败', icon: 'none', duration: 2500 });
    }
  };

  return (
    <View className='page home'>
      {/* WeChat's privacy agreement for 扫一扫 (shown only when WeChat asks). */}
      <PrivacyPopup />
      <View className='card home__hello' id='home-hello'>
        {session ? (
          <>
            <Text className='home__greeting' id='home-user-name'>
              您好，{session.user.name}
            </Text>
            <Text className='muted home__roles'>{session.user.roles.map((r) => RoleNames[r]).join('、')}</Text>
          </>
        ) : (
          <>
            <Text className='home__greeting'>您好，欢迎使用互联网医院</Text>
            <Btn kind='primary' id='home-login' onTap={() => navigate('login', {})}>
              登录
            </Btn>
          </>
        )}
      </View>

      <View
        id='service-emergency'
        className='service-emergency'
        hoverClass='btn--pressed'
        ariaRole='button'
        ariaLabel='紧急求助，立即发送位置'
        onClick={() => navigate('emergency', { now: '1' })}
      >
        <Text className='service-emergency__text'>紧急求助</Text>
        <Text className='service-emergency__hint'>一键求助，立即发送您的位置</Text>
      </View>

      {platform.canScan ? (
        <Btn id='home-scan' kind='primary' onTap={scan} label='扫一扫医院二维码'>
          扫一扫
        </Btn>
      ) : null}

      <View className='service-grid' id='service-grid'>
        {services.map((s) => (
          <View
            key={s.route}
            id={`service-${s.route}`}
            className='service-grid__item'
            hoverClass='btn--pressed'
            ariaRole='button'
            ariaLabel={s.text}
            onClick={() => navigate(s.route)}
          >
            <View className='service-grid__glyph' style={{ backgroundColor: s.color }}>
              <Text>{s.glyph}</Text>
            </View>
            <Text className='service-grid__text'>{s.text}</Text>
            <Text className='service-grid__hint'>{s.hint}</Text>
          </View>
        ))}
      </View>

      {isStaff ? (
        <Btn id='home-staff' onTap={() => navigate('staff')}>
          医护工作台
        </Btn>
      ) : null}
    </View>
  );
}
