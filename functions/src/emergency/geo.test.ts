/**
 * Datum conversion against published reference points. GCJ-02 is a published (leaked) formula,
 * so an exact implementation agrees with others to the centimetre; the inverse is iterative.
 */
import { describe, expect, it } from 'vitest';
import { haversineMeters } from '@hospital/shared';
import { DEMO_STATIONS } from '../../../scripts/seed-emergency';
import { bothDatums, mapLinks, nearestStations, toGcj02, toWgs84 } from './geo';
import type { StationItem } from './store';

const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => haversineMeters(a, b);

describe('GCJ-02 ↔ WGS-84', () => {
  it('WGS-84 → GCJ-02 matches wandergis/coordtransform (116.404, 39.915) → (116.41024449916938, 39.91640428150164)', () => {
    const g = toGcj02({ lat: 39.915, lng: 116.404 }, 'wgs84');
    expect(metres(g, { lat: 39.91640428150164, lng: 116.41024449916938 })).toBeLessThan(0.01);
  });

  it('WGS-84 → GCJ-02 matches geoToolbox (40.0, 116.0) → (40.001213650174, 116.006141221789) within 2 cm', () => {
    const g = toGcj02({ lat: 40, lng: 116 }, 'wgs84');
    expect(metres(g, { lat: 40.001213650174, lng: 116.006141221789 })).toBeLessThan(0.02);
  });

  it('GCJ-02 → WGS-84 matches coordtransform (116.404, 39.915) → (116.39775550083061, 39.91359571849836) within a metre', () => {
    const w = toWgs84({ lat: 39.915, lng: 116.404 }, 'gcj02');
    expect(metres(w, { lat: 39.91359571849836, lng: 116.39775550083061 })).toBeLessThan(1);
  });

  it("GCJ-02 → WGS-84 matches gcoord's reference (123, 45) → (122.99395597, 44.99804071) within a metre", () => {
    const w = toWgs84({ lat: 45, lng: 123 }, 'gcj02');
    expect(metres(w, { lat: 44.99804071, lng: 122.99395597 })).toBeLessThan(1);
  });

  it('the offset on Mount Tai is hundreds of metres, and a round trip comes back within 0.5 m', () => {
    for (const s of DEMO_STATIONS) {
      const g = toGcj02(s.wgs84, 'wgs84');
      expect(metres(g, s.wgs84)).toBeGreaterThan(100);
      expect(metres(g, s.wgs84)).toBeLessThan(800);
      expect(metres(toWgs84(g, 'gcj02'), s.wgs84)).toBeLessThan(0.5);
    }
  });

  it('a point already in the asked datum is unchanged; outside China GCJ-02 is WGS-84', () => {
    expect(toWgs84({ lat: 36.25, lng: 117.1 }, 'wgs84')).toEqual({ lat: 36.25, lng: 117.1 });
    expect(toGcj02({ lat: 51.5, lng: -0.12 }, 'wgs84')).toEqual({ lat: 51.5, lng: -0.12 });
  });

  it('gives both datums rounded to 6 decimals and map links in the right datum', () => {
    const both = bothDatums({ lat: 36.2525, lng: 117.103 }, 'wgs84');
    expect(both.wgs84).toEqual({ lat: 36.2525, lng: 117.103 });
    expect(metres(both.gcj02, toGcj02({ lat: 36.2525, lng: 117.103 }, 'wgs84'))).toBeLessThan(0.2);
    const links = mapLinks(both.gcj02, both.wgs84);
    expect(links.amap).toContain(`position=${both.gcj02.lng},${both.gcj02.lat}`);
    expect(links.amap).toContain('coordinate=gaode');
    expect(links.osm).toContain(`mlat=36.2525&mlon=117.103`);
  });
});

describe('nearest rescue points', () => {
  const stations: StationItem[] = DEMO_STATIONS.map((s) => ({ ...s, createdAt: '2025-01-01T00:00:00Z' }));

  it('a hiker on 十八盘 below the summit is nearest to 南天门, then 中天门', () => {
    const near = nearestStations({ lat: 36.2525, lng: 117.103 }, stations);
    expect(near.map((n) => n.id)).toEqual(['st-nantianmen', 'st-zhongtianmen', expect.any(String)]);
    expect(near[0].distanceMeters).toBeGreaterThan(350);
    expect(near[0].distanceMeters).toBeLessThan(450);
    expect(near[0].direction).toBe('南');
  });

  it('a resident in town is nearest to the city hospital', () => {
    expect(nearestStations({ lat: 36.19, lng: 117.12 }, stations, 1)[0].id).toBe('st-city-hospital');
  });
});
