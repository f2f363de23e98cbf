/**
 * Distances and directions on the Earth, for the emergency console (how far is the caller from
 * 南天门, and which way). Pure functions on WGS-84 degrees; both points must be in the SAME
 * datum (convert GCJ-02 first: the offset between the two is 100–700 m in China).
 *
 * Haversine on a sphere of the mean Earth radius (IUGG R1 = 6,371,008.8 m): within ~0.5 % of
 * the ellipsoidal distance, i.e. a few metres over the few kilometres that matter here.
 */
export interface LatLngDeg {
  lat: number;
  lng: number;
}

export const EARTH_RADIUS_M = 6_371_008.8;

const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Great-circle distance in metres. */
export function haversineMeters(a: LatLngDeg, b: LatLngDeg): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing (forward azimuth) from `from` to `to`, degrees clockwise from true north, [0, 360). */
export function initialBearingDegrees(from: LatLngDeg, to: LatLngDeg): number {
  const φ1 = rad(from.lat);
  const φ2 = rad(to.lat);
  const Δλ = rad(to.lng - from.lng);
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

const COMPASS_ZH = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'] as const;

/** One of eight directions in Chinese (北, 东北, …) for a bearing. */
export function compassZh(bearing: number): (typeof COMPASS_ZH)[number] {
  const i = Math.round((((bearing % 360) + 360) % 360) / 45) % 8;
  return COMPASS_ZH[i];
}

/** `850 米` / `3.2 公里`: what a dispatcher reads aloud. */
export function formatDistanceZh(meters: number): string {
  if (meters < 1000) return `${Math.round(meters / 10) * 10 || Math.round(meters)} 米`;
  return `${(meters / 1000).toFixed(meters < 10_000 ? 1 : 0)} 公里`;
}

/** Where a known place lies from the caller: distance, bearing and the Chinese direction. */
export function relativePosition(from: LatLngDeg, to: LatLngDeg) {
  const bearing = initialBearingDegrees(from, to);
  return { distanceMeters: Math.round(haversineMeters(from, to)), bearingDegrees: Math.round(bearing), direction: compassZh(bearing) };
}
