/** Rescue points (南天门, 中天门, the city hospital …): data, not code. Admins add them. */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { CreateRescueStationRequest, RescueStationView } from '@hospital/shared';
import { bothDatums, toWgs84 } from './geo';
import * as store from './store';

export const stationView = (s: store.StationItem): RescueStationView => ({ id: s.id, name: s.name, kind: s.kind, phone: s.phone, ...bothDatums(s.wgs84, 'wgs84') });

export async function list() {
  const items = await store.listStations();
  items.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'zh'));
  return { items: items.map(stationView) };
}

/** Stored in WGS-84 whatever datum the admin read it in (a map app gives GCJ-02). */
export async function add(body: z.output<typeof CreateRescueStationRequest>) {
  const s: store.StationItem = {
    id: `st-${randomUUID()}`,
    name: body.name,
    kind: body.kind,
    phone: body.phone,
    wgs84: toWgs84({ lat: body.lat, lng: body.lng }, body.coordSystem),
    createdAt: new Date().toISOString(),
  };
  await store.putStation(s, true);
  return stationView(s);
}
