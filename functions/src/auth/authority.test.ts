/**
 * The staff authority model, tried as a member of staff of another organisation would: someone
 * holding every staff role (doctor, nurse, 药师, cashier, dispatcher, admin) — but at another
 * hospital — asks every staff route of the contract about hospital A's data. The list of routes
 * comes from the contract (every route whose `access` names a staff role), so a new staff route
 * cannot skip the rule: it fails here until it has a scenario. Each scenario expects 404/403 (or,
 * for a list, nothing of A's), and checks that nothing changed. The few routes that carry no
 * organisation's data say why (`open`) or act on the caller's own (`own`).
 *
 * Then the rules of the issue in the hospital's words: only a pharmacist of the prescribing
 * organisation reviews, never the prescriber, never a (village) doctor; held lab reports of
 * another organisation are invisible; a report is filed under a person whose name disagrees only
 * with an override and its reason, which is in the person's access log.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGREEMENT_VERSION, addDays, api, localDate, OrgRoles, REGIMEN_PRESETS, routeKey, StaffRoles, toLocalIso, type OrgRole, type RouteDef,
} from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { consentAll } from '#test/people';
import { idNumber, patientAccount } from '#test/fixtures';
import { putUser } from './store';
import { handler as auth } from './handler';
import { handler as records } from '../records/handler';
import { handler as reports } from '../reports/handler';
import { handler as fhir } from '../fhir/handler';
import { handler as catalog } from '../catalog/handler';
import { handler as qr } from '../qr/handler';
import { handler as queue } from '../queue/handler';
import { handler as notifications } from '../notifications/handler';
import { handler as emergency } from '../emergency/handler';
import { handler as devices } from '../devices/handler';
import { handler as visits } from '../visits/handler';
import { handler as payments } from '../payments/handler';
import { handler as care } from '../care/handler';
import { handler as medication } from '../medication/handler';
import { handler as messages } from '../messages/handler';
import { handler as followups } from '../followups/handler';
import { handler as identity } from '../identity/handler';
import { handler as patients } from '../patients/handler';
import { putDepartment, putDoctor, putOrg } from '../catalog/store';
import { getSchedule } from '../catalog/schedule-store';
import { makeSchedule } from '../booking/test-fixtures';
import { getState } from '../queue/store';
import { getKiosk, getUnassigned } from '../devices/store';
import { fhirBundle, fullCheckup, signedHeaders as kioskHeaders } from '../devices/simulator';
import { getVisitRecord } from '../visits/store';
import { getReport } from '../reports/store';
import { CBC, fhirReport, signedHeaders as labHeaders } from '../reports/test-fixtures';
import { getAdmission } from '../payments/admissions-store';
import { getOrder, getRefund, listRefunds } from '../payments/orders-store';
import { admit, createOrder, key, ORG, ownTable, pay, startPaymentsStack, until, type Stack } from '../payments/test-fixtures';
import { getContract, getHomeVisit, getTeam } from '../care/store';
import { contracted, resident, sign } from '../care/test-fixtures';
import { getDose, getPlan } from '../medication/store';
import { messages as threadMessages } from '../messages/store';
import { getEmergency, listStations } from '../emergency/store';
import { getPatient } from '../patients/store';
import { personCode } from '../identity/service';
import { listAudit, listPlatformAudit } from '../records/store';

process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'authority-'));

type Res = Awaited<ReturnType<typeof call>>;
const tag = randomUUID().slice(0, 8);
/** Hospital A: the payments fixtures' hospital (its HIS pushes the admissions). */
const A = ORG;
/** Another hospital, whose staff try A's data. */
const B = `org-elsewhere-${tag}`;
process.env.LAB_SOURCE_ORGS = `city-lis=${A}`;

const refused = (r: Res) => expect([403, 404], `${r.status} ${r.text}`).toContain(r.status);
/** A list answered without anything of A's (the id never appears). */
const without = (r: Res, ...ids: string[]) => {
  expect(r.status, r.text).toBe(200);
  for (const id of ids) expect(r.text).not.toContain(id);
};

interface Staff { userId: string; token: string; name: string }
async function staffOf(orgId: string, roles: OrgRole[], name: string, userId = `u-${roles[0]}-${randomUUID()}`): Promise<Staff> {
  await putUser({ userId, name, roles: [], memberships: [{ orgId, roles }], createdAt: new Date().toISOString() });
  return { userId, name, token: await tokenFor(roles, userId, orgId, name) };
}

/** Everything of hospital A the outsider is after. */
interface World {
  outsider: Staff;
  doctorA: Staff; nurseA: Staff; cashierA: Staff; adminA: Staff; pharmacistA: Staff;
  patient: { userId: string; token: string; patientId: string; idNumber: string };
  deptId: string; doctorId: string;
  reportId: string; heldId: string;
  scheduleId: string; qrCode: string; kioskId: string; pushId: string;
  visitId: string; rxId: string;
  billId: string; orderNo: string; refundNo: string; admissionId: string;
  teamId: string; packageId: string; activeContract: string; pendingContract: string; homeVisitId: string;
  planId: string; doseId: string;
  window: { userId: string; patientId: string; idNumber: string; code: string };
  emergencyId: string;
}
let w: World;
let stack: Stack;

const expectVisitUnchanged = async () => {
  const r = (await getVisitRecord(w.visitId))!;
  expect(r.visit.status).toBe('in_progress');
  expect(r.visit.participants).toHaveLength(3);
  expect([r.notes.length, r.prescriptions.length, r.orders.length]).toEqual([1, 1, 0]);
  expect(r.prescriptions[0].status).toBe('pending_review');
};
const visitCall = (route: RouteDef, body?: unknown) => async () => {
  const r = await call(visits, route, { token: w.outsider.token, params: { visitId: w.visitId }, body, headers: { 'idempotency-key': key() } });
  refused(r);
  await expectVisitUnchanged();
};

interface Scenario {
  /** `open`: the route carries no organisation's data (why); `own`: it acts on the caller's own. Else refused/filtered. */
  kind?: { open: string } | { own: string };
  run(): Promise<void>;
}

const scenarios: Record<string, Scenario> = {
  // ── accounts ──
  [routeKey(api.auth.me)]: {
    kind: { own: 'who the token belongs to' },
    run: async () => {
      const r = await call(auth, api.auth.me, { token: w.outsider.token });
      expect(r.body).toMatchObject({ id: w.outsider.userId, memberships: [{ orgId: B }] });
    },
  },
  [routeKey(api.auth.logoutEverywhere)]: {
    kind: { own: 'the caller’s own sessions' },
    run: async () => {
      expect((await call(auth, api.auth.logoutEverywhere, { token: w.outsider.token, body: { keepThisSession: true } })).status).toBe(200);
      expect((await call(auth, api.auth.me, { token: w.doctorA.token })).status).toBe(200);
    },
  },
  [routeKey(api.notifications.mine)]: {
    kind: { own: 'the messages sent to the caller' },
    run: async () => without(await call(notifications, api.notifications.mine, { token: w.outsider.token }), w.patient.patientId, w.visitId),
  },

  // ── records, reports, FHIR: a consent to hospital A opens nothing to B ──
  [routeKey(api.records.staffRecord)]: {
    run: async () => refused(await call(records, api.records.staffRecord, { token: w.outsider.token, params: { patientId: w.patient.patientId }, query: { purpose: 'treatment' } })),
  },
  [routeKey(api.records.addVerified)]: {
    run: async () => {
      refused(await call(records, api.records.addVerified, { token: w.outsider.token, params: { patientId: w.patient.patientId }, body: { kind: 'allergy', value: '外院录入的过敏' } }));
      const mine = await call(records, api.records.staffRecord, { token: w.doctorA.token, params: { patientId: w.patient.patientId }, query: { purpose: 'treatment' } });
      expect(mine.text).not.toContain('外院录入的过敏');
    },
  },
  [routeKey(api.records.sharedWithMe)]: { run: async () => without(await call(records, api.records.sharedWithMe, { token: w.outsider.token }), w.patient.patientId) },
  [routeKey(api.reports.detail)]: {
    run: async () => refused(await call(reports, api.reports.detail, { token: w.outsider.token, params: { reportId: w.reportId }, query: { patientId: w.patient.patientId, purpose: 'treatment' } })),
  },
  [routeKey(api.reports.staffList)]: {
    run: async () => refused(await call(reports, api.reports.staffList, { token: w.outsider.token, params: { patientId: w.patient.patientId }, query: { purpose: 'treatment' } })),
  },
  [routeKey(api.reports.staffTrend)]: {
    run: async () => refused(await call(reports, api.reports.staffTrend, { token: w.outsider.token, params: { patientId: w.patient.patientId }, query: { purpose: 'treatment', code: '6690-2' } })),
  },
  [routeKey(api.reports.held)]: { run: async () => without(await call(reports, api.reports.held, { token: w.outsider.token }), w.heldId) },
  [routeKey(api.reports.match)]: {
    run: async () => {
      refused(await call(reports, api.reports.match, { token: w.outsider.token, params: { reportId: w.heldId }, body: { idNumber: w.patient.idNumber, nameOverride: { reason: '外院强制归属' } } }));
      expect((await getReport(w.heldId))?.held).toBeDefined();
    },
  },
  [routeKey(api.fhir.everything)]: {
    run: async () => refused(await call(fhir, api.fhir.everything, { token: w.outsider.token, params: { patientId: w.patient.patientId }, query: { purpose: 'treatment' } })),
  },

  // ── schedules, QR codes, the queue ──
  [routeKey(api.catalog.createSchedule)]: {
    run: async () => {
      const date = addDays(localDate(), 3);
      refused(await call(catalog, api.catalog.createSchedule, { token: w.outsider.token, body: { doctorId: w.doctorId, date, session: 'evening', capacity: 5, fee: 0 } }));
      const r = await call(catalog, api.catalog.schedules, { params: { doctorId: w.doctorId }, query: { from: date, to: date } });
      expect(r.body.items).toEqual([]);
    },
  },
  [routeKey(api.catalog.updateSchedule)]: {
    run: async () => {
      refused(await call(catalog, api.catalog.updateSchedule, { token: w.outsider.token, params: { scheduleId: w.scheduleId }, body: { capacity: 99 } }));
      expect((await getSchedule(w.scheduleId, true))?.schedule.capacity).toBe(10);
    },
  },
  [routeKey(api.catalog.stopSession)]: {
    run: async () => {
      refused(await call(catalog, api.catalog.stopSession, { token: w.outsider.token, params: { scheduleId: w.scheduleId }, body: { reason: '外院停诊' } }));
      expect((await getSchedule(w.scheduleId, true))?.schedule.stopped).toBe(false);
    },
  },
  [routeKey(api.qr.list)]: {
    run: async () => {
      without(await call(qr, api.qr.list, { token: w.outsider.token }), w.qrCode);
      without(await call(qr, api.qr.list, { token: w.outsider.token, query: { orgId: A } }), w.qrCode);
    },
  },
  [routeKey(api.qr.create)]: {
    run: async () => {
      const code = `org-${tag}-x`;
      refused(await call(qr, api.qr.create, { token: w.outsider.token, body: { code, label: '外院', target: { kind: 'org', orgId: A } } }));
      expect((await call(qr, api.qr.resolve, { params: { code } })).status).toBe(404);
    },
  },
  [routeKey(api.qr.image)]: { run: async () => refused(await call(qr, api.qr.image, { token: w.outsider.token, params: { code: w.qrCode } })) },
  [routeKey(api.queue.status)]: {
    kind: { open: 'the waiting-room display: numbers only, which every patient may read too' },
    run: async () => {
      const r = await call(queue, api.queue.status, { token: w.outsider.token, params: { scheduleId: w.scheduleId } });
      expect(r.status).toBe(200);
      expect(r.text).not.toContain('patientName');
      expect(r.body.mine).toBeUndefined();
    },
  },
  [routeKey(api.queue.next)]: {
    run: async () => {
      refused(await call(queue, api.queue.next, { token: w.outsider.token, params: { scheduleId: w.scheduleId } }));
      expect((await getState(w.scheduleId)).called).toBe(0);
    },
  },
  [routeKey(api.queue.entries)]: { run: async () => refused(await call(queue, api.queue.entries, { token: w.outsider.token, params: { scheduleId: w.scheduleId } })) },
  [routeKey(api.queue.sessions)]: { run: async () => without(await call(queue, api.queue.sessions, { token: w.outsider.token }), w.scheduleId) },

  // ── emergencies: the 120 centre's dispatchers; rescue points: the platform admin ──
  [routeKey(api.emergency.addStation)]: {
    run: async () => {
      const before = (await listStations()).length;
      const body = { name: `外院救护点-${tag}`, kind: 'rescue', lat: 36.2575, lng: 117.1075, coordSystem: 'gcj02' };
      refused(await call(emergency, api.emergency.addStation, { token: w.outsider.token, body }));
      expect((await listStations()).length).toBe(before);
    },
  },
  // A flood group of the centre's console (the route may be newer than this file's other scenarios).
  'POST /v1/dispatch/floods/{groupId}/dismiss': {
    run: async () => {
      const r = await call(emergency, { method: 'POST', path: '/v1/dispatch/floods/{groupId}/dismiss' }, { token: w.outsider.token, params: { groupId: 'flood-x' }, body: { reason: '外院', upTo: new Date().toISOString() } });
      refused(r);
      expect((await getEmergency(w.emergencyId))?.status).toBe('received');
    },
  },
  [routeKey(api.emergency.list)]: { run: async () => refused(await call(emergency, api.emergency.list, { token: w.outsider.token })) },
  [routeKey(api.emergency.detail)]: { run: async () => refused(await call(emergency, api.emergency.detail, { token: w.outsider.token, params: { emergencyId: w.emergencyId } })) },
  [routeKey(api.emergency.act)]: {
    run: async () => {
      refused(await call(emergency, api.emergency.act, { token: w.outsider.token, params: { emergencyId: w.emergencyId }, body: { action: 'false_alarm', reason: '外院' } }));
      expect((await getEmergency(w.emergencyId))?.status).toBe('received');
    },
  },

  // ── kiosks ──
  [routeKey(api.devices.createKiosk)]: {
    run: async () => {
      const kioskId = `kiosk-${tag}-x`;
      refused(await call(devices, api.devices.createKiosk, { token: w.outsider.token, body: { orgId: A, label: '外院一体机', kioskId } }));
      expect(await getKiosk(kioskId)).toBeUndefined();
    },
  },
  [routeKey(api.devices.listKiosks)]: {
    run: async () => without(await call(devices, api.devices.listKiosks, { token: w.outsider.token, query: { orgId: A } }), w.kioskId),
  },
  [routeKey(api.devices.rotateSecret)]: {
    run: async () => {
      refused(await call(devices, api.devices.rotateSecret, { token: w.outsider.token, params: { kioskId: w.kioskId } }));
      expect((await getKiosk(w.kioskId))?.secrets).toHaveLength(1);
    },
  },
  [routeKey(api.devices.staffReadings)]: {
    run: async () => refused(await call(devices, api.devices.staffReadings, { token: w.outsider.token, params: { patientId: w.patient.patientId }, query: { purpose: 'treatment' } })),
  },
  [routeKey(api.devices.staffAlerts)]: { run: async () => without(await call(devices, api.devices.staffAlerts, { token: w.outsider.token }), w.patient.patientId) },
  [routeKey(api.devices.unassigned)]: { run: async () => without(await call(devices, api.devices.unassigned, { token: w.outsider.token }), w.pushId) },
  [routeKey(api.devices.assign)]: {
    run: async () => {
      refused(await call(devices, api.devices.assign, { token: w.outsider.token, params: { pushId: w.pushId }, body: { idNumber: w.patient.idNumber, name: '孙丽华' } }));
      expect(await getUnassigned(A, w.pushId)).toBeDefined();
    },
  },

  // ── visits: participants only; the review: A's pharmacists only ──
  [routeKey(api.visits.create)]: {
    run: async () => {
      const r = await call(visits, api.visits.create, {
        token: w.outsider.token, headers: { 'idempotency-key': key() },
        body: { patientId: w.patient.patientId, participants: [w.doctorId], reason: '外院发起会诊', scheduledAt: toLocalIso(Date.now() + 600_000) },
      });
      refused(r);
    },
  },
  [routeKey(api.visits.get)]: { run: visitCall(api.visits.get) },
  [routeKey(api.visits.staff)]: { run: async () => without(await call(visits, api.visits.staff, { token: w.outsider.token }), w.visitId) },
  [routeKey(api.visits.join)]: { run: visitCall(api.visits.join) },
  [routeKey(api.visits.end)]: { run: visitCall(api.visits.end) },
  [routeKey(api.visits.cancel)]: { run: visitCall(api.visits.cancel, { reason: '外院取消' }) },
  [routeKey(api.visits.noShow)]: { run: visitCall(api.visits.noShow) },
  [routeKey(api.visits.invite)]: { run: visitCall(api.visits.invite, { doctorId: 'doc-outsider-' + tag }) },
  [routeKey(api.visits.roomTicket)]: { run: visitCall(api.visits.roomTicket) },
  [routeKey(api.visits.patientSummary)]: { run: visitCall(api.visits.patientSummary) },
  [routeKey(api.visits.addNote)]: { run: visitCall(api.visits.addNote, { findings: '外院书写' }) },
  [routeKey(api.visits.prescribe)]: {
    run: visitCall(api.visits.prescribe, { diagnosis: '高血压', items: [{ drug: 'amlodipine-5', dose: '5mg', route: 'oral', frequency: 'qd', days: 7, quantity: 1 }] }),
  },
  [routeKey(api.visits.order)]: { run: visitCall(api.visits.order, { tests: ['cbc'] }) },
  [routeKey(api.visits.review)]: {
    run: async () => {
      refused(await call(visits, api.visits.review, { token: w.outsider.token, params: { visitId: w.visitId, rxId: w.rxId }, body: { decision: 'approve' } }));
      await expectVisitUnchanged();
    },
  },
  [routeKey(api.visits.reviewQueue)]: { run: async () => without(await call(visits, api.visits.reviewQueue, { token: w.outsider.token }), w.rxId, w.patient.patientId) },
  [routeKey(api.visits.invitable)]: {
    kind: { open: 'the directory of doctors who take consultations (names, titles, hospitals), open to every doctor by design' },
    run: async () => {
      const r = await call(visits, api.visits.invitable, { token: w.outsider.token });
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(w.patient.patientId);
    },
  },

  // ── payments ──
  [routeKey(api.payments.get)]: { run: async () => refused(await call(payments, api.payments.get, { token: w.outsider.token, params: { orderNo: w.orderNo } })) },
  [routeKey(api.payments.refund)]: {
    run: async () => {
      const before = (await getOrder(w.orderNo))!.refundable;
      refused(await call(payments, api.payments.refund, { token: w.outsider.token, params: { orderNo: w.orderNo }, body: { amount: 100, reason: '外院退款' }, headers: { 'idempotency-key': key() } }));
      expect((await getOrder(w.orderNo))!.refundable).toBe(before);
      expect(await listRefunds(w.orderNo)).toHaveLength(1);
    },
  },
  [routeKey(api.payments.failedRefunds)]: { run: async () => without(await call(payments, api.payments.failedRefunds, { token: w.outsider.token }), w.refundNo, w.orderNo) },
  [routeKey(api.payments.reissueRefund)]: {
    run: async () => {
      refused(await call(payments, api.payments.reissueRefund, { token: w.outsider.token, params: { refundNo: w.refundNo }, body: {}, headers: { 'idempotency-key': key() } }));
      expect(await getRefund(w.orderNo, w.refundNo)).toMatchObject({ status: 'failed' });
      expect((await getRefund(w.orderNo, w.refundNo))?.reissuedAs).toBeUndefined();
    },
  },
  [routeKey(api.payments.createBill)]: {
    run: async () => {
      refused(await call(payments, api.payments.createBill, {
        token: w.outsider.token, headers: { 'idempotency-key': key() },
        body: { orgId: A, idNumber: w.patient.idNumber, patientName: '孙丽华', deptName: '外院', items: [{ name: '外院收费', quantity: 1, unitPrice: 100 }] },
      }));
      const mine = await call(payments, api.payments.myBills, { token: w.patient.token, query: { patientId: w.patient.patientId, status: 'all' } });
      expect(mine.text).not.toContain('外院收费');
    },
  },
  [routeKey(api.payments.admission)]: { run: async () => refused(await call(payments, api.payments.admission, { token: w.outsider.token, params: { admissionId: w.admissionId } })) },
  [routeKey(api.payments.staffAdmissions)]: { run: async () => without(await call(payments, api.payments.staffAdmissions, { token: w.outsider.token }), w.admissionId) },
  [routeKey(api.payments.postCharges)]: {
    run: async () => {
      const before = (await getAdmission(w.admissionId))!;
      refused(await call(payments, api.payments.postCharges, { token: w.outsider.token, params: { admissionId: w.admissionId }, body: { charges: [{ description: '外院记账', amount: 100 }] }, headers: { 'idempotency-key': key() } }));
      expect((await getAdmission(w.admissionId))!.balance).toBe(before.balance);
    },
  },
  [routeKey(api.payments.settle)]: {
    run: async () => {
      refused(await call(payments, api.payments.settle, { token: w.outsider.token, params: { admissionId: w.admissionId }, body: { charges: [] }, headers: { 'idempotency-key': key() } }));
      expect((await getAdmission(w.admissionId))!.status).toBe('active');
    },
  },
  [routeKey(api.payments.reconciliation)]: { run: async () => refused(await call(payments, api.payments.reconciliation, { token: w.outsider.token, params: { date: localDate() } })) },
  [routeKey(api.payments.reconcile)]: { run: async () => refused(await call(payments, api.payments.reconcile, { token: w.outsider.token, params: { date: localDate() } })) },

  // ── family-doctor teams and contracts ──
  [routeKey(api.care.adminTeams)]: { run: async () => without(await call(care, api.care.adminTeams, { token: w.outsider.token }), w.teamId) },
  [routeKey(api.care.createTeam)]: {
    run: async () => {
      const name = `外院团队-${tag}`;
      refused(await call(care, api.care.createTeam, { token: w.outsider.token, body: { orgId: A, name, members: [{ name: '外院医生', role: 'doctor', title: '', phone: '13800000009' }] } }));
      expect((await call(care, api.care.adminTeams, { token: w.adminA.token })).text).not.toContain(name);
    },
  },
  [routeKey(api.care.updateTeam)]: {
    run: async () => {
      refused(await call(care, api.care.updateTeam, { token: w.outsider.token, params: { teamId: w.teamId }, body: { orgId: B, name: '被改名', members: [{ name: '外院医生', role: 'doctor', title: '', phone: '13800000009' }] } }));
      expect((await getTeam(w.teamId))?.name).toBe('测试家庭医生团队');
    },
  },
  [routeKey(api.care.adminPackages)]: { run: async () => without(await call(care, api.care.adminPackages, { token: w.outsider.token }), w.packageId) },
  [routeKey(api.care.createPackage)]: {
    run: async () => refused(await call(care, api.care.createPackage, { token: w.outsider.token, body: { orgId: A, name: '外院服务包', kind: 'basic', services: [{ name: 'x', detail: 'y' }], priceFen: 0 } })),
  },
  [routeKey(api.care.updatePackage)]: {
    run: async () => refused(await call(care, api.care.updatePackage, { token: w.outsider.token, params: { packageId: w.packageId }, body: { orgId: B, name: '被改', kind: 'basic', services: [{ name: 'x', detail: 'y' }], priceFen: 0 } })),
  },
  [routeKey(api.care.staffList)]: { run: async () => without(await call(care, api.care.staffList, { token: w.outsider.token }), w.activeContract, w.pendingContract) },
  [routeKey(api.care.staffGet)]: { run: async () => refused(await call(care, api.care.staffGet, { token: w.outsider.token, params: { contractId: w.activeContract } })) },
  [routeKey(api.care.decide)]: {
    run: async () => {
      refused(await call(care, api.care.decide, { token: w.outsider.token, params: { contractId: w.pendingContract }, body: { decision: 'approve' } }));
      expect((await getContract(w.pendingContract))?.status).toBe('pending');
    },
  },
  [routeKey(api.care.terminate)]: {
    run: async () => {
      refused(await call(care, api.care.terminate, { token: w.outsider.token, params: { contractId: w.activeContract }, body: { reason: '外院解约' } }));
      expect((await getContract(w.activeContract))?.status).toBe('active');
    },
  },
  [routeKey(api.care.myTeams)]: { run: async () => without(await call(care, api.care.myTeams, { token: w.outsider.token }), w.teamId) },
  [routeKey(api.care.staffHomeVisits)]: { run: async () => without(await call(care, api.care.staffHomeVisits, { token: w.outsider.token }), w.homeVisitId) },
  [routeKey(api.care.decideHomeVisit)]: {
    run: async () => {
      refused(await call(care, api.care.decideHomeVisit, { token: w.outsider.token, params: { visitId: w.homeVisitId }, body: { decision: 'decline', note: '外院' } }));
      expect((await getHomeVisit(w.homeVisitId))?.status).toBe('requested');
    },
  },

  // ── medication plans and their supervision ──
  [routeKey(api.medication.create)]: {
    run: async () => {
      const TB = REGIMEN_PRESETS[0];
      refused(await call(medication, api.medication.create, {
        token: w.outsider.token, headers: { 'idempotency-key': key() },
        body: { patientId: w.patient.patientId, diagnosis: '外院', regimen: { code: TB.code, phases: TB.phases }, doseTimes: ['09:00'], startDate: localDate(), supervisor: { kind: 'staff', userId: w.outsider.userId } },
      }));
    },
  },
  [routeKey(api.medication.candidates)]: { run: async () => refused(await call(medication, api.medication.candidates, { token: w.outsider.token, query: { patientId: w.patient.patientId } })) },
  [routeKey(api.medication.staffList)]: { run: async () => without(await call(medication, api.medication.staffList, { token: w.outsider.token }), w.planId) },
  [routeKey(api.medication.staffGet)]: { run: async () => refused(await call(medication, api.medication.staffGet, { token: w.outsider.token, params: { planId: w.planId } })) },
  [routeKey(api.medication.stop)]: {
    run: async () => {
      refused(await call(medication, api.medication.stop, { token: w.outsider.token, params: { planId: w.planId }, body: { reason: '外院停止' } }));
      expect((await getPlan(w.planId))?.status).toBe('active');
    },
  },
  [routeKey(api.medication.alerts)]: { run: async () => without(await call(medication, api.medication.alerts, { token: w.outsider.token }), w.planId) },
  [routeKey(api.medication.ackAlert)]: { run: async () => refused(await call(medication, api.medication.ackAlert, { token: w.outsider.token, params: { planId: w.planId, alertId: 'al-x' } })) },
  [routeKey(api.medication.supervised)]: { run: async () => without(await call(medication, api.medication.supervised, { token: w.outsider.token }), w.planId) },
  [routeKey(api.medication.supervisedPlan)]: { run: async () => refused(await call(medication, api.medication.supervisedPlan, { token: w.outsider.token, params: { planId: w.planId } })) },
  [routeKey(api.medication.confirm)]: {
    run: async () => {
      refused(await call(medication, api.medication.confirm, { token: w.outsider.token, params: { planId: w.planId, doseId: w.doseId }, body: { method: 'in_person' }, headers: { 'idempotency-key': key() } }));
      expect((await getDose(w.planId, w.doseId))?.status).toBe('scheduled');
    },
  },
  [routeKey(api.medication.problem)]: {
    run: async () => refused(await call(medication, api.medication.problem, { token: w.outsider.token, params: { planId: w.planId }, body: { sideEffects: ['rash'] }, headers: { 'idempotency-key': key() } })),
  },

  // ── messages and follow-ups of a contract ──
  [routeKey(api.messages.uploadImage)]: {
    kind: { own: 'an image belongs to its uploader; it names no organisation or person' },
    run: async () => {
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      const r = await call(messages, api.messages.uploadImage, { token: w.outsider.token, rawBody: JSON.stringify({ contentType: 'image/png', dataBase64: png }) });
      expect(r.status, r.text).toBeLessThan(500);
    },
  },
  [routeKey(api.messages.staffThreads)]: { run: async () => without(await call(messages, api.messages.staffThreads, { token: w.outsider.token }), w.activeContract) },
  [routeKey(api.messages.staffThread)]: { run: async () => refused(await call(messages, api.messages.staffThread, { token: w.outsider.token, params: { contractId: w.activeContract } })) },
  [routeKey(api.messages.staffPost)]: {
    run: async () => {
      refused(await call(messages, api.messages.staffPost, { token: w.outsider.token, params: { contractId: w.activeContract }, body: { text: '外院留言' }, headers: { 'idempotency-key': key() } }));
      expect((await threadMessages(w.activeContract, 50)).items.map((m) => m.text)).not.toContain('外院留言');
    },
  },
  [routeKey(api.messages.staffRead)]: { run: async () => refused(await call(messages, api.messages.staffRead, { token: w.outsider.token, params: { contractId: w.activeContract } })) },
  [routeKey(api.followups.due)]: { run: async () => without(await call(followups, api.followups.due, { token: w.outsider.token, query: { all: 'true' } }), w.activeContract) },
  [routeKey(api.followups.record)]: {
    run: async () => {
      refused(await call(followups, api.followups.record, {
        token: w.outsider.token, headers: { 'idempotency-key': key() },
        body: { contractId: w.activeContract, condition: 'hypertension', date: localDate(), method: 'phone', systolic: 130, diastolic: 80, medicationAdherence: 'regular', assessment: 'controlled' },
      }));
      const h = await call(followups, api.followups.history, { token: w.doctorA.token, params: { contractId: w.activeContract } });
      expect(h.body.items).toEqual([]);
    },
  },
  [routeKey(api.followups.history)]: { run: async () => refused(await call(followups, api.followups.history, { token: w.outsider.token, params: { contractId: w.activeContract } })) },

  // ── 实名认证 at a window ──
  [routeKey(api.identity.staffLookup)]: {
    kind: { open: 'the person shows their one-time code at a window of any hospital; staff of no organisation are refused' },
    run: async () => {
      const r = await call(identity, api.identity.staffLookup, { token: w.outsider.token, params: { code: w.window.code } });
      expect(r.status, r.text).toBe(200);
      expect(r.text).not.toContain(w.window.idNumber);
      const nobody = await tokenFor(['nurse']);
      expect((await call(identity, api.identity.staffLookup, { token: nobody, params: { code: w.window.code } })).status).toBe(403);
    },
  },
  [routeKey(api.identity.staffVerify)]: {
    run: async () => {
      refused(await call(identity, api.identity.staffVerify, { token: w.outsider.token, body: { code: w.window.code, idNumber: w.window.idNumber, place: 'A院窗口', orgId: A } }));
      expect((await getPatient(w.window.patientId))?.verification.state).toBe('unverified');
    },
  },
  [routeKey(api.identity.staffFlags)]: {
    run: async () => {
      // An organisation's admin is not the platform's: refused, and nothing is audited for them.
      refused(await call(identity, api.identity.staffFlags, { token: w.outsider.token }));
      expect((await listPlatformAudit(50)).some((a) => a.actorId === w.outsider.userId)).toBe(false);
    },
  },
};

const isStaffRoute = (d: RouteDef) => Array.isArray(d.access) && d.access.some((r) => (StaffRoles as readonly string[]).includes(r));
const staffRoutes = Object.values(api).flatMap((routes) => Object.values(routes as Record<string, RouteDef>)).filter(isStaffRoute);

describe('the contract: every staff route has a cross-organisation scenario', () => {
  it('no staff route is missing one (add it here with the route)', () => {
    expect(staffRoutes.map(routeKey).filter((k) => !scenarios[k])).toEqual([]);
    expect(staffRoutes.length).toBeGreaterThanOrEqual(90);
  });
});

beforeAll(async () => {
  await ownTable('authority');
  stack = await startPaymentsStack();
  w = await world();
}, 120_000);
afterAll(async () => stack?.close());

describe.each(staffRoutes.map((d) => [routeKey(d), d] as const))('%s', (k) => {
  it('staff of another organisation (every role there) get 404/403 or a list without this hospital’s, and nothing changes', async () => {
    const s = scenarios[k];
    if (!s) throw new Error(`no scenario for ${k}`);
    await s.run();
  });
});

// ── the rules of the issue ─────────────────────────────────────────────────────────────────

describe('prescription review (审方)', () => {
  const review = (token: string, decision: 'approve' | 'reject' = 'approve') =>
    call(visits, api.visits.review, { token, params: { visitId: w.visitId, rxId: w.rxId }, body: decision === 'approve' ? { decision } : { decision, note: '剂量过大' } });

  it('doctors do not review — not of the hospital, not a village doctor of the community — only pharmacists', async () => {
    const villageDoctor = await staffOf(`org-village-${tag}`, ['doctor'], '王村医');
    for (const t of [w.doctorA.token, villageDoctor.token, await tokenFor(['doctor', 'nurse', 'admin', 'cashier'], undefined, A)]) {
      const r = await review(t);
      expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await call(visits, api.visits.reviewQueue, { token: t })).status).toBe(403);
    }
    await expectVisitUnchanged();
  });

  it('a pharmacist of another hospital neither sees nor reviews it (404)', async () => {
    const elsewhere = await staffOf(B, ['pharmacist'], '外院药师');
    expect((await call(visits, api.visits.reviewQueue, { token: elsewhere.token })).text).not.toContain(w.rxId);
    expect((await review(elsewhere.token)).status).toBe(404);
    await expectVisitUnchanged();
  });

  it('the prescriber cannot review it, not even as a pharmacist there; their queue leaves it out', async () => {
    const both = await tokenFor(['doctor', 'pharmacist'], w.doctorA.userId, [{ orgId: A, roles: ['doctor', 'pharmacist'] }], w.doctorA.name);
    expect((await call(visits, api.visits.reviewQueue, { token: both })).text).not.toContain(w.rxId);
    const r = await review(both);
    expect([r.status, r.body.error.code]).toEqual([403, 'OWN_PRESCRIPTION']);
    await expectVisitUnchanged();
  });

  it('a pharmacist of the prescribing hospital sees it in the queue (what the API returns is all the page shows)', async () => {
    const q = await call(visits, api.visits.reviewQueue, { token: w.pharmacistA.token });
    expect(q.body.items.map((x: { id: string }) => x.id)).toContain(w.rxId);
    expect(q.body.items.every((x: { authorName: string }) => typeof x.authorName === 'string')).toBe(true);
  });
});

describe('consultations: the host ends, specialists leave', () => {
  it('an invited specialist cannot end, cancel or mark a no-show (HOST_ONLY); the host can end it', async () => {
    const specialist = (await getVisitRecord(w.visitId))!.visit.participants.find((p) => p.role === 'specialist')!;
    const token = await tokenFor(['doctor'], specialist.userId, A);
    for (const route of [api.visits.end, api.visits.cancel, api.visits.noShow]) {
      const r = await call(visits, route, { token, params: { visitId: w.visitId }, body: { reason: '专家想结束' } });
      expect([r.status, r.body.error.code]).toEqual([403, 'HOST_ONLY']);
    }
    await expectVisitUnchanged();
  });
});

describe('held lab reports (化验报告待认领)', () => {
  const heldOf = async (name: string, idNo?: string) => {
    const body = JSON.stringify(fhirReport({ identifier: `LAB-${randomUUID().slice(0, 8)}`, ...(idNo ? { idNumber: idNo } : {}), family: name[0], given: name.slice(1), issued: '2025-06-08T10:20:00+08:00', values: CBC }));
    const r = await call(reports, api.reports.ingest, { rawBody: body, headers: labHeaders(body) });
    expect(r.body.reports[0].held, r.text).toBe(true);
    return r.body.reports[0].reportId as string;
  };

  it('are listed only for the lab desk of the receiving hospital', async () => {
    const id = await heldOf('周某某');
    expect((await call(reports, api.reports.held, { token: w.nurseA.token })).body.items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await call(reports, api.reports.held, { token: await tokenFor(['nurse', 'doctor', 'admin'], undefined, B) })).text).not.toContain(id);
    expect((await call(reports, api.reports.held, { token: await tokenFor(['nurse']) })).body.items).toEqual([]);
  });

  it('a name that disagrees with the person is refused without an override (409 NAME_MISMATCH, refused in the access log), the report stays held', async () => {
    const id = await heldOf('钱某某', w.patient.idNumber);
    const r = await call(reports, api.reports.match, { token: w.nurseA.token, params: { reportId: id }, body: { idNumber: w.patient.idNumber } });
    expect([r.status, r.body.error.code, r.body.error.fields[0].path]).toEqual([409, 'NAME_MISMATCH', 'body.nameOverride']);
    expect(r.text).not.toContain('孙丽华');
    expect((await getReport(id))?.held).toBeDefined();
    const log = (await listAudit(w.patient.patientId)).filter((a) => a.resource === `report:${id}`);
    expect(log).toEqual([expect.objectContaining({ outcome: 'refused', basis: 'name_mismatch', actorId: w.nurseA.userId, purpose: 'report_match' })]);
    // An override needs a reason of substance.
    const empty = await call(reports, api.reports.match, { token: w.nurseA.token, params: { reportId: id }, body: { idNumber: w.patient.idNumber, nameOverride: { reason: ' ' } } });
    expect([empty.status, empty.body.error.fields[0].path]).toEqual([400, 'body.nameOverride.reason']);
  });

  it('an override with its reason files it, and the person’s access log says who, why and when', async () => {
    const id = await heldOf('孙莉华', w.patient.idNumber);
    const reason = '检验科录入错字（莉/丽），已核对身份证原件';
    const r = await call(reports, api.reports.match, { token: w.nurseA.token, params: { reportId: id }, body: { idNumber: w.patient.idNumber, nameOverride: { reason } } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ reportId: id, matched: true, name: 'overridden' });
    const mine = await call(reports, api.reports.mine, { token: w.patient.token, query: { patientId: w.patient.patientId } });
    expect(mine.body.items.map((x: { id: string }) => x.id)).toContain(id);
    const log = (await listAudit(w.patient.patientId)).filter((a) => a.resource === `report:${id}`);
    expect(log).toEqual([expect.objectContaining({ outcome: 'allowed', basis: `name_override:${reason}`, actorId: w.nurseA.userId, actorName: w.nurseA.name })]);
    const shown = await call(records, api.records.accessLog, { token: w.patient.token, params: { patientId: w.patient.patientId } });
    expect(shown.text).toContain(reason);
  });

  it('when the names agree no override is needed (and the match is in the log too)', async () => {
    // No ID number on it (held), the name the person's: matching by the number needs no override.
    const id = await heldOf('孙丽华');
    const r = await call(reports, api.reports.match, { token: w.nurseA.token, params: { reportId: id }, body: { idNumber: w.patient.idNumber } });
    expect(r.body).toEqual({ reportId: id, matched: true, name: 'agrees' });
    expect((await listAudit(w.patient.patientId)).filter((a) => a.resource === `report:${id}`)).toEqual([expect.objectContaining({ outcome: 'allowed', basis: 'name_agrees' })]);
  });
});

describe('platform admin (平台管理员)', () => {
  it('belongs to no organisation: refused on an organisation’s data; each of its own requests is audited', async () => {
    const platformId = `u-platform-${randomUUID()}`;
    const token = await tokenFor(['platform_admin'], platformId, undefined, '平台运维');
    expect((await call(identity, api.identity.staffFlags, { token })).status).toBe(200);
    const station = await call(emergency, api.emergency.addStation, { token, body: { name: `平台救护点-${tag}`, kind: 'rescue', lat: 36.25, lng: 117.1, coordSystem: 'wgs84' } });
    expect(station.status, station.text).toBe(201);
    expect((await listPlatformAudit(50)).filter((a) => a.actorId === platformId).map((a) => a.action).sort()).toEqual(['emergency.addStation', 'identity.staffFlags']);
    expect((await call(reports, api.reports.held, { token })).status).toBe(403);
    expect((await call(qr, api.qr.list, { token })).status).toBe(403);
  });

  it('demo-admin is an admin of its organisations only', async () => {
    const { DEMO_USERS } = await import('../../../scripts/seed');
    const admin = DEMO_USERS.find((u) => u.userId === 'demo-admin')!;
    expect(admin.roles).not.toContain('platform_admin');
    expect(admin.memberships?.length).toBeGreaterThan(0);
    for (const m of admin.memberships ?? []) expect(m.roles).toEqual(['admin']);
  });
});

// ── the world ──────────────────────────────────────────────────────────────────────────────

async function world(): Promise<World> {
  const geo = { gcj02: { lat: 36.2, lng: 117.1 }, wgs84: { lat: 36.2, lng: 117.1 } };
  await putOrg({ id: A, name: '泰安市中心医院', kind: 'hospital', level: '三级甲等', address: '泰安市', phone: '0538-0000001', intro: '', order: 1, location: geo });
  await putOrg({ id: B, name: '外院', kind: 'hospital', level: '二级', address: '济南市', phone: '0531-0000001', intro: '', order: 2, location: geo });
  const deptId = `dept-${tag}`;
  await putDepartment({ id: deptId, orgId: A, name: '心血管内科', intro: '', floor: '2层', order: 1 });

  const doctorA = await staffOf(A, ['doctor'], '李明华');
  const specialistA = await staffOf(A, ['doctor'], '王丽');
  const nurseA = await staffOf(A, ['nurse'], '陈静');
  const cashierA = await staffOf(A, ['cashier'], '刘芳');
  const adminA = await staffOf(A, ['admin'], '信息科');
  const pharmacistA = await staffOf(A, ['pharmacist'], '吴敏 药师');
  const doctorId = `doc-a-${tag}`;
  await putDoctor({ id: doctorId, userId: doctorA.userId, orgId: A, deptId, name: '李明华', title: '主任医师', specialty: '心内科', intro: '', fee: 0, order: 1 });
  const specialistDoc = `doc-a2-${tag}`;
  await putDoctor({ id: specialistDoc, userId: specialistA.userId, orgId: A, deptId, name: '王丽', title: '副主任医师', specialty: '心内科', intro: '', fee: 0, order: 2 });

  // The outsider: every staff role, at hospital B (and a catalog doctor there, so a consultation fails on consent, not on identity).
  const outsiderId = `u-outsider-${tag}`;
  await putUser({ userId: outsiderId, name: '外院职工', roles: [], memberships: [{ orgId: B, roles: [...OrgRoles] }], createdAt: new Date().toISOString() });
  await putDoctor({ id: `doc-b-${tag}`, userId: outsiderId, orgId: B, deptId: `dept-b-${tag}`, name: '外院医生', title: '主治医师', specialty: '', intro: '', fee: 0, order: 1 });
  const outsider = { userId: outsiderId, name: '外院职工', token: await tokenFor([...OrgRoles], outsiderId, [{ orgId: B, roles: [...OrgRoles] }], '外院职工') };

  // A patient of A who consented to A (treatment, consultation, follow-up).
  const patient = await patientAccount('孙丽华');
  for (const purpose of ['treatment', 'consultation', 'follow_up'] as const) {
    const g = await call(records, api.records.grantConsent, { token: patient.token, body: { patientId: patient.patientId, grantee: { type: 'org', id: A }, purpose, scopes: ['record', 'reports', 'readings'], days: 30 } });
    expect(g.status, g.text).toBe(201);
  }

  // Reports: one filed under the patient, one held at A's lab desk.
  const lab = async (o: { idNumber?: string; name: string }) => {
    const body = JSON.stringify(fhirReport({ identifier: `LAB-${randomUUID().slice(0, 8)}`, ...(o.idNumber ? { idNumber: o.idNumber } : {}), family: o.name[0], given: o.name.slice(1), issued: '2025-06-08T10:20:00+08:00', values: CBC }));
    const r = await call(reports, api.reports.ingest, { rawBody: body, headers: labHeaders(body) });
    expect(r.status, r.text).toBe(202);
    return r.body.reports[0].reportId as string;
  };
  const reportId = await lab({ idNumber: patient.idNumber, name: '孙丽华' });
  const heldId = await lab({ name: '无名氏' });

  // A session of A's doctor today, a QR code and a kiosk of A with a push nobody is bound to, and an alert of A.
  const s = await makeSchedule({ orgId: A, deptId, doctorId });
  const qrCode = `org-${tag}`;
  expect((await call(qr, api.qr.create, { token: adminA.token, body: { code: qrCode, label: 'A院门诊大厅', target: { kind: 'org', orgId: A } } })).status).toBe(201);
  const k = await call(devices, api.devices.createKiosk, { token: adminA.token, body: { orgId: A, label: 'A院一体机', kioskId: `kiosk-${tag}` } });
  expect(k.status, k.text).toBe(201);
  const kioskPush = async (readings: ReturnType<typeof fullCheckup>) => {
    const raw = JSON.stringify(fhirBundle(readings, { kioskId: k.body.kiosk.id }));
    const r = await call(devices, api.devices.ingest, { rawBody: raw, headers: kioskHeaders(k.body.kiosk.id, k.body.secret.value, raw) });
    expect(r.status, r.text).toBe(202);
  };
  await kioskPush(fullCheckup({ sys: 182, dia: 95 }));
  const [alerting] = (await call(devices, api.devices.unassigned, { token: nurseA.token })).body.items;
  expect((await call(devices, api.devices.assign, { token: nurseA.token, params: { pushId: alerting.id }, body: { idNumber: patient.idNumber, name: '孙丽华' } })).status).toBe(200);
  await kioskPush(fullCheckup());
  const [waiting] = (await call(devices, api.devices.unassigned, { token: nurseA.token })).body.items;
  expect((await call(devices, api.devices.staffAlerts, { token: nurseA.token })).text).toContain(patient.patientId);

  // A consultation of A under way, with a note and a prescription waiting for A's pharmacists.
  const v = await call(visits, api.visits.create, {
    token: doctorA.token, headers: { 'idempotency-key': key() },
    body: { patientId: patient.patientId, participants: [specialistDoc], reason: '胸闷气短', scheduledAt: toLocalIso(Date.now()), durationMinutes: 60 },
  });
  expect(v.status, v.text).toBe(201);
  const visitId = v.body.id as string;
  expect((await call(visits, api.visits.join, { token: doctorA.token, params: { visitId } })).status).toBe(200);
  expect((await call(visits, api.visits.addNote, { token: doctorA.token, params: { visitId }, body: { findings: '血压 170/100' }, headers: { 'idempotency-key': key() } })).status).toBe(201);
  const rx = await call(visits, api.visits.prescribe, {
    token: doctorA.token, headers: { 'idempotency-key': key() }, params: { visitId },
    body: { diagnosis: '高血压2级', items: [{ drug: 'amlodipine-5', dose: '5mg', route: 'oral', frequency: 'qd', days: 14, quantity: 2 }] },
  });
  expect(rx.status, rx.text).toBe(201);

  // Payments of A: an admission, a bill paid by the family, and a refund the provider refused.
  const admissionId = await admit(patient.idNumber);
  const bill = await call(payments, api.payments.createBill, {
    token: cashierA.token, headers: { 'idempotency-key': key() },
    body: { idNumber: patient.idNumber, patientName: '孙丽华', deptName: '药房', items: [{ name: '药品', quantity: 1, unitPrice: 10_000 }] },
  });
  expect(bill.status, bill.text).toBe(201);
  const order = await createOrder(patient.token, { purpose: 'bill', refId: bill.body.id, channel: 'wechat' });
  expect(order.status, order.text).toBe(201);
  const orderNo = order.body.orderNo as string;
  await pay(stack, 'wechat', orderNo);
  await until(async () => (await getOrder(orderNo))?.status === 'paid');
  const blockNo = `BLOCK-${orderNo}`;
  stack.wechat.state.refunds.set(blockNo, { refundId: 'blocked', outRefundNo: blockNo, outTradeNo: orderNo, refundFen: 10_000, notifyUrl: '', status: 'PROCESSING', createdAt: new Date() });
  const refund = await call(payments, api.payments.refund, { token: cashierA.token, params: { orderNo }, body: { amount: 4_000, reason: '退药' }, headers: { 'idempotency-key': key() } });
  expect(refund.status, refund.text).toBe(201);
  const [failed] = await listRefunds(orderNo);
  expect(failed.status).toBe('failed');

  // A family-doctor team of A with an active and a pending contract, a message, a home-visit request.
  const team = await call(care, api.care.createTeam, {
    token: adminA.token,
    body: { orgId: A, name: '测试家庭医生团队', members: [{ userId: doctorA.userId, name: doctorA.name, role: 'doctor', title: '', phone: '13800000001' }, { userId: nurseA.userId, name: nurseA.name, role: 'nurse', title: '', phone: '13800000002' }] },
  });
  expect(team.status, team.text).toBe(201);
  const pkg = await call(care, api.care.createPackage, { token: adminA.token, body: { orgId: A, name: '基础服务包', kind: 'basic', services: [{ name: '健康评估', detail: '每年一次' }], priceFen: 0 } });
  expect(pkg.status, pkg.text).toBe(201);
  const careTeam = { teamId: team.body.id, packageId: pkg.body.id, doctor: doctorA } as unknown as Parameters<typeof contracted>[0];
  const active = await contracted(careTeam, '赵大明', ['hypertension']);
  const waitingResident = await resident('钱小红');
  const pending = await sign(careTeam, waitingResident.token, waitingResident.patientId);
  expect(pending.status, pending.text).toBe(201);
  expect((await call(messages, api.messages.post, { token: active.token, params: { contractId: active.contractId }, body: { text: '医生您好' }, headers: { 'idempotency-key': key() } })).status).toBe(201);
  const hv = await call(care, api.care.requestHomeVisit, {
    token: active.token, params: { contractId: active.contractId }, headers: { 'idempotency-key': key() },
    body: { reason: '行动不便，需上门量血压', preferredDate: addDays(localDate(), 2), slot: 'am', address: '财源街道1号', phone: '13800138000' },
  });
  expect(hv.status, hv.text).toBe(201);

  // A medication plan of A's doctor for the patient, supervised by A's nurse.
  const TB = REGIMEN_PRESETS[0];
  const plan = await call(medication, api.medication.create, {
    token: doctorA.token, headers: { 'idempotency-key': key() },
    body: { patientId: patient.patientId, diagnosis: '继发性肺结核 初治', regimen: { code: TB.code, phases: TB.phases }, doseTimes: ['23:59'], startDate: localDate(), supervisor: { kind: 'staff', userId: nurseA.userId } },
  });
  expect(plan.status, plan.text).toBe(201);
  const doseId = plan.body.doses[0].id as string;

  // A person waiting at a window of A with their one-time code (unverified).
  const windowUser = `u_${randomUUID()}`;
  await consentAll(windowUser);
  const idNo = idNumber();
  const person = await call(patients, api.patients.create, { token: await tokenFor(['patient'], windowUser), body: { name: '郑老伯', relation: 'self', phone: '13900001111', idNumber: idNo }, headers: { 'idempotency-key': key() } });
  expect(person.status, person.text).toBe(201);
  const code = (await personCode(windowUser, person.body.id)).code;

  // An SOS on the mountain, for the 120 centre.
  const sos = await call(emergency, api.emergency.create, { body: { phone: '13912345678', place: '红门售票处' }, headers: { 'idempotency-key': key() } });
  expect(sos.status, sos.text).toBe(201);

  return {
    outsider, doctorA, nurseA, cashierA, adminA, pharmacistA, patient, deptId, doctorId,
    reportId, heldId, scheduleId: s.id, qrCode, kioskId: k.body.kiosk.id, pushId: waiting.id,
    visitId, rxId: rx.body.id, billId: bill.body.id, orderNo, refundNo: failed.refundNo, admissionId,
    teamId: team.body.id, packageId: pkg.body.id, activeContract: active.contractId, pendingContract: pending.body.id, homeVisitId: hv.body.id,
    planId: plan.body.plan.id, doseId,
    window: { userId: windowUser, patientId: person.body.id, idNumber: idNo, code },
    emergencyId: sos.body.id,
  };
}
