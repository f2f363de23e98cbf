import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { appointmentResource } from './fhir';
import type { AppointmentItem } from './store';

const { Fhir } = createRequire(import.meta.url)('fhir') as { Fhir: new () => { validate(o: unknown, opts: object): { valid: boolean; messages: unknown[] } } };
const fhir = new Fhir();

const a: AppointmentItem = {
  id: 'ap-0123456789abcdef', userId: 'u-1', patientId: 'p-demo-zhang-jianguo', patientName: '张建国', patientRelation: 'self',
  scheduleId: 'doc-li-minghua_20250608_am', shard: 3, date: '2025-06-08', session: 'am',
  startsAt: '2025-06-08T08:00:00+08:00', endsAt: '2025-06-08T12:00:00+08:00', cancelCutoffAt: '2025-06-08T08:00:00+08:00',
  orgId: 'org-city-hospital', orgName: '泰安市中心医院', deptId: 'dept-city-cardiology', deptName: '心血管内科',
  doctorId: 'doc-li-minghua', doctorName: '李明华', doctorTitle: '主任医师', fee: 5000, status: 'confirmed', checkInCode: '123456',
  createdAt: '2025-06-01T08:00:03+08:00', updatedAt: '2025-06-01T08:00:03+08:00',
};

describe('an appointment as FHIR R4', () => {
  it('validates, with the person, the doctor and the hospital-local times as instants', () => {
    const r = appointmentResource(a);
    expect(fhir.validate(r, { errorOnUnexpected: true })).toMatchObject({ valid: true });
    expect(r).toMatchObject({ status: 'booked', start: '2025-06-08T00:00:00.000Z', participant: [{ actor: { reference: 'Patient/p-demo-zhang-jianguo' } }, {}, {}] });
  });

  it('a stopped session is a cancellation by the provider, with its reason', () => {
    const r = appointmentResource({ ...a, status: 'stopped', stoppedReason: '医生外出会诊' });
    expect(fhir.validate(r, { errorOnUnexpected: true }).valid).toBe(true);
    expect(r).toMatchObject({ status: 'cancelled', cancelationReason: { coding: [{ code: 'prov' }], text: '医生外出会诊' } });
  });
});
