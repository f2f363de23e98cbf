import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '../functions/test/http';
import { handler as reports } from '../functions/src/reports/handler';
import { seedCatalog } from './seed-catalog';
import { seedReports } from './seed-reports';

describe('the demo reports seed', () => {
  it('gives 张建国 two blood counts and an ultrasound, once', async () => {
    await seedCatalog();
    await seedReports();
    expect(await seedReports()).toBe('0 new demo reports');
    const token = await tokenFor(['patient'], 'demo-patient');
    const list = await call(reports, api.reports.mine, { token, query: { patientId: 'p-demo-zhang-jianguo' } });
    expect(list.body.items.map((r: { title: string }) => r.title)).toEqual(expect.arrayContaining(['血常规', '腹部超声']));
    const us = list.body.items.find((r: { title: string }) => r.title === '腹部超声');
    expect(us).toMatchObject({ type: 'exam', category: 'US', performer: '泰安市中心医院超声科' });
    const trend = await call(reports, api.reports.trend, { token, query: { patientId: 'p-demo-zhang-jianguo', code: '6690-2' } });
    expect(trend.body.points.length).toBeGreaterThanOrEqual(2);
  });
});
