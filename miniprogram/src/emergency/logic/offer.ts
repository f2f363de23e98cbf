/**
 * What the SOS offers at once when the request cannot reach the server: a call to 120 and an SMS
 * to the region's 120 SMS number with the position and the time in one line, readable by a
 * dispatcher without our app (WGS-84 decimal degrees as a GPS shows them). No Taro here.
 */
import { accuracyText, type CapturedLocation } from '@hospital/shared';

/** `14:05` in Beijing time. */
const clock = (ms: number) => {
  const d = new Date(ms + 8 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};

/** One line: `紧急求助：我需要急救。位置 36.25250,117.10300（WGS-84，精度约 12 米），14:05 发出。` */
export function sosSmsText(location: Pick<CapturedLocation, 'lat' | 'lng' | 'accuracy' | 'coordSystem'> | undefined, at: number, place?: string): string {
  const where = location
    ? `位置 ${location.lat.toFixed(5)},${location.lng.toFixed(5)}（${location.coordSystem === 'gcj02' ? 'GCJ-02' : 'WGS-84'}，${accuracyText(location.accuracy)}）`
    : '无法定位';
  return `紧急求助：我需要急救。${where}${place ? `，${place}` : ''}，${clock(at)} 发出。`;
}
