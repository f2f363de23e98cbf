import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays, api, doseIdOf, localDate, REGIMEN_PRESETS } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { inbox } from '#lib/notifier';
import { handler } from './handler';
import { handler as records } from '../records/handler';
import { addPerson, contracted, key, makeCare, outsider, uniqueIdNumber, type Care } from '../care/test-fixtures';
import { doseReminders, markMissedDoses } from './jobs';
import * as store from './store';

const TB = REGIMEN_PRESETS[0];
const today = () => localDate();
/** Beijing wall-clock on a date, as epoch ms. */
const at = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);

function create(token: string, body: Record<string, unknown>) {
  return call(handler, api.medication.create, { token, body, headers: { 'idempotency-key': key() } });
}
const planBody = (patientId: string, supervisor: object, extra: object = {}) => ({
  patientId,
  diagnosis: '继发性肺结核 初治',
  regimen: { code: TB.code, phases: TB.phases },
  doseTimes: ['08:00'],
  startDate: today(),
  supervisor,
  ...extra,
});

/** A contracted patient with a spouse on the account, and the spouse's own login (same ID number). */
async function family(care: Care) {
  const p = await contracted(care, '张建国');
  const idNo = uniqueIdNumber();
  const spousePersonId = await addPerson(p.token, '李秀兰', 'spouse', idNo);
  const spouseUserId = `u_${randomUUID()}`;
  const spouseToken = await tokenFor(['patient'], spouseUserId, undefined, '李秀兰');
  await addPerson(spouseToken, '李秀兰', 'self', idNo);
  return { patient: p, spousePersonId, spouse: { userId: spouseUserId, token: spouseToken } };
}

const confirm = (token: string, planId: string, doseId: string, body: object = { method: 'in_person' }) =>
  call(handler, api.medication.confirm, { token, params: { planId, doseId }, body });

describe('a clinician creates a supervised medication plan', () => {
  it('needs follow-up access to the patient; every dose is scheduled; one plan per person', async () => {
    const care = await makeCare();
    const f = await family(care);
    const stranger = await outsider();
    const refused = await create(stranger.token, planBody(f.patient.patientId, { kind: 'family', patientId: f.spousePersonId }));
    expect(refused.status).toBe(403);

    const r = await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'family', patientId: f.spousePersonId }));
    expect(r.status).toBe(201);
    expect(r.body.doses).toHaveLength(180);
    expect(r.body.plan).toMatchObject({ status: 'active', supervisor: { kind: 'family', name: '李秀兰', state: 'invited', relation: 'spouse' }, endDate: addDays(today(), 179) });
    expect(r.body.plan.adherence.today).toMatchObject({ taken: 0, total: 1 });

    const again = await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'staff', userId: care.village.userId }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PLAN_EXISTS');
  });

  it('refuses a supervisor who is not family on the patient’s account, and a start in the past, naming the field', async () => {
    const care = await makeCare();
    const f = await family(care);
    const other = await contracted(care, '王某');
    const notFamily = await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'family', patientId: other.patientId }));
    expect(notFamily.body.error.fields[0].path).toBe('body.supervisor.patientId');
    const self = await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'family', patientId: f.patient.patientId }));
    expect(self.body.error.fields[0].path).toBe('body.supervisor.patientId');
    const notStaff = await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'staff', userId: f.spouse.userId }));
    expect(notStaff.body.error.fields[0].path).toBe('body.supervisor.userId');
    const past = await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'staff', userId: care.village.userId }, { startDate: addDays(today(), -1) }));
    expect(past.body.error.fields[0].path).toBe('body.startDate');
  });

  it('offers the team’s staff accounts and the family on the account as supervisors', async () => {
    const care = await makeCare();
    const f = await family(care);
    const c = await call(handler, api.medication.candidates, { token: care.doctor.token, query: { patientId: f.patient.patientId } });
    expect(c.body.staff.map((s: { name: string }) => s.name)).toEqual(['孙慧', '刘护士', '王村医']);
    expect(c.body.family).toEqual([{ patientId: f.spousePersonId, name: '李秀兰', relation: 'spouse' }]);
  });
});

describe('supervision by a family member', () => {
  it('the spouse accepts from their own login, confirms today’s dose, and the patient sees 100 % for the day', async () => {
    const care = await makeCare();
    const f = await family(care);
    const plan = (await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'family', patientId: f.spousePersonId }))).body.plan;
    const doseId = doseIdOf(today(), '08:00');

    // Before accepting, the spouse cannot confirm.
    expect((await confirm(f.spouse.token, plan.id, doseId)).status).toBe(404);
    const list = await call(handler, api.medication.supervised, { token: f.spouse.token });
    expect(list.body.invitations.map((p: { id: string }) => p.id)).toEqual([plan.id]);
    expect(list.body.items).toEqual([]);

    const accepted = await call(handler, api.medication.respond, { token: f.spouse.token, params: { planId: plan.id }, body: { accept: true } });
    expect(accepted.body.supervisor.state).toBe('accepted');
    const mine = await call(handler, api.medication.supervised, { token: f.spouse.token });
    expect(mine.body.invitations).toEqual([]);
    expect(mine.body.items[0].today).toMatchObject([{ id: doseId, status: 'scheduled', confirmable: true }]);

    const c = await confirm(f.spouse.token, plan.id, doseId, { method: 'in_person', note: '早饭后服下' });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'taken', confirmedByName: '李秀兰', method: 'in_person', confirmable: false });
    const repeat = await confirm(f.spouse.token, plan.id, doseId);
    expect(repeat.body.status).toBe('taken');

    const seen = await call(handler, api.medication.mine, { token: f.patient.token });
    expect(seen.body.items[0].plan.adherence.today).toEqual({ date: today(), taken: 1, total: 1, percent: 100 });
    expect(seen.body.items[0].plan.adherence.overall.percent).toBe(100);

    // Tomorrow's dose is not confirmable today.
    const early = await confirm(f.spouse.token, plan.id, doseIdOf(addDays(today(), 1), '08:00'));
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('DOSE_CLOSED');
  });

  it('a supervisor cannot confirm doses of a patient not assigned to them', async () => {
    const care = await makeCare();
    const f = await family(care);
    const g = await family(care);
    const planF = (await create(care.doctor.token, planBody(f.patient.patientId, { kind: 'family', patientId: f.spousePersonId }))).body.plan;
    const planG = (await create(care.doctor.token, planBody(g.patient.patientId, { kind: 'staff', userId: care.village.userId }))).body.plan;
    await call(handler, api.medication.respond, { token: f.spouse.token, params: { planId: planF.id }, body: { accept: true } });
    const doseId = doseIdOf(today(), '08:00');

    // F's spouse on G's plan, the village doctor on F's plan, G's spouse (never invited) anywhere.
    expect((await confirm(f.spouse.token, planG.id, doseId)).status).toBe(404);
    expect((await confirm(care.village.token, planF.id, doseId)).status).toBe(404);
    expect((await confirm(g.spouse.token, planF.id, doseId)).status).toBe(404);
    expect((await call(handler, api.medication.respond, { token: g.spouse.token, params: { planId: planF.id }, body: { accept: true } })).status).toBe(404);
    expect((await call(handler, api.medication.supervisedPlan, { token: f.spouse.token, params: { planId: planG.id } })).status).toBe(404);
    // The patient's account is not the supervisor either.
    expect((await confirm(f.patient.token, planF.id, doseId)).status).toBe(404);
    expect((await store.getDose(planG.id, doseId))!.status).toBe('scheduled');
    expect((await store.getDose(planF.id, doseId))!.status).toBe('scheduled');
  });
});

describe('supervision by a village doctor', () => {
  it('is assigned directly, confirms, and the read of the plan is on the patient’s access log', async () => {
    const care = await makeCare();
    const p = await contracted(care, '赵大山');
    const plan = (await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }))).body.plan;
    const doseId = doseIdOf(today(), '08:00');
    expect((await confirm(care.village.token, plan.id, doseId, { method: 'video' })).body.status).toBe('taken');
    const detail = await call(handler, api.medication.supervisedPlan, { token: care.village.token, params: { planId: plan.id } });
    expect(detail.body.plan.adherence.today.percent).toBe(100);
    const log = await call(records, api.records.accessLog, { token: p.token, params: { patientId: p.patientId } });
    expect(log.body.entries.some((e: { basis?: string }) => e.basis === `supervisor:${plan.id}`)).toBe(true);
    expect((await inbox(care.village.userId)).map((m) => m.template)).toContain('supervisor_invited');
  });

  it('a reported side effect alerts the clinician at once; a photo confirmation needs the photo', async () => {
    const care = await makeCare();
    const p = await contracted(care);
    const plan = (await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }))).body.plan;
    const noPhoto = await confirm(care.village.token, plan.id, doseIdOf(today(), '08:00'), { method: 'photo' });
    expect(noPhoto.body.error.fields[0].path).toBe('body.imageId');
    const prob = await call(handler, api.medication.problem, { token: care.village.token, params: { planId: plan.id }, body: { sideEffects: ['jaundice', 'rash'], note: '眼白发黄两天' } });
    expect(prob.status).toBe(201);
    expect(prob.body).toMatchObject({ reason: 'side_effect', sideEffects: ['jaundice', 'rash'], reportedByName: '王村医' });
    const alerts = await call(handler, api.medication.alerts, { token: care.doctor.token, query: { open: 'true' } });
    expect(alerts.body.items.map((a: { id: string }) => a.id)).toContain(prob.body.id);
    expect((await inbox(care.doctor.userId)).map((m) => m.template)).toContain('medication_alert');
    const ack = await call(handler, api.medication.ackAlert, { token: care.doctor.token, params: { planId: plan.id, alertId: prob.body.id } });
    expect(ack.body.acknowledgedByName).toBe('孙慧');
    const selfReport = await call(handler, api.medication.selfReport, { token: p.token, params: { planId: plan.id, doseId: doseIdOf(today(), '08:00') }, body: { imageId: 'img-x' } });
    expect(selfReport.status).toBe(409);
    expect(selfReport.body.error.code).toBe('SELF_REPORT_NOT_ALLOWED');
  });
});

describe('missed doses and escalation (the end-of-day job, Beijing time)', () => {
  it('an open dose is missed only once its Beijing day is over; two in a row alert the clinician once', async () => {
    const care = await makeCare();
    const p = await contracted(care, '漏服患者');
    const plan = (await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }, { doseTimes: ['20:00'] }))).body.plan;
    const d0 = doseIdOf(today(), '20:00');
    const d1 = doseIdOf(addDays(today(), 1), '20:00');

    await markMissedDoses(at(today(), '23:59:59'));
    expect((await store.getDose(plan.id, d0))!.status).toBe('scheduled');

    await markMissedDoses(at(addDays(today(), 1), '00:00:01'));
    expect((await store.getDose(plan.id, d0))!.status).toBe('missed');
    expect((await store.planAlerts(plan.id)).filter((a) => a.reason === 'missed_doses')).toEqual([]);

    await markMissedDoses(at(addDays(today(), 2), '00:05:00'));
    expect((await store.getDose(plan.id, d1))!.status).toBe('missed');
    const alerts = (await store.planAlerts(plan.id)).filter((a) => a.reason === 'missed_doses');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ misses: 2, alertId: `miss-${addDays(today(), 1)}` });

    await markMissedDoses(at(addDays(today(), 2), '00:20:00'));
    expect((await store.planAlerts(plan.id)).filter((a) => a.reason === 'missed_doses')).toHaveLength(1);
    expect((await inbox(care.doctor.userId)).filter((m) => m.template === 'medication_alert')).toHaveLength(1);
    // A missed dose cannot be confirmed afterwards.
    expect((await store.getDose(plan.id, d0))!.status).toBe('missed');
  });

  it('a taken dose between misses breaks the run: no alert', async () => {
    const care = await makeCare();
    const p = await contracted(care, '按时患者');
    const plan = (await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }, { doseTimes: ['07:00', '19:00'] }))).body.plan;
    // Today: morning taken, evening missed; tomorrow: both missed → 2 in a row only from tomorrow.
    expect((await confirm(care.village.token, plan.id, doseIdOf(today(), '07:00'))).body.status).toBe('taken');
    await markMissedDoses(at(addDays(today(), 1), '00:05:00'));
    expect((await store.getDose(plan.id, doseIdOf(today(), '19:00')))!.status).toBe('missed');
    expect((await store.planAlerts(plan.id)).filter((a) => a.reason === 'missed_doses')).toEqual([]);
  });

  it('a stopped plan’s open doses are not marked missed', async () => {
    const care = await makeCare();
    const p = await contracted(care);
    const plan = (await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }))).body.plan;
    const stopped = await call(handler, api.medication.stop, { token: care.doctor.token, params: { planId: plan.id }, body: { reason: '转诊至定点医院' } });
    expect(stopped.body.plan).toMatchObject({ status: 'stopped', stoppedReason: '转诊至定点医院' });
    await markMissedDoses(at(addDays(today(), 1), '00:05:00'));
    expect((await store.getDose(plan.id, doseIdOf(today(), '08:00')))!.status).toBe('scheduled');
    // The person may get a new plan.
    expect((await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }))).status).toBe(201);
  });
});

describe('dose reminders', () => {
  it('remind the patient’s account and the supervisor once, shortly before the dose', async () => {
    const care = await makeCare();
    const p = await contracted(care, '提醒患者');
    await create(care.doctor.token, planBody(p.patientId, { kind: 'staff', userId: care.village.userId }, { doseTimes: ['21:30'] }));
    const first = await doseReminders(at(today(), '21:10'));
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    await doseReminders(at(today(), '21:20'));
    expect((await inbox(p.userId)).filter((m) => m.template === 'dose_reminder')).toHaveLength(1);
    expect((await inbox(care.village.userId)).filter((m) => m.template === 'dose_reminder')).toHaveLength(1);
  });
});
