import { describe, expect, it } from 'vitest';
import { addDays, AGREEMENT_VERSION, api, contractTerm, localDate } from '@hospital/shared';
import { call } from '#test/http';
import { inbox } from '#lib/notifier';
import { handler } from './handler';
import { handler as records } from '../records/handler';
import { expireContracts, renewalReminders } from './jobs';
import * as store from './store';
import { addPerson, contracted, decide, key, makeCare, outsider, resident, sign, uniqueIdNumber } from './test-fixtures';

/** Moves an active contract's last day (and its lock and expiry marker) as time would. */
async function setEndDate(contractId: string, endDate: string) {
  const c = (await store.getContract(contractId))!;
  expect(await store.transition(c, ['active'], { endDate }, { keep: endDate }, { put: endDate })).toBe(true);
}

const readRecord = (token: string, patientId: string) =>
  call(records, api.records.staffRecord, { token, params: { patientId }, query: { purpose: 'follow_up' } });

describe('teams and packages', () => {
  it('residents see active teams without phone numbers; admins see the contacts', async () => {
    const care = await makeCare();
    const pub = await call(handler, api.care.teams, { query: { orgId: care.orgId } });
    expect(pub.status).toBe(200);
    expect(pub.body.items).toHaveLength(1);
    expect(pub.body.items[0].members).toHaveLength(4);
    expect(JSON.stringify(pub.body)).not.toContain('13800000001');
    const admin = await call(handler, api.care.adminTeams, { token: care.admin });
    expect(admin.body.items.find((t: { id: string }) => t.id === care.teamId).members[0].phone).toBe('13800000001');
    const pkgs = await call(handler, api.care.packages, { query: { orgId: care.orgId } });
    expect(pkgs.body.items.map((p: { kind: string }) => p.kind).sort()).toEqual(['basic', 'chronic']);
  });

  it('a member account that is not staff is refused, naming the field', async () => {
    const care = await makeCare();
    const r = await resident();
    const bad = await call(handler, api.care.updateTeam, {
      token: care.admin,
      params: { teamId: care.teamId },
      body: { orgId: care.orgId, name: '团队', members: [{ name: '甲', role: 'doctor', phone: '13800000009' }, { userId: r.userId, name: '乙', role: 'nurse', phone: '13800000008' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('body.members.1.userId');
    const noDoctor = await call(handler, api.care.createTeam, { token: care.admin, body: { orgId: care.orgId, name: '团队', members: [{ name: '甲', role: 'nurse', phone: '13800000009' }] } });
    expect(noDoctor.status).toBe(400);
    expect(noDoctor.body.error.fields[0].path).toBe('body.members');
  });

  it('a deactivated team takes no new contracts', async () => {
    const care = await makeCare();
    const team = (await call(handler, api.care.adminTeams, { token: care.admin })).body.items.find((t: { id: string }) => t.id === care.teamId);
    const off = await call(handler, api.care.updateTeam, { token: care.admin, params: { teamId: care.teamId }, body: { orgId: care.orgId, name: team.name, members: team.members, active: false } });
    expect(off.status).toBe(200);
    const r = await resident();
    const s = await sign(care, r.token, r.patientId);
    expect(s.status).toBe(409);
    expect(s.body.error.code).toBe('TEAM_INACTIVE');
  });
});

describe('signing a contract', () => {
  it('pending → active: the team approves, the term is one year from today, contacts and consent appear', async () => {
    const care = await makeCare();
    const r = await resident();
    const s = await sign(care, r.token, r.patientId, { conditions: ['hypertension'] });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ status: 'pending', patient: { id: r.patientId, relation: 'self' }, team: { id: care.teamId }, contacts: [], canCancel: true, consent: { agreementVersion: AGREEMENT_VERSION } });

    const pending = await call(handler, api.care.staffList, { token: care.nurse.token, query: { status: 'pending' } });
    expect(pending.body.items.map((c: { id: string }) => c.id)).toEqual([s.body.id]);
    expect(pending.body.items[0].patient.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);

    // Before approval the team has no access to the record.
    expect((await readRecord(care.doctor.token, r.patientId)).status).toBe(403);

    const a = await decide(care.doctor.token, s.body.id, { decision: 'approve' });
    expect(a.status).toBe(200);
    const term = contractTerm(localDate());
    expect(a.body).toMatchObject({ status: 'active', startDate: term.startDate, endDate: term.endDate, decidedByName: '孙慧' });

    const mine = await call(handler, api.care.mine, { token: r.token });
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0].contacts.map((m: { phone: string }) => m.phone)).toContain('13800000001');
    expect(mine.body.items[0].canRenew).toBe(false);

    // The accepted agreement is the consent: team members with accounts may read, audited.
    expect((await readRecord(care.doctor.token, r.patientId)).status).toBe(200);
    const consents = await call(records, api.records.listConsents, { token: r.token, query: { patientId: r.patientId } });
    expect(consents.body.consents.filter((g: { active: boolean }) => g.active)).toHaveLength(3);
    expect((await inbox(r.userId)).map((m) => m.template)).toContain('contract_decided');

    // The decision is made once: another member's late decline is refused.
    const late = await decide(care.nurse.token, s.body.id, { decision: 'decline', reason: '重复' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('STATE_CHANGED');
  });

  it('no second active contract for the same person, even from another account holding the same ID number', async () => {
    const care = await makeCare();
    const r = await resident();
    const s = await sign(care, r.token, r.patientId);
    expect(s.status).toBe(201);
    const again = await sign(care, r.token, r.patientId);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_CONTRACTED');

    // The same person on a relative's account (same ID number).
    const idNo = uniqueIdNumber();
    const a = await resident('家属甲');
    const personOnA = await addPerson(a.token, '李秀兰', 'spouse', idNo);
    const b = await resident('家属乙');
    const personOnB = await addPerson(b.token, '李秀兰', 'parent', idNo);
    expect((await sign(care, a.token, personOnA)).status).toBe(201);
    const dup = await sign(care, b.token, personOnB);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('ALREADY_CONTRACTED');
  });

  it('of two signings racing for one person exactly one succeeds', async () => {
    const care = await makeCare();
    const r = await resident();
    const results = await Promise.all(Array.from({ length: 6 }, () => sign(care, r.token, r.patientId)));
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409)).toHaveLength(5);
    expect((await call(handler, api.care.mine, { token: r.token })).body.items).toHaveLength(1);
  });

  it('the same Idempotency-Key replays the contract instead of refusing it', async () => {
    const care = await makeCare();
    const r = await resident();
    const idem = key();
    const first = await sign(care, r.token, r.patientId, {}, idem);
    const second = await sign(care, r.token, r.patientId, {}, idem);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
  });

  it('someone else’s person, an unaccepted agreement or an old agreement version are refused', async () => {
    const care = await makeCare();
    const r = await resident();
    const other = await resident();
    expect((await sign(care, r.token, other.patientId)).status).toBe(404);
    const notAccepted = await sign(care, r.token, r.patientId, { accepted: false });
    expect(notAccepted.status).toBe(400);
    expect(notAccepted.body.error.fields[0].path).toBe('body.accepted');
    const oldVersion = await sign(care, r.token, r.patientId, { agreementVersion: '2019.1' });
    expect(oldVersion.body.error.fields[0].path).toBe('body.agreementVersion');
  });

  it('a declined request names its reason and frees the person to sign again', async () => {
    const care = await makeCare();
    const r = await resident();
    const s = await sign(care, r.token, r.patientId);
    const noReason = await decide(care.doctor.token, s.body.id, { decision: 'decline' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0].path).toBe('body.reason');
    const d = await decide(care.doctor.token, s.body.id, { decision: 'decline', reason: '不在服务区域' });
    expect(d.body).toMatchObject({ status: 'declined', declineReason: '不在服务区域', canCancel: false });
    expect((await sign(care, r.token, r.patientId)).status).toBe(201);
  });

  it('a staff member outside the team can neither see nor decide the contract', async () => {
    const care = await makeCare();
    const r = await resident();
    const s = await sign(care, r.token, r.patientId);
    const stranger = await outsider();
    expect((await decide(stranger.token, s.body.id, { decision: 'approve' })).status).toBe(404);
    expect((await call(handler, api.care.staffList, { token: stranger.token, query: {} })).body.items).toEqual([]);
    expect((await call(handler, api.care.staffGet, { token: stranger.token, params: { contractId: s.body.id } })).status).toBe(404);
    const other = await resident();
    expect((await call(handler, api.care.get, { token: other.token, params: { contractId: s.body.id } })).status).toBe(404);
  });
});

describe('ending a contract', () => {
  it('active → cancelled by the resident: access is revoked and the person may sign again', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    const c = await call(handler, api.care.cancel, { token: r.token, params: { contractId: r.contractId }, body: { reason: '搬家' } });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'cancelled', cancelledBy: 'resident', contacts: [] });
    expect((await readRecord(care.doctor.token, r.patientId)).status).toBe(403);
    const twice = await call(handler, api.care.cancel, { token: r.token, params: { contractId: r.contractId }, body: {} });
    expect(twice.body.status).toBe('cancelled');
    expect((await sign(care, r.token, r.patientId)).status).toBe(201);
  });

  it('active → expired after the last day: shown at once, swept by the job once, access revoked, a new contract allowed', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    const yesterday = addDays(localDate(), -1);
    await setEndDate(r.contractId, yesterday);
    const shown = await call(handler, api.care.get, { token: r.token, params: { contractId: r.contractId } });
    expect(shown.body).toMatchObject({ status: 'expired', canCancel: false, contacts: [] });
    expect((await call(handler, api.care.cancel, { token: r.token, params: { contractId: r.contractId }, body: {} })).status).toBe(409);

    const swept = await expireContracts();
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect((await store.getContract(r.contractId))!.status).toBe('expired');
    expect((await readRecord(care.doctor.token, r.patientId)).status).toBe(403);
    const again = await expireContracts();
    expect((await store.getContract(r.contractId))!.status).toBe('expired');
    expect(again.expired).toBe(0);
    expect((await sign(care, r.token, r.patientId)).status).toBe(201);
  });

  it('a new contract signed after the old one lapsed keeps its lock when the job sweeps the old one', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    await setEndDate(r.contractId, addDays(localDate(), -2));
    const next = await sign(care, r.token, r.patientId);
    expect(next.status).toBe(201);
    await expireContracts();
    // Still held by the new request: a third signing is refused.
    expect((await sign(care, r.token, r.patientId)).status).toBe(409);
  });

  it('renewal opens in the last 30 days: the term grows by a year, and the reminder goes out once', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    const early = await call(handler, api.care.renew, { token: r.token, params: { contractId: r.contractId }, body: { agreementVersion: AGREEMENT_VERSION, accepted: true } });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOT_RENEWABLE');

    const end = addDays(localDate(), 29);
    await setEndDate(r.contractId, end);
    expect((await renewalReminders()).reminded).toBeGreaterThanOrEqual(1);
    await renewalReminders();
    expect((await inbox(r.userId)).filter((m) => m.template === 'contract_renewal')).toHaveLength(1);

    const renewed = await call(handler, api.care.renew, { token: r.token, params: { contractId: r.contractId }, body: { agreementVersion: AGREEMENT_VERSION, accepted: true } });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ status: 'active', endDate: contractTerm(addDays(end, 1)).endDate, canRenew: false });
    expect((await readRecord(care.doctor.token, r.patientId)).status).toBe(200);
  });
});

describe('home visits', () => {
  it('a contracted resident asks, the team schedules, the resident is told', async () => {
    const care = await makeCare();
    const r = await contracted(care);
    const body = { reason: '行动不便，需要测血压和换药', preferredDate: addDays(localDate(), 1), slot: 'am', address: '泰山区财源街道1号', phone: '13812345678' };
    const req = await call(handler, api.care.requestHomeVisit, { token: r.token, params: { contractId: r.contractId }, body, headers: { 'idempotency-key': key() } });
    expect(req.status).toBe(201);
    expect(req.body).toMatchObject({ status: 'requested', phoneMasked: '138****5678' });

    const list = await call(handler, api.care.staffHomeVisits, { token: care.nurse.token, query: { status: 'requested' } });
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(req.body.id);
    expect(list.body.items[0].phone).toBe('13812345678');

    const noTime = await call(handler, api.care.decideHomeVisit, { token: care.nurse.token, params: { visitId: req.body.id }, body: { decision: 'schedule' } });
    expect(noTime.body.error.fields[0].path).toBe('body.scheduledAt');
    const at = `${addDays(localDate(), 1)}T09:30:00+08:00`;
    const s = await call(handler, api.care.decideHomeVisit, { token: care.nurse.token, params: { visitId: req.body.id }, body: { decision: 'schedule', scheduledAt: at } });
    expect(s.body).toMatchObject({ status: 'scheduled', handledByName: '刘护士' });
    const mine = await call(handler, api.care.homeVisits, { token: r.token, params: { contractId: r.contractId } });
    expect(mine.body.items[0].status).toBe('scheduled');
    expect((await inbox(r.userId)).map((m) => m.template)).toContain('home_visit_update');

    const stranger = await outsider();
    expect((await call(handler, api.care.decideHomeVisit, { token: stranger.token, params: { visitId: req.body.id }, body: { decision: 'done' } })).status).toBe(404);
  });

  it('needs an active contract', async () => {
    const care = await makeCare();
    const r = await resident();
    const s = await sign(care, r.token, r.patientId);
    const req = await call(handler, api.care.requestHomeVisit, {
      token: r.token,
      params: { contractId: s.body.id },
      body: { reason: '换药', preferredDate: localDate(), slot: 'pm', address: '泰山区财源街道1号', phone: '13812345678' },
      headers: { 'idempotency-key': key() },
    });
    expect(req.status).toBe(409);
    expect(req.body.error.code).toBe('CONTRACT_NOT_ACTIVE');
  });
});
