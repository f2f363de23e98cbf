/**
 * Geometry shared by the trend charts (reports, kiosk readings), which draw with plain Views so
 * they look the same on WeChat, Alipay and H5: design units (750 wide) to rpx/rem, a value scale
 * with headroom, and a line segment as a rotated thin bar.
 */
import Taro from '@tarojs/taro';

export const px = (n: number) => Taro.pxTransform(Math.round(n * 10) / 10);

/**
 * The value axis over `values` and the band's ends: `pad` × span of headroom each side, widened
 * to `minSpan` (and by 1 each side when all values are equal). `y` maps a value to the plot.
 */
export function valueScale(values: readonly number[], band: { low?: number; high?: number } | undefined, o: { pad: number; minSpan: number; top: number; height: number }) {
  const bounds = [...values, ...(band?.low !== undefined ? [band.low] : []), ...(band?.high !== undefined ? [band.high] : [])];
  let lo = Math.min(...bounds);
  let hi = Math.max(...bounds);
  if (hi === lo || hi - lo < o.minSpan) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * o.pad;
  lo -= pad;
  hi += pad;
  return { lo, hi, pad, y: (v: number) => o.top + ((hi - v) / (hi - lo)) * o.height };
}

/** The style of a 4-unit-thick bar from (x1, y1) to (x2, y2). */
export function segmentStyle(x1: number, y1: number, x2: number, y2: number) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  return { left: px(x1), top: px(y1 - 2), width: px(Math.sqrt(dx * dx + dy * dy)), transform: `rotate(${((Math.atan2(dy, dx) * 180) / Math.PI).toFixed(2)}deg)` };
}
