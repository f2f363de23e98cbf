/**
 * A line of one analyte over time, drawn with plain Views (no canvas, no chart library), so it
 * looks the same on WeChat, Alipay and H5: dots, segments as rotated thin bars, the reference
 * range as a shaded band, each value written above its dot with its arrow. The list under the
 * chart says the same in words for screen readers.
 */
import { Text, View } from '@tarojs/components';
import { FLAG_DISPLAY, type Flag, type ReferenceRange } from '@hospital/shared';
import { px, segmentStyle, valueScale } from '../../../components/chart';
import { flagTone, shortDay } from '../../../components/reports/format';

export interface TrendPoint {
  at: string;
  value: number;
  flag?: Flag;
  range?: ReferenceRange;
}

// Design units (750 wide); Taro turns them into rpx / rem.
const W = 600; // fits a card: 750 - 2 × page padding - 2 × card padding
const H = 360;
const LEFT = 88;
const RIGHT = 56;
const TOP = 56;
const BOTTOM = 56;
const MAX_POINTS = 8;

const fmt = (v: number) => String(Math.round(v * 100) / 100);
const tick = (v: number) => String(Math.round(v * 10) / 10);
/** Keeps a label of this width inside the chart. */
const clamp = (left: number, width: number) => Math.min(Math.max(0, left), W - width);

export function TrendChart({ points, name }: { points: readonly TrendPoint[]; name: string }) {
  const shown = points.slice(-MAX_POINTS);
  if (!shown.length) return null;
  const range = shown[shown.length - 1].range;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const { lo, hi, y } = valueScale(shown.map((p) => p.value), range, { pad: 0.12, minSpan: 0, top: TOP, height: plotH });
  const x = (i: number) => LEFT + (shown.length === 1 ? plotW / 2 : (i * plotW) / (shown.length - 1));

  const band =
    range && (range.low !== undefined || range.high !== undefined)
      ? { top: y(range.high ?? hi), bottom: y(range.low ?? lo) }
      : undefined;

  return (
    <View
      className='trend'
      style={{ width: px(W), height: px(H) }}
      ariaLabel={`${name}趋势：${shown.map((p) => `${shortDay(p.at)} ${fmt(p.value)}`).join('，')}`}
    >
      {band ? (
        <View className='trend__band' style={{ left: px(LEFT), width: px(plotW), top: px(band.top), height: px(Math.max(2, band.bottom - band.top)) }}>
          <Text className='trend__band-label'>参考范围</Text>
        </View>
      ) : null}
      <View className='trend__axis' style={{ left: px(LEFT), top: px(TOP), height: px(plotH) }} />
      <Text className='trend__tick' style={{ top: px(TOP - 18), width: px(LEFT - 12) }}>
        {tick(hi)}
      </Text>
      <Text className='trend__tick' style={{ top: px(TOP + plotH - 18), width: px(LEFT - 12) }}>
        {tick(lo)}
      </Text>
      {shown.slice(1).map((p, i) => (
        <View key={`s${i}`} className='trend__segment' style={segmentStyle(x(i), y(shown[i].value), x(i + 1), y(p.value))} />
      ))}
      {shown.map((p, i) => {
        const tone = flagTone(p.flag);
        const arrow = p.flag ? FLAG_DISPLAY[p.flag].arrow : '';
        return (
          <View key={`p${i}`}>
            <View className={`trend__dot trend__dot--${tone}`} style={{ left: px(x(i) - 10), top: px(y(p.value) - 10) }} />
            <Text className={`trend__value trend__value--${tone}`} style={{ left: px(clamp(x(i) - 60, 120)), top: px(y(p.value) - 52) }}>
              {fmt(p.value)}
              {arrow}
            </Text>
            <Text className='trend__date' style={{ left: px(clamp(x(i) - 50, 100)), top: px(H - BOTTOM + 12) }}>
              {shortDay(p.at)}
            </Text>
          </View>
        );
      })}
    </View>
  );
}
