import { Text, View } from '@tarojs/components';
import './ring.css';

export interface AdherenceRingProps {
  /** 0–100, or null when nothing is due yet. */
  percent: number | null;
  label: string;
  id?: string;
}

/**
 * A ring filled to `percent`, with the number in words inside (never colour alone). Two half
 * discs rotated by CSS: transforms render the same on WeChat, Alipay and browsers, unlike
 * conic gradients.
 */
export function AdherenceRing({ percent, label, id }: AdherenceRingProps) {
  const p = percent === null ? 0 : Math.max(0, Math.min(100, percent));
  const deg = (p / 100) * 360;
  const tone = percent === null ? 'none' : p >= 90 ? 'good' : p >= 80 ? 'fair' : 'poor';
  return (
    <View className={`ring ring--${tone}`} id={id} ariaRole='img' ariaLabel={`${label}${percent === null ? '暂无' : `${p}%`}`}>
      <View className='ring__half ring__half--right'>
        <View className='ring__fill' style={{ transform: `rotate(${Math.min(deg, 180)}deg)` }} />
      </View>
      <View className='ring__half ring__half--left'>
        <View className='ring__fill' style={{ transform: `rotate(${Math.max(deg - 180, 0)}deg)` }} />
      </View>
      <View className='ring__hole'>
        <Text className='ring__value'>{percent === null ? '—' : `${p}%`}</Text>
        <Text className='ring__label'>{label}</Text>
      </View>
    </View>
  );
}
