import { describe, expect, it } from 'vitest';
import { api, validateIdCard } from '@hospital/shared';
import { call, tokenFor } from '../functions/test/http';
import { handler as catalog } from '../functions/src/catalog/handler';
import { handler as qr } from '../functions/src/qr/handler';
import { handler as patients } from '../functions/src/patients/handler';
import { DEMO_PATIENTS, seedCatalog } from './seed-catalog';
import { ORG } from './seed';

describe('the demo catalog seed', () => {
  it('is idempotent and gives the three organisations, 14 days of sessions, QR codes and the demo family', async () => {
    const first = await seedCatalog();
    const second = await seedCatalog();
    expect(second).toMatch(/ 0 new sessions/);
    expect(first).toMatch(/3 orgs/);
    const orgs = await call(catalog, api.catalog.orgs);
    const ids = orgs.body.items.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining(Object.values(ORG)));
    const station = orgs.body.items.find((o: { id: string }) => o.id === ORG.station);
    expect(station.location.wgs84).toEqual({ lat: 36.2559, lng: 117.1015 });
    expect(station.location.gcj02.lng).toBeGreaterThan(117.105); // GCJ-02 is shifted ~600 m east here
    const schedules = await call(catalog, api.catalog.schedules, { params: { doctorId: 'doc-zhao-shan' } });
    expect(schedules.body.items).toHaveLength(28);
    expect(schedules.body.items.every((s: { fee: number }) => s.fee === 0)).toBe(true);
    expect(schedules.body.items.some((s: { state: string }) => s.state === 'not_released')).toBe(true);
    const code = await call(qr, api.qr.resolve, { params: { code: 'st-taishan-01' } });
    expect(code.body).toMatchObject({ target: { kind: 'station', orgId: ORG.station } });
    for (const p of DEMO_PATIENTS) expect(validateIdCard(p.idNumber).ok).toBe(true);
    const family = await call(patients, api.patients.list, { token: await tokenFor(['patient'], 'demo-patient') });
    expect(family.body.items.map((p: { name: string }) => p.name)).toEqual(['张建国', '张小雨']);
  });
});
