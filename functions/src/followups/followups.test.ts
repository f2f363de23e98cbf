import { describe, expect, it } from 'vitest';
import { addDays, api, localDate, VitalCodes } from '@hospital/shared';
import { call } from '#test/http';
import { handler } from './handler';
import { batchWrite, readingPut } from '../devices/store';
import { contracted, key, makeCare, outsider } from '../care/test-fixtures';

const record = (token: string, body: Record<string, unknown>) => call(handler, api.followups.record, { token, body, headers: { 'idempotency-key': key() } });
const bp = (contractId: string, date = localDate()) => ({
  contractId, condition: 'hypertension', date, method: 'clinic', systolic: 138, diastolic: 86, heartRate: 72, medicationAdherence: 'regular', assessment: 'controlled', advice: '低盐饮食',
});

describe('follow-ups of contracted residents with chronic conditions', () => {
  it('the first follow-up is due at the start; once recorded, the next is due in 90 days', async () => {
    const care = await makeCare();
    const r = await contracted(care, '高血压患者', ['hypertension']);
    const due = await call(handler, api.followups.due, { token: care.doctor.token, query: {} });
    expect(due.body.items.filter((d: { contractId: string }) => d.contractId === r.contractId)).toEqual([
      expect.objectContaining({ condition: 'hypertension', dueDate: localDate(), state: 'due' }),
    ]);

    const rec = await record(care.doctor.token, bp(r.contractId));
    expect(rec.status).toBe(201);
    expect(rec.body).toMatchObject({ condition: 'hypertension', systolic: 138, recordedByName: '孙慧' });

    const after = await call(handler, api.followups.due, { token: care.doctor.token, query: {} });
    expect(after.body.items.filter((d: { contractId: string }) => d.contractId === r.contractId)).toEqual([]);
    const all = await call(handler, api.followups.due, { token: care.doctor.token, query: { all: 'true' } });
    expect(all.body.items.find((d: { contractId: string }) => d.contractId === r.contractId)).toMatchObject({ lastDate: localDate(), dueDate: addDays(localDate(), 90), state: 'not_due' });
  });

  it('a hypertension follow-up needs the blood pressure; a date in the future is refused', async () => {
    const care = await makeCare();
    const r = await contracted(care, '高血压患者', ['hypertension']);
    const noBp = await record(care.doctor.token, { ...bp(r.contractId), systolic: undefined });
    expect(noBp.body.error.fields[0].path).toBe('body.systolic');
    const future = await record(care.doctor.token, bp(r.contractId, addDays(localDate(), 1)));
    expect(future.body.error.fields[0].path).toBe('body.date');
    const diabetes = await record(care.doctor.token, { ...bp(r.contractId), condition: 'diabetes' });
    expect(diabetes.body.error.fields[0].path).toBe('body.fastingGlucose');
  });

  it('the history shows the latest kiosk readings, read on the contract’s consent; outsiders get nothing', async () => {
    const care = await makeCare();
    const r = await contracted(care, '高血压患者', ['hypertension']);
    const empty = await call(handler, api.followups.history, { token: care.nurse.token, params: { contractId: r.contractId } });
    expect(empty.body).toEqual({ items: [], latestReadings: null });

    const at = new Date().toISOString();
    await batchWrite([
      readingPut({ readingId: `rd-${Date.now()}`, patientId: r.patientId, code: VitalCodes.bpPanel, systolic: 165, diastolic: 102, unit: 'mm[Hg]', effectiveAt: at, receivedAt: at, kioskId: 'k-1', orgId: care.orgId, pushId: 'p-1', severity: 'warning', label: '血压' }),
    ]);
    await record(care.doctor.token, bp(r.contractId));
    const h = await call(handler, api.followups.history, { token: care.nurse.token, params: { contractId: r.contractId } });
    expect(h.body.items).toHaveLength(1);
    expect(h.body.latestReadings).toEqual([expect.objectContaining({ code: VitalCodes.bpPanel, value: '165/102 mmHg', alert: '异常' })]);

    const stranger = await outsider();
    expect((await call(handler, api.followups.history, { token: stranger.token, params: { contractId: r.contractId } })).status).toBe(404);
    expect((await record(stranger.token, bp(r.contractId))).status).toBe(404);
  });
});
