/**
 * Datums and the nearest rescue points. Phones report GCJ-02 (WeChat/Alipay `getLocation`) or
 * WGS-84 (browsers, GPS); stations are stored in WGS-84. Everything is converted to WGS-84
 * before measuring, and GCJ-02 is derived for Chinese map apps (高德/腾讯 use GCJ-02).
 * gcoord inverts GCJ-02 iteratively (to ~1e-6°, about 0.1 m), not with the one-step
 * approximation that is off by metres.
 */
import gcoord from 'gcoord';
import { relativePosition, type CoordSystem, type NearRescueStation } from '@hospital/shared';
import type { LatLng, StationItem } from './store';

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function toWgs84(p: LatLng, system: CoordSystem): LatLng {
  if (system === 'wgs84') return { lat: p.lat, lng: p.lng };
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return { lat, lng };
}

export function toGcj02(p: LatLng, system: CoordSystem): LatLng {
  if (system === 'gcj02') return { lat: p.lat, lng: p.lng };
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return { lat, lng };
}

/** Both datums, rounded to 6 decimals (~0.1 m) for display and links. */
export function bothDatums(p: LatLng, system: CoordSystem): { wgs84: LatLng; gcj02: LatLng } {
  const w = toWgs84(p, system);
  const g = toGcj02(p, system);
  return { wgs84: { lat: round6(w.lat), lng: round6(w.lng) }, gcj02: { lat: round6(g.lat), lng: round6(g.lng) } };
}

/** 高德 takes GCJ-02 (`coordinate=gaode`); OpenStreetMap takes WGS-84. */
export function mapLinks(gcj02: LatLng, wgs84: LatLng, name = '求助位置') {
  return {
    amap: `https://uri.amap.com/marker?position=${gcj02.lng},${gcj02.lat}&name=${encodeURIComponent(name)}&coordinate=gaode&callnative=1`,
    osm: `https://www.openstreetmap.org/?mlat=${wgs84.lat}&mlon=${wgs84.lng}#map=17/${wgs84.lat}/${wgs84.lng}`,
  };
}

/** Stations by distance from the caller (WGS-84), with the direction from each station to the caller. */
export function nearestStations(caller: LatLng, stations: readonly StationItem[], limit = 3): NearRescueStation[] {
  return stations
    .map((s) => ({ id: s.id, name: s.name, kind: s.kind, phone: s.phone, ...relativePosition(s.wgs84, caller) }))
    .sort((a, b) => a.distanceMeters - b.distanceMeters)
    .slice(0, limit);
}
