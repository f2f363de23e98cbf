import { describe, expect, it } from 'vitest';
import { compassZh, EARTH_RADIUS_M, formatDistanceZh, haversineMeters, initialBearingDegrees, relativePosition } from './geo';

const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;

describe('distance and bearing between two points', () => {
  it("matches Movable Type's reference: Land's End to John o' Groats is 968.9 km at 009°07′11″", () => {
    const landsEnd = { lat: dms(50, 3, 59), lng: -dms(5, 42, 53) };
    const johnOGroats = { lat: dms(58, 38, 38), lng: -dms(3, 4, 12) };
    expect(haversineMeters(landsEnd, johnOGroats) / 1000).toBeCloseTo(968.9, 1);
    expect(Math.abs(initialBearingDegrees(landsEnd, johnOGroats) - dms(9, 7, 11))).toBeLessThan(0.001);
  });

  it("matches Rosetta Code's haversine reference (BNA → LAX 2886.444 km at R = 6371 km), scaled to our radius", () => {
    const d = haversineMeters({ lat: 36.12, lng: -86.67 }, { lat: 33.94, lng: -118.4 });
    expect(Math.abs(d - (2886444.4428 * EARTH_RADIUS_M) / 6_371_000)).toBeLessThan(1);
  });

  it('one degree of latitude is πR/180 metres, a point is 0 m from itself', () => {
    expect(haversineMeters({ lat: 36, lng: 117 }, { lat: 37, lng: 117 })).toBeCloseTo((Math.PI * EARTH_RADIUS_M) / 180, 3);
    expect(haversineMeters({ lat: 36.2559, lng: 117.1015 }, { lat: 36.2559, lng: 117.1015 })).toBe(0);
  });

  it('bearings: north 0°, east 90°, south 180°, west 270°', () => {
    const o = { lat: 36.2, lng: 117.1 };
    expect(initialBearingDegrees(o, { lat: 36.3, lng: 117.1 })).toBeCloseTo(0, 6);
    expect(initialBearingDegrees(o, { lat: 36.2, lng: 117.2 })).toBeCloseTo(90, 1);
    expect(initialBearingDegrees(o, { lat: 36.1, lng: 117.1 })).toBeCloseTo(180, 6);
    expect(initialBearingDegrees(o, { lat: 36.2, lng: 117.0 })).toBeCloseTo(270, 1);
  });

  it('names eight directions in Chinese', () => {
    expect([0, 44, 46, 90, 135, 180, 225, 270, 315, 359].map(compassZh)).toEqual(['北', '东北', '东北', '东', '东南', '南', '西南', '西', '西北', '北']);
  });

  it('a caller on the steps below 南天门 is a few hundred metres south (a little east) of it', () => {
    const gate = { lat: 36.2559, lng: 117.1015 };
    const r = relativePosition(gate, { lat: 36.2525, lng: 117.103 });
    expect(r.direction).toBe('南');
    expect(r.bearingDegrees).toBeGreaterThan(150);
    expect(r.bearingDegrees).toBeLessThan(170);
    expect(r.distanceMeters).toBeGreaterThan(350);
    expect(r.distanceMeters).toBeLessThan(450);
  });

  it('reads distances aloud in 米 and 公里', () => {
    expect(formatDistanceZh(384)).toBe('380 米');
    expect(formatDistanceZh(3)).toBe('3 米');
    expect(formatDistanceZh(2345)).toBe('2.3 公里');
    expect(formatDistanceZh(23_456)).toBe('23 公里');
  });
});
