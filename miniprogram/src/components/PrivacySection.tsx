import { Text, View } from '@tarojs/components';
import { navigate } from '../navigation';
import { PRIVACY_ENTRIES, PRIVACY_SECTION_TITLE } from './privacy-entries';
import './privacy.css';

/**
 * 我的 → 隐私与授权: one tap to each right (授权管理, 用户协议, 隐私政策, 导出我的数据, 更正申请,
 * 注销账户). Logged out, only the two documents (the rest needs an account).
 */
export function PrivacySection({ loggedIn }: { loggedIn: boolean }) {
  const rows = loggedIn ? PRIVACY_ENTRIES : PRIVACY_ENTRIES.filter((e) => e.key === 'agreement' || e.key === 'policy');
  return (
    <View className='card pv-section' id='me-privacy'>
      <Text className='pv-section__title'>{PRIVACY_SECTION_TITLE}</Text>
      {rows.map((e) => (
        <View
          key={e.key}
          id={`me-privacy-${e.key}`}
          className='pv-row'
          hoverClass='btn--pressed'
          ariaRole='button'
          ariaLabel={`${e.title}，${e.hint}`}
          onClick={() => void navigate(e.route)}
        >
          <View className='pv-row__main'>
            <Text className={`pv-row__title ${e.key === 'deletion' ? 'pv-row__title--danger' : ''}`}>{e.title}</Text>
            <Text className='pv-row__hint'>{e.hint}</Text>
          </View>
          <Text className='pv-row__arrow'>›</Text>
        </View>
      ))}
    </View>
  );
}
