/**
 * Rescue points for the emergency console: the stations on Mount Tai's main routes and the city
 * hospital. Profiles only (rewritten on every start); admins add more through POST /v1/stations.
 *
 * WGS-84, as GPS reports them. 南天门 and the city hospital are the same points as their
 * organisations in seed-catalog.ts; the others are the public rescue points at the gates of
 * the central (红门 → 中天门 → 南天门), western (天外村) and Taohuayu (桃花峪) routes. Check each
 * against a survey before relying on it in production.
 */
import { putStation, type StationItem } from '../functions/src/emergency/store';

type Seed = Omit<StationItem, 'createdAt'>;
export const DEMO_STATIONS: Seed[] = [
  { id: 'st-nantianmen', name: '南天门急救站', kind: 'station', phone: '0538-8066120', wgs84: { lat: 36.2559, lng: 117.1015 } },
  { id: 'st-zhongtianmen', name: '中天门救护点', kind: 'rescue', phone: '0538-8066121', wgs84: { lat: 36.234, lng: 117.108 } },
  { id: 'st-hongmen', name: '红门救护点', kind: 'rescue', phone: '0538-8066122', wgs84: { lat: 36.211, lng: 117.1225 } },
  { id: 'st-tianwaicun', name: '天外村救护点', kind: 'rescue', phone: '0538-8066123', wgs84: { lat: 36.2049, lng: 117.0951 } },
  { id: 'st-taohuayu', name: '桃花峪救护点', kind: 'rescue', phone: '0538-8066124', wgs84: { lat: 36.233, lng: 117.054 } },
  { id: 'st-city-hospital', name: '泰安市中心医院急诊科', kind: 'hospital', phone: '0538-6298120', wgs84: { lat: 36.1956, lng: 117.1193 } },
];

export async function seedStations(): Promise<string> {
  const now = new Date().toISOString();
  for (const s of DEMO_STATIONS) await putStation({ ...s, createdAt: now });
  return `${DEMO_STATIONS.length} rescue stations`;
}
