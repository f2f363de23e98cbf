/**
 * A sign over 7/30/90 days, drawn with plain Views so it is the same on WeChat, Alipay and H5
 * (no canvas, no chart library): one or two lines (blood pressure: systolic and diastolic) as
 * rotated thin bars between dots, the normal band shaded, dots coloured by severity, the
 * first/last day under the axis. A sentence under it says the same in words for screen readers.
 */
import { Text, View } from '@tarojs/components';
import { CHART_BANDS, VitalCodes, type ReadingView, type Severity } from '@hospital/shared';
import { px, segmentStyle, valueScale } from '../../../components/chart';
import { SEVERITY_COLOR, shortDay } from './format';
import './trend-chart.css';

// Design units (750 wide); Taro turns them into rpx / rem. Fits a card: 750 - 2×32 - 2×32.
const W = 620;
const H = 380;
const LEFT = 80;
const RIGHT = 24;
const TOP = 24;
const BOTTOM = 56;

const round1 = (v: number) => String(Math.round(v * 10) / 10);

interface Series {
  name: string;
  color: string;
  points: { t: number; v: number; severity: Severity; id: string }[];
}

export function seriesOf(code: string, readings: readonly ReadingView[]): Series[] {
  const at = (r: ReadingView) => Date.parse(r.effectiveAt);
  if (code === VitalCodes.bpPanel) {
    const bp = readings.filter((r) => r.systolic !== undefined && r.diastolic !== undefined);
    return [
      { name: '收缩压', color: '#b71c1c', points: bp.map((r) => ({ t: at(r), v: r.systolic!, severity: r.severity, id: r.id })) },
      { name: '舒张压', color: '#0b5cad', points: bp.map((r) => ({ t: at(r), v: r.diastolic!, severity: r.severity, id: r.id })) },
    ];
  }
  const vs = readings.filter((r) => r.value !== undefined);
  return [{ name: '', color: '#0b5cad', points: vs.map((r) => ({ t: at(r), v: r.value!, severity: r.severity, id: r.id })) }];
}

export function TrendChart({ code, readings, from, to, unit }: { code: string; readings: readonly ReadingView[]; from: number; to: number; unit: string }) {
  const series = seriesOf(code, readings);
  const all = series.flatMap((s) => s.points);
  if (!all.length) return null;
  const band = CHART_BANDS[code] ?? {};
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const { lo, hi, pad, y } = valueScale(all.map((p) => p.v), band, { pad: 0.1, minSpan: 1, top: TOP, height: plotH });
  const x = (t: number) => LEFT + (to === from ? plotW / 2 : ((t - from) / (to - from)) * plotW);
  const ticks = [lo + pad, (lo + hi) / 2, hi - pad];

  return (
    <View className='trend-chart' id='trend-chart' style={{ width: px(W), height: px(H) }} ariaRole='img' ariaLabel='趋势图'>
      {band.low !== undefined || band.high !== undefined ? (
        <View
          className='trend-chart__band'
          style={{
            left: px(LEFT),
            width: px(plotW),
            top: px(y(Math.min(band.high ?? hi, hi))),
            height: px(y(Math.max(band.low ?? lo, lo)) - y(Math.min(band.high ?? hi, hi))),
          }}
        />
      ) : null}
      {code === VitalCodes.bpPanel ? <View className='trend-chart__limit' style={{ left: px(LEFT), width: px(plotW), top: px(y(90)) }} /> : null}
      {ticks.map((v) => (
        <View key={v} className='trend-chart__tick' style={{ top: px(y(v) - 18), width: px(LEFT - 12) }}>
          <Text>{round1(v)}</Text>
        </View>
      ))}
      <View className='trend-chart__axis' style={{ left: px(LEFT), top: px(TOP), height: px(plotH) }} />
      <View className='trend-chart__axis trend-chart__axis--x' style={{ left: px(LEFT), top: px(TOP + plotH), width: px(plotW) }} />
      {series.map((s) =>
        s.points.slice(1).map((p, i) => (
          <View
            key={`${s.name}-seg-${p.id}`}
            className='trend-chart__seg'
            style={{ ...segmentStyle(x(s.points[i].t), y(s.points[i].v), x(p.t), y(p.v)), backgroundColor: s.color }}
          />
        )),
      )}
      {series.map((s) =>
        s.points.map((p) => (
          <View
            key={`${s.name}-dot-${p.id}`}
            className={`trend-chart__dot trend-chart__dot--${p.severity}`}
            style={{ left: px(x(p.t) - 9), top: px(y(p.v) - 9), borderColor: s.color, backgroundColor: p.severity === 'normal' ? '#ffffff' : SEVERITY_COLOR[p.severity] }}
          />
        )),
      )}
      <Text className='trend-chart__day' style={{ left: px(LEFT), top: px(TOP + plotH + 10) }}>
        {shortDay(new Date(from).toISOString())}
      </Text>
      <Text className='trend-chart__day trend-chart__day--end' style={{ right: px(RIGHT), top: px(TOP + plotH + 10) }}>
        {shortDay(new Date(to).toISOString())}
      </Text>
      <Text className='trend-chart__unit' style={{ left: 0, top: px(TOP + plotH + 10) }}>
        {unit}
      </Text>
      {series.length > 1 ? (
        <View className='trend-chart__legend'>
          {series.map((s) => (
            <View key={s.name} className='trend-chart__legend-item'>
              <View className='trend-chart__legend-swatch' style={{ backgroundColor: s.color }} />
              <Text>{s.name}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
