/**
 * Every page of the app, by name, with the parameters it takes. `navigate('booking', { qr })`
 * in `navigation.ts` only compiles with the parameters declared here; a page reads them with
 * `useRouteParams('booking')`. `app.config.ts` must declare exactly these pages (a unit test
 * checks it). This module has no Taro import, so tests and app.config can use it.
 */

/** Where a page lives and how it is opened. */
export interface RouteSpec {
  /** Absolute page path as mini-programs and the H5 router know it. */
  readonly path: `/${string}`;
  /** A tab page: opened with switchTab, takes no parameters. */
  readonly tab?: boolean;
  /** Needs a logged-in person: `navigate` goes to login first and comes back. */
  readonly auth?: boolean;
}

export const routes = {
  // Main package: the tab pages, login, the QR landing page and 紧急求助 — a call for help never
  // waits on a subpackage download or a login screen.
  home: { path: '/pages/index/index', tab: true },
  emergency: { path: '/pages/emergency/index' },
  appointments: { path: '/pages/appointments/index', tab: true },
  reports: { path: '/pages/reports/index', tab: true },
  me: { path: '/pages/me/index', tab: true },
  login: { path: '/pages/login/index' },
  qr: { path: '/pages/qr/index' },

  // Subpackages: everything off the first screen.
  // Booking (挂号): org/station → department → doctor → session → person → result; my appointments.
  booking: { path: '/packages/booking/pages/index/index' },
  bookingDepartments: { path: '/packages/booking/pages/departments/index' },
  bookingDoctors: { path: '/packages/booking/pages/doctors/index' },
  bookingSchedules: { path: '/packages/booking/pages/schedules/index' },
  bookingConfirm: { path: '/packages/booking/pages/confirm/index', auth: true },
  patientForm: { path: '/packages/booking/pages/patient-form/index', auth: true },
  bookingResult: { path: '/packages/booking/pages/result/index', auth: true },
  appointmentDetail: { path: '/packages/booking/pages/appointment/index', auth: true },
  /** A printed code that could not be opened directly (offline, unknown, kiosk, ward bed). */
  qrTarget: { path: '/packages/booking/pages/qr-target/index' },
  outpatientPayment: { path: '/packages/payments/pages/outpatient/index', auth: true },
  inpatientDeposit: { path: '/packages/payments/pages/deposit/index', auth: true },
  // Payments (缴费): the appointment fee's cashier and the result page every payment ends on.
  payAppointment: { path: '/packages/payments/pages/appointment/index', auth: true },
  paymentResult: { path: '/packages/payments/pages/result/index', auth: true },
  reportQuery: { path: '/packages/records/pages/reports/index', auth: true },
  healthRecord: { path: '/packages/records/pages/summary/index', auth: true },
  // Reports and the health record (records subpackage); a doctor opens a report with `purpose`.
  reportDetail: { path: '/packages/records/pages/report/index', auth: true },
  reportTrend: { path: '/packages/records/pages/trend/index', auth: true },
  recordEdit: { path: '/packages/records/pages/record-edit/index', auth: true },
  shareRecords: { path: '/packages/records/pages/share/index', auth: true },
  accessLog: { path: '/packages/records/pages/access-log/index', auth: true },
  // Video visits (视频问诊) and remote consultations (远程会诊).
  videoVisit: { path: '/packages/visits/pages/index/index', auth: true },
  videoBook: { path: '/packages/visits/pages/book/index' },
  visitDetail: { path: '/packages/visits/pages/detail/index', auth: true },
  /** The H5 video room; in WeChat/Alipay it opens the same H5 page in a <web-view> with a one-time ticket. */
  visitRoom: { path: '/packages/visits/pages/room/index', auth: true },
  /** The 120 dispatch console: an H5 page laid out for a desktop screen (dispatchers only). */
  dispatchConsole: { path: '/packages/dispatch/pages/console/index', auth: true },
  // Health kiosks (一体机): bind a person after scanning a kiosk's code, my readings, staff assignment.
  kiosk: { path: '/packages/devices/pages/kiosk/index', auth: true },
  myReadings: { path: '/packages/devices/pages/readings/index', auth: true },
  kioskStaff: { path: '/packages/devices/pages/staff/index', auth: true },
  /** 一体机管理 (admin): register kiosks, print their codes, rotate their secrets. */
  kioskAdmin: { path: '/packages/devices/pages/admin/index', auth: true },
  staff: { path: '/packages/staff/pages/index/index', auth: true },
  // 住院结算 (cashier / nurse): admissions of the hospital, one admission's account and 出院结账.
  staffAdmissions: { path: '/packages/staff/pages/admissions/index', auth: true },
  staffAdmission: { path: '/packages/staff/pages/admission/index', auth: true },
  staffVisits: { path: '/packages/staff/pages/visits/index', auth: true },
  staffConsult: { path: '/packages/staff/pages/consult/index', auth: true },
  staffVisit: { path: '/packages/staff/pages/visit/index', auth: true },
  staffQueue: { path: '/packages/staff/pages/queue/index', auth: true },
  staffShared: { path: '/packages/staff/pages/shared/index', auth: true },
  staffPatient: { path: '/packages/staff/pages/patient/index', auth: true },
  /** 化验报告待认领: lab reports no person matched, given to the right person by ID number. */
  staffLabHeld: { path: '/packages/staff/pages/lab-held/index', auth: true },
  /** 退款异常 (cashier / admin): refunds the payment provider refused, re-issued once. */
  staffRefunds: { path: '/packages/staff/pages/refunds/index', auth: true },
  /** 排班管理 (admin): a doctor's sessions, 新增出诊 with 签约居民优先号, 停诊 with the patients told. */
  staffSchedules: { path: '/packages/staff/pages/schedules/index', auth: true },
  // 家庭医生 (family-doctor contracts, messages, home visits) and 服药督导 for patients and supervisors.
  familyDoctor: { path: '/packages/care/pages/index/index', auth: true },
  careSign: { path: '/packages/care/pages/sign/index', auth: true },
  careContract: { path: '/packages/care/pages/contract/index', auth: true },
  careMessages: { path: '/packages/care/pages/messages/index', auth: true },
  careHomeVisit: { path: '/packages/care/pages/home-visit/index', auth: true },
  careMedication: { path: '/packages/care/pages/medication/index', auth: true },
  carePlan: { path: '/packages/care/pages/plan/index', auth: true },
  careSupervise: { path: '/packages/care/pages/supervise/index', auth: true },
  // The family-doctor team's workbench (staff): contracts, messages, home visits, follow-ups, medication plans.
  careStaff: { path: '/packages/carestaff/pages/index/index', auth: true },
  careStaffContracts: { path: '/packages/carestaff/pages/contracts/index', auth: true },
  careStaffThreads: { path: '/packages/carestaff/pages/threads/index', auth: true },
  careStaffThread: { path: '/packages/carestaff/pages/thread/index', auth: true },
  careStaffHomeVisits: { path: '/packages/carestaff/pages/home-visits/index', auth: true },
  careStaffFollowups: { path: '/packages/carestaff/pages/followups/index', auth: true },
  careStaffPlans: { path: '/packages/carestaff/pages/plans/index', auth: true },
  careStaffPlanNew: { path: '/packages/carestaff/pages/plan-new/index', auth: true },
  careStaffPlan: { path: '/packages/carestaff/pages/plan/index', auth: true },
  careAdmin: { path: '/packages/carestaff/pages/admin/index', auth: true },
  // 实名认证 (identity subpackage): verify a person on the account (face, SMS, guardian, window code).
  verifyPerson: { path: '/packages/identity/pages/verify/index', auth: true },
  /** WeChat/Alipay: the FaceID H5 page in a <web-view> (its domain must be a business domain). */
  verifyFace: { path: '/packages/identity/pages/face/index', auth: true },
  /** 实名核验 (nurse / doctor / cashier / admin): the person's window code and the ID card in hand. */
  staffVerifyPerson: { path: '/packages/identity/pages/staff-verify/index', auth: true },
  /** Admins: ID numbers added on many accounts. */
  identityFlags: { path: '/packages/identity/pages/flags/index', auth: true },
  // 隐私与授权 (privacy subpackage, PIPL). The documents and the acceptance page need no login: they
  // are read before agreeing; the person's rights (consents, export, correction, deletion) do.
  /** First-login acceptance of 用户协议 + 隐私政策 (opened by services/privacy-gate.ts). */
  privacyAccept: { path: '/packages/privacy/pages/accept/index' },
  privacyAgreement: { path: '/packages/privacy/pages/agreement/index' },
  privacyPolicy: { path: '/packages/privacy/pages/policy/index' },
  /** 授权管理: the separate consents for sensitive information, and the system permissions. */
  privacyConsents: { path: '/packages/privacy/pages/consents/index', auth: true },
  privacyExport: { path: '/packages/privacy/pages/export/index', auth: true },
  privacyCorrection: { path: '/packages/privacy/pages/correction/index', auth: true },
  privacyDeletion: { path: '/packages/privacy/pages/deletion/index', auth: true },
  /** WeChat: our privacy popup on a page of its own, when the page that asked has none. */
  privacyAuthorize: { path: '/packages/privacy/pages/authorize/index' },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;

/**
 * Parameters of each page. `void`: none. Values travel in the URL query, so they are strings.
 */
export interface RouteParams {
  home: void;
  appointments: void;
  reports: void;
  me: void;
  /** `next`: the page URL to open after logging in (from `routeUrl`). */
  login: { next?: string };
  /** How a printed code arrives: `c` on H5 (`/qr?c=`), `q` from WeChat, `qrCode` from Alipay. */
  qr: { c?: string; k?: string; q?: string; qrCode?: string };
  /** The list of hospitals, community centres and stations; `qr`: a code to open instead (older links). */
  booking: { qr?: string };
  bookingDepartments: { orgId: string };
  bookingDoctors: { deptId: string };
  /** `date`: the day to show first (YYYY-MM-DD), else the first bookable day. */
  bookingSchedules: { doctorId: string; date?: string };
  bookingConfirm: { scheduleId: string };
  patientForm: void;
  bookingResult: { appointmentId: string };
  /** `qr`: a department/doctor code just scanned there, to check in with. */
  appointmentDetail: { appointmentId: string; qr?: string };
  qrTarget: { code: string };
  /** `patientId`: the person whose bills to show first. */
  outpatientPayment: { patientId?: string };
  /** `admissionId`: the admission to show first (back from a payment). */
  inpatientDeposit: { admissionId?: string };
  /** The 挂号费 cashier for an appointment held for payment (`pending_payment`). */
  payAppointment: { appointmentId: string };
  /** `sandbox_result`: paid / cancelled, added by the H5 sandbox checkout when it comes back. */
  paymentResult: { orderNo: string; sandbox_result?: string };
  reportQuery: void;
  healthRecord: void;
  /** `purpose`: set when staff open it (their read is audited under that purpose). */
  reportDetail: { id: string; patientId?: string; purpose?: string };
  reportTrend: { patientId: string; code: string; purpose?: string };
  recordEdit: { patientId: string };
  shareRecords: { patientId: string };
  accessLog: { patientId: string };
  videoVisit: void;
  /** `date`: the day to show (YYYY-MM-DD), default today. */
  videoBook: { date?: string };
  visitDetail: { id: string };
  /** `ticket`: the one-time web-view ticket (only when opened inside a mini-program). */
  visitRoom: { id: string; ticket?: string };
  /** `now=1`: pressed on the home card, send at once. */
  emergency: { now?: '1' };
  /** `id`: an emergency to open first. */
  dispatchConsole: { id?: string };
  /** The kiosk a printed code names (QR target kind `kiosk`). */
  /** `code`: the one-time code the kiosk's on-screen QR carries (`k` in its URL). */
  kiosk: { kioskId: string; code?: string };
  /** `patientId`: the person to show first. */
  myReadings: { patientId?: string };
  kioskStaff: void;
  kioskAdmin: void;
  staff: void;
  staffAdmissions: void;
  staffAdmission: { admissionId: string };
  staffVisits: { date?: string };
  /** `patientId`: the person to start a consultation for (else typed in). */
  staffConsult: { patientId?: string };
  staffVisit: { id: string };
  /** `scheduleId`: the session to open (else today's first). */
  staffQueue: { scheduleId?: string };
  staffShared: void;
  staffPatient: { patientId: string; purpose: string };
  staffLabHeld: void;
  staffRefunds: void;
  /** `doctorId`: the doctor to show first (else chosen on the page). */
  staffSchedules: { doctorId?: string };
  familyDoctor: void;
  careSign: void;
  careContract: { id: string };
  careMessages: { contractId: string };
  careHomeVisit: { contractId: string };
  careMedication: void;
  /** `as`: who is looking (the patient's account, or the supervisor). */
  carePlan: { id: string; as?: 'patient' | 'supervisor' };
  careSupervise: void;
  careStaff: void;
  careStaffContracts: { status?: string };
  careStaffThreads: void;
  careStaffThread: { contractId: string };
  careStaffHomeVisits: void;
  careStaffFollowups: void;
  careStaffPlans: void;
  /** `contractId`: the resident to start from (else chosen on the page). */
  careStaffPlanNew: { contractId?: string };
  careStaffPlan: { id: string };
  careAdmin: void;
  /** `BizToken`: added by FaceID to the return URL when it sends the browser back (H5). */
  verifyPerson: { patientId: string; BizToken?: string };
  verifyFace: { patientId: string };
  /** `code`: a person code to look up at once. */
  staffVerifyPerson: { code?: string };
  identityFlags: void;
  /** `next`: the page to open after agreeing (a `routeUrl`). */
  privacyAccept: { next?: string };
  privacyAgreement: void;
  privacyPolicy: void;
  privacyConsents: void;
  privacyExport: void;
  privacyCorrection: void;
  privacyDeletion: void;
  privacyAuthorize: void;
}

// Every route has a params entry and vice versa.
type _Exact = [RouteName] extends [keyof RouteParams] ? ([keyof RouteParams] extends [RouteName] ? true : never) : never;
const _exact: _Exact = true;
void _exact;

/** Tab pages take no parameters: switchTab drops them. */
type _TabsTakeNone = {
  [N in RouteName]: (typeof routes)[N] extends { tab: true } ? (RouteParams[N] extends void ? true : never) : true;
}[RouteName];
const _tabs: _TabsTakeNone = true;
void _tabs;

/** `[]` for a page without parameters, `[params?]` when all are optional, else `[params]`. */
export type ParamsArg<N extends RouteName> = RouteParams[N] extends void
  ? []
  : {} extends RouteParams[N]
    ? [params?: RouteParams[N]]
    : [params: RouteParams[N]];

/** `/packages/booking/pages/index/index?qr=ABC`; undefined parameters are left out. */
export function routeUrl<N extends RouteName>(name: N, ...args: ParamsArg<N>): string {
  const params = (args[0] ?? {}) as Record<string, string | undefined>;
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const { path } = routes[name];
  return query ? `${path}?${query}` : path;
}

/** The route a page path belongs to (`pages/me/index` or `/pages/me/index?x=1`). */
export function routeOfPath(pathOrUrl: string): RouteName | undefined {
  const path = `/${pathOrUrl.split('?')[0].replace(/^\/+/, '')}`;
  return (Object.keys(routes) as RouteName[]).find((n) => routes[n].path === path);
}

/** Page paths relative to the app root, grouped the way app.config declares them. */
export function declaredPages(): { main: string[]; subPackages: { root: string; pages: string[] }[] } {
  const main: string[] = [];
  const subs = new Map<string, string[]>();
  for (const spec of Object.values(routes) as RouteSpec[]) {
    const rel = spec.path.slice(1);
    const m = /^(packages\/[^/]+)\/(.+)$/.exec(rel);
    if (m) subs.set(m[1], [...(subs.get(m[1]) ?? []), m[2]]);
    else main.push(rel);
  }
  return { main, subPackages: [...subs].map(([root, pages]) => ({ root, pages })) };
}
