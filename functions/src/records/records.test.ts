import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { patientAccount } from '#test/fixtures';
import { putUser } from '../auth/store';
import { handler } from './handler';
import { grantWhileActive } from './access';

const doctorId = `doc-${randomUUID()}`;
let doctorToken: string;
beforeAll(async () => {
  await putUser({ userId: doctorId, name: '王医生', roles: [], memberships: [{ orgId: 'org-city', roles: ['doctor'] }], createdAt: new Date().toISOString() });
  doctorToken = await tokenFor(['doctor'], doctorId, 'org-city', '王医生');
});

const healthReads = (entries: { purpose: string }[]) => entries.filter((e) => e.purpose !== 'identity_verification');
const record = {
  bloodType: 'A',
  rh: 'positive',
  allergies: [{ substance: '青霉素', reaction: '皮疹', severity: 'severe' }],
  conditions: [{ name: '高血压' }],
  medications: [{ name: '氨氯地平', dose: '5mg', frequency: '每日一次' }],
  emergencyContacts: [{ name: '张小明', relation: '儿子', phone: '13900139000' }],
};

describe('the health record', () => {
  it('the patient edits the self-reported part and reads it back', async () => {
    const a = await patientAccount();
    const empty = await call(handler, api.records.getRecord, { token: a.token, params: { patientId: a.patientId } });
    expect(empty.body).toMatchObject({ bloodType: 'unknown', allergies: [], verified: [] });
    const put = await call(handler, api.records.putRecord, { token: a.token, params: { patientId: a.patientId }, body: record });
    expect(put.status).toBe(200);
    expect(put.body.allergies[0].substance).toBe('青霉素');
  });

  it('a bad phone in an emergency contact is a 400 naming the field', async () => {
    const a = await patientAccount();
    const r = await call(handler, api.records.putRecord, { token: a.token, params: { patientId: a.patientId }, body: { ...record, emergencyContacts: [{ name: 'x', relation: '子', phone: '123' }] } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('body.emergencyContacts.0.phone');
  });

  it("another account's person is a 404 on every patient route", async () => {
    const a = await patientAccount();
    const b = await patientAccount();
    const p = { patientId: a.patientId };
    expect((await call(handler, api.records.getRecord, { token: b.token, params: p })).status).toBe(404);
    expect((await call(handler, api.records.putRecord, { token: b.token, params: p, body: record })).status).toBe(404);
    expect((await call(handler, api.records.accessLog, { token: b.token, params: p })).status).toBe(404);
    expect((await call(handler, api.records.listConsents, { token: b.token, query: p })).status).toBe(404);
    const g = await call(handler, api.records.grantConsent, { token: b.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['record'], days: 7 } });
    expect(g.status).toBe(404);
  });
});

describe('consent and the access trail', () => {
  it('a doctor without consent is refused, and the refusal is in the patient’s access log', async () => {
    const a = await patientAccount();
    const r = await call(handler, api.records.staffRecord, { token: doctorToken, params: { patientId: a.patientId }, query: { purpose: 'treatment' } });
    expect(r.status).toBe(403);
    const log = await call(handler, api.records.accessLog, { token: a.token, params: { patientId: a.patientId } });
    // The window nurse's 实名核验 is on the trail too; here only the reads of health data.
    expect(healthReads(log.body.entries)).toEqual([expect.objectContaining({ actorName: '王医生', outcome: 'refused', resource: 'record', purpose: 'treatment' })]);
  });

  it('with consent the doctor reads; the read is audited without the data; revoking stops it at once', async () => {
    const a = await patientAccount();
    await call(handler, api.records.putRecord, { token: a.token, params: { patientId: a.patientId }, body: record });
    const grant = await call(handler, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['record', 'reports'], days: 30 } });
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ active: true, grantee: { type: 'doctor', id: doctorId, name: '王医生' } });

    const read = await call(handler, api.records.staffRecord, { token: doctorToken, params: { patientId: a.patientId }, query: { purpose: 'treatment' } });
    expect(read.status).toBe(200);
    expect(read.body.allergies[0].substance).toBe('青霉素');

    // A consent is for its purpose only.
    const otherPurpose = await call(handler, api.records.staffRecord, { token: doctorToken, params: { patientId: a.patientId }, query: { purpose: 'follow_up' } });
    expect(otherPurpose.status).toBe(403);

    const log = await call(handler, api.records.accessLog, { token: a.token, params: { patientId: a.patientId } });
    expect(healthReads(log.body.entries).at(-1)).toMatchObject({ outcome: 'allowed', basis: expect.stringMatching(/^consent:/) });
    expect(JSON.stringify(log.body)).not.toContain('青霉素');

    const revoked = await call(handler, api.records.revokeConsent, { token: a.token, params: { consentId: grant.body.id } });
    expect(revoked.body.active).toBe(false);
    expect((await call(handler, api.records.staffRecord, { token: doctorToken, params: { patientId: a.patientId }, query: { purpose: 'treatment' } })).status).toBe(403);
  });

  it('another doctor is not covered by a consent naming a colleague', async () => {
    const a = await patientAccount();
    await call(handler, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['record'], days: 1 } });
    const other = await tokenFor(['doctor'], `doc-${randomUUID()}`, 'org-other');
    expect((await call(handler, api.records.staffRecord, { token: other, params: { patientId: a.patientId }, query: { purpose: 'treatment' } })).status).toBe(403);
  });

  it('an organisation grant covers its doctors; an emergency grant covers dispatchers while it lasts', async () => {
    const a = await patientAccount();
    await call(handler, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'org', id: 'org-city' }, purpose: 'follow_up', scopes: ['record'], days: 90 } });
    const colleague = await tokenFor(['doctor'], `doc-${randomUUID()}`, 'org-city');
    expect((await call(handler, api.records.staffRecord, { token: colleague, params: { patientId: a.patientId }, query: { purpose: 'follow_up' } })).status).toBe(200);

    const dispatcher = await tokenFor(['dispatcher']);
    const q = { token: dispatcher, params: { patientId: a.patientId }, query: { purpose: 'emergency' } };
    expect((await call(handler, api.records.staffRecord, q)).status).toBe(403);
    const now = Date.now();
    await grantWhileActive({ patientId: a.patientId, grantee: 'role:dispatcher', scopes: ['record'], purpose: 'emergency', source: 'emergency', sourceId: 'e-1', validFrom: new Date(now - 1000).toISOString(), validUntil: new Date(now + 60_000).toISOString(), grantedBy: 'system' });
    expect((await call(handler, api.records.staffRecord, q)).status).toBe(200);
  });

  it('a doctor with access adds a verified entry the patient sees but cannot change', async () => {
    const a = await patientAccount();
    await call(handler, api.records.grantConsent, { token: a.token, body: { patientId: a.patientId, grantee: { type: 'doctor', id: doctorId }, purpose: 'treatment', scopes: ['record'], days: 1 } });
    const add = await call(handler, api.records.addVerified, { token: doctorToken, params: { patientId: a.patientId }, body: { kind: 'allergy', value: '磺胺类药物' } });
    expect(add.status).toBe(201);
    await call(handler, api.records.putRecord, { token: a.token, params: { patientId: a.patientId }, body: { ...record, allergies: [] } });
    const mine = await call(handler, api.records.getRecord, { token: a.token, params: { patientId: a.patientId } });
    expect(mine.body.verified).toEqual([expect.objectContaining({ kind: 'allergy', value: '磺胺类药物', verifiedByName: '王医生' })]);
  });
});
