/**
 * Demo catalog for booking: a city hospital, a community health service centre and the remote
 * workstation at Mount Tai's South Heaven Gate (南天门), their departments and doctors, 14 days
 * of sessions from today (Asia/Shanghai), printed QR codes, and people on the demo accounts.
 *
 * Idempotent: profiles and QR codes are rewritten (no live state), sessions and people are only
 * created when absent, so a restart keeps every booking and places-left counter.
 *
 * Coordinates are WGS-84 (what GPS and browsers report); GCJ-02 (what WeChat/Alipay maps use in
 * China) is computed with gcoord. South Heaven Gate ≈ 36.2559 N, 117.1015 E (WGS-84).
 */
import gcoord from 'gcoord';
import { addDays, defaultBookingCalendar, defaultReservedUntil, idCardCheckChar, localDate, PRIVACY_POLICY_VERSION, scheduleIdOf, sessionEndsAt, sessionStartsAt, toLocalIso, USER_AGREEMENT_VERSION, type Session } from '@hospital/shared';
import { putDepartment, putDoctor, putOrg, type DoctorItem, type OrgItem } from '../functions/src/catalog/store';
import { createSchedule, PLACE_SHARDS } from '../functions/src/catalog/schedule-store';
import { putQr, type QrItem } from '../functions/src/qr/store';
import { addPatient, personKey, type PatientItem } from '../functions/src/patients/store';
import { recordPhone } from '../functions/src/identity/store';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../functions/src/lib/table';
import { accept, grantConsents, hasConsent } from '../functions/src/privacy/service';

// The same ids as ORG in seed.ts (not imported: seed.ts imports this file).
const ORG_IDS = { city: 'org-city-hospital', community: 'org-community-centre', station: 'org-taishan-station' } as const;

function location(lat: number, lng: number) {
  const [gLng, gLat] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return { wgs84: { lat, lng }, gcj02: { lat: r(gLat), lng: r(gLng) } };
}

export const DEMO_ORGS: OrgItem[] = [
  {
    id: ORG_IDS.city, order: 1, kind: 'hospital', name: '泰安市中心医院', level: '三级甲等',
    address: '山东省泰安市泰山区龙潭路29号', phone: '0538-6298000',
    intro: '集医疗、教学、科研、预防于一体的综合性三级甲等医院，开通互联网医院预约挂号、在线缴费与远程会诊。',
    location: location(36.1956, 117.1193),
  },
  {
    id: ORG_IDS.community, order: 2, kind: 'community', name: '泰山区财源街道社区卫生服务中心', level: '社区卫生服务中心',
    address: '山东省泰安市泰山区财源大街128号', phone: '0538-8226120',
    intro: '提供全科门诊、家庭医生签约、慢病随访与预防接种服务，签约居民全科门诊免挂号费。',
    location: location(36.1998, 117.1042),
  },
  {
    id: ORG_IDS.station, order: 3, kind: 'station', name: '泰山南天门远程医疗工作站', level: '远程医疗工作站',
    address: '山东省泰安市泰山风景区南天门', phone: '0538-8066120',
    intro: '海拔约1460米的山顶工作站，驻站医生处理游客急症，可连线泰安市中心医院专家远程会诊。',
    location: location(36.2559, 117.1015),
  },
];

const D = (id: string, orgId: string, name: string, floor: string, order: number, intro = '') => ({ id, orgId, name, floor, order, intro });
export const DEMO_DEPARTMENTS = [
  D('dept-city-cardiology', ORG_IDS.city, '心血管内科', '门诊楼2层B区', 1, '高血压、冠心病、心律失常、心力衰竭的诊治。'),
  D('dept-city-respiratory', ORG_IDS.city, '呼吸内科', '门诊楼2层C区', 2, '慢阻肺、哮喘、肺部感染。'),
  D('dept-city-pediatrics', ORG_IDS.city, '儿科', '门诊楼1层A区', 3, '儿童常见病、多发病。'),
  D('dept-city-orthopedics', ORG_IDS.city, '骨科', '门诊楼3层A区', 4, '骨折、关节与脊柱疾病。'),
  D('dept-community-general', ORG_IDS.community, '全科门诊', '1层', 1, '常见病、慢病随访、家庭医生签约。'),
  D('dept-community-tcm', ORG_IDS.community, '中医科', '2层', 2, '中医内科、针灸推拿。'),
  D('dept-station-remote', ORG_IDS.station, '远程诊室', '工作站1室', 1, '高原反应、外伤处理，必要时连线山下专家。'),
];

/** `video`: sessions held online (视频问诊), booked like the others. */
type Doc = Omit<DoctorItem, 'intro'> & { intro?: string; sessions: Session[]; video?: Session[]; capacity: number; /** 签约居民优先号 */ reserved?: number };
const doc = (d: Doc) => d;
export const DEMO_DOCTORS: Doc[] = [
  doc({ id: 'doc-li-minghua', userId: 'demo-doctor', orgId: ORG_IDS.city, deptId: 'dept-city-cardiology', name: '李明华', title: '主任医师', specialty: '高血压、冠心病介入治疗', fee: 5000, order: 1, sessions: ['am', 'pm'], video: ['evening'], capacity: 30 }),
  doc({ id: 'doc-wang-li', orgId: ORG_IDS.city, deptId: 'dept-city-cardiology', name: '王丽', title: '副主任医师', specialty: '心律失常、心力衰竭', fee: 3000, order: 2, sessions: ['am'], capacity: 25 }),
  doc({ id: 'doc-zhang-wei', orgId: ORG_IDS.city, deptId: 'dept-city-respiratory', name: '张伟', title: '主任医师', specialty: '慢阻肺、哮喘', fee: 5000, order: 1, sessions: ['am', 'pm'], capacity: 25 }),
  doc({ id: 'doc-liu-yang', orgId: ORG_IDS.city, deptId: 'dept-city-pediatrics', name: '刘洋', title: '主治医师', specialty: '小儿呼吸道感染', fee: 2000, order: 1, sessions: ['am', 'pm', 'evening'], capacity: 30 }),
  doc({ id: 'doc-chen-gang', orgId: ORG_IDS.city, deptId: 'dept-city-orthopedics', name: '陈刚', title: '副主任医师', specialty: '运动损伤、关节置换', fee: 3000, order: 1, sessions: ['pm'], capacity: 20 }),
  doc({ id: 'doc-sun-hui', orgId: ORG_IDS.community, deptId: 'dept-community-general', name: '孙慧', title: '全科主治医师', specialty: '慢病管理、家庭医生', fee: 0, order: 1, sessions: ['am', 'pm'], capacity: 20, reserved: 5 }),
  doc({ id: 'doc-zhou-ming', orgId: ORG_IDS.community, deptId: 'dept-community-tcm', name: '周明', title: '中医师', specialty: '针灸推拿、调理', fee: 1500, order: 1, sessions: ['am'], capacity: 15 }),
  doc({ id: 'doc-zhao-shan', userId: 'demo-station-doctor', orgId: ORG_IDS.station, deptId: 'dept-station-remote', name: '赵山', title: '医师', specialty: '急诊急救、高原反应', fee: 0, order: 1, sessions: ['am', 'pm'], capacity: 10 }),
];

export const DEMO_QR: Omit<QrItem, 'createdAt' | 'createdBy'>[] = [
  { code: 'st-taishan-01', label: '南天门工作站入口', target: { kind: 'station', orgId: ORG_IDS.station }, org: { id: ORG_IDS.station, name: '泰山南天门远程医疗工作站', kind: 'station' } },
  { code: 'org-city-main', label: '泰安市中心医院门诊大厅', target: { kind: 'org', orgId: ORG_IDS.city }, org: { id: ORG_IDS.city, name: '泰安市中心医院', kind: 'hospital' } },
  { code: 'org-community-01', label: '财源街道社区卫生服务中心', target: { kind: 'org', orgId: ORG_IDS.community }, org: { id: ORG_IDS.community, name: '泰山区财源街道社区卫生服务中心', kind: 'community' } },
  {
    code: 'dept-city-cardiology', label: '心血管内科候诊区（签到）', target: { kind: 'department', orgId: ORG_IDS.city, deptId: 'dept-city-cardiology' },
    org: { id: ORG_IDS.city, name: '泰安市中心医院', kind: 'hospital' }, department: { id: 'dept-city-cardiology', name: '心血管内科' },
  },
  {
    code: 'doc-li-minghua', label: '李明华主任诊室', target: { kind: 'doctor', orgId: ORG_IDS.city, deptId: 'dept-city-cardiology', doctorId: 'doc-li-minghua' },
    org: { id: ORG_IDS.city, name: '泰安市中心医院', kind: 'hospital' }, department: { id: 'dept-city-cardiology', name: '心血管内科' }, doctor: { id: 'doc-li-minghua', name: '李明华', title: '主任医师' },
  },
  {
    code: 'dept-station-remote', label: '南天门工作站远程诊室（签到）', target: { kind: 'department', orgId: ORG_IDS.station, deptId: 'dept-station-remote' },
    org: { id: ORG_IDS.station, name: '泰山南天门远程医疗工作站', kind: 'station' }, department: { id: 'dept-station-remote', name: '远程诊室' },
  },
  { code: 'kiosk-taishan-01', label: '南天门健康一体机', target: { kind: 'kiosk', orgId: ORG_IDS.station, kioskId: 'kiosk-taishan-01' }, org: { id: ORG_IDS.station, name: '泰山南天门远程医疗工作站', kind: 'station' } },
  { code: 'bed-city-5a-12', label: '心内科病区5A-12床', target: { kind: 'bed', orgId: ORG_IDS.city, ward: '5A', bed: '12' }, org: { id: ORG_IDS.city, name: '泰安市中心医院', kind: 'hospital' } },
];

const id18 = (first17: string) => first17 + idCardCheckChar(first17);
/** Demo people count as checked at the window, so the demo flows show their data (实名认证). */
export const SEED_VERIFIED = { state: 'verified', method: 'in_person', at: '2026-01-05T09:00:00+08:00', by: 'seed', evidenceRef: 'seed:demo', orgId: 'org-city-hospital', place: '演示数据·门诊实名窗口' } as const;
/** Fixed people on the demo accounts (fictional ID numbers with valid checksums). */
export const DEMO_PATIENTS: Omit<PatientItem, 'createdAt' | 'updatedAt'>[] = [
  { patientId: 'p-demo-zhang-jianguo', userId: 'demo-patient', name: '张建国', relation: 'self', phone: '13853800001', idNumber: id18('37090219650412003'), sex: 'male', birthDate: '1965-04-12', verification: SEED_VERIFIED },
  { patientId: 'p-demo-zhang-xiaoyu', userId: 'demo-patient', name: '张小雨', relation: 'child', phone: '13853800002', idNumber: id18('37090220150823004'), sex: 'female', birthDate: '2015-08-23', verification: SEED_VERIFIED },
  { patientId: 'p-demo-wang-xiaoyou', userId: 'demo-tourist', name: '王小游', relation: 'self', phone: '13953800003', idNumber: id18('11010519920305001'), sex: 'male', birthDate: '1992-03-05', verification: SEED_VERIFIED },
];

/**
 * 刘桂芳, 张建国's mother: on no account yet, known to the hospital's patient index with her own
 * phone (an SMS code goes there, not to whoever adds her); she has no smartphone, so the family
 * usually has her checked at the window (实名认证 demo).
 */
export const DEMO_ELDER = { name: '刘桂芳', idNumber: id18('37090219420308002'), phoneOnRecord: '13853800009', birthDate: '1942-03-08' } as const;

/** The demo residents have read and accepted the agreement and the separate consents (PIPL), once. */
export async function seedDemoConsents() {
  for (const userId of ['demo-patient', 'demo-tourist', 'demo-family']) {
    if (await hasConsent(userId, 'health_data')) continue;
    await accept(userId, { agreementVersion: USER_AGREEMENT_VERSION, privacyVersion: PRIVACY_POLICY_VERSION });
    await grantConsents(userId, ['health_data', 'id_number', 'precise_location']);
  }
}

export const SEED_DAYS = 14;

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/**
 * Data from before 实名认证 holds clear ID numbers under bare SHA-256 keys; it is not migrated
 * (every feature's person keys would change). Say so plainly instead of failing on first read.
 */
async function refuseUnencryptedData() {
  const old = await db.send(new GetCommand({ TableName: table(), Key: { PK: `PATIENT#${DEMO_PATIENTS[0].patientId}`, SK: 'PROFILE' } }));
  if (old.Item && !old.Item.idNumberEnc) {
    throw new Error('本地数据来自实名认证之前的版本（身份证号未加密、人员键未加密），不能沿用：请删除 .data/ 目录后重新 npm start');
  }
}

/** Seeds the catalog; returns a one-line summary. */
export async function seedCatalog(): Promise<string> {
  await refuseUnencryptedData();
  const now = new Date().toISOString();
  for (const o of DEMO_ORGS) await putOrg(o);
  for (const d of DEMO_DEPARTMENTS) await putDepartment(d);
  for (const { sessions: _s, video: _v, capacity: _c, reserved: _r, ...d } of DEMO_DOCTORS) await putDoctor({ intro: `${d.title}，擅长${d.specialty}。`, ...d });
  for (const q of DEMO_QR) await putQr({ ...q, createdBy: 'seed', createdAt: now }, true);
  await seedDemoConsents();
  for (const p of DEMO_PATIENTS) await addPatient({ ...p, createdAt: now, updatedAt: now });
  // Stands in for the HIS master patient index (where SMS verification codes go); the demo
  // residents verified themselves, so their own phones are on record too.
  await recordPhone(personKey(DEMO_ELDER.idNumber), DEMO_ELDER.phoneOnRecord, 'his');
  for (const p of DEMO_PATIENTS.filter((x) => x.relation === 'self')) await recordPhone(personKey(p.idNumber), p.phone, 'self_verified');

  const today = localDate();
  const orgName = new Map(DEMO_ORGS.map((o) => [o.id, o.name]));
  const deptName = new Map(DEMO_DEPARTMENTS.map((d) => [d.id, d.name]));
  const wanted = DEMO_DOCTORS.flatMap((d) =>
    Array.from({ length: SEED_DAYS }, (_, i) => addDays(today, i)).flatMap((date) => [
      ...d.sessions.map((session) => ({ d, date, session, video: false })),
      ...(d.video ?? []).map((session) => ({ d, date, session, video: true })),
    ]),
  );
  let created = 0;
  await inBatches(wanted, 8, async ({ d, date, session, video }) => {
    const at = toLocalIso(Date.now());
    const ok = await createSchedule({
      id: scheduleIdOf(d.id, date, session),
      orgId: d.orgId, orgName: orgName.get(d.orgId)!, deptId: d.deptId, deptName: deptName.get(d.deptId)!,
      doctorId: d.id, doctorName: d.name, doctorTitle: d.title,
      date, session, startsAt: sessionStartsAt(date, session), endsAt: sessionEndsAt(date, session),
      capacity: d.capacity, fee: d.fee, ...defaultBookingCalendar(date, session),
      ...(d.reserved && !video ? { reserved: d.reserved, reservedUntil: defaultReservedUntil(date) } : {}),
      shards: PLACE_SHARDS, stopped: false, ...(video ? { mode: 'video' as const } : {}), createdAt: at, updatedAt: at,
    });
    if (ok) created++;
  });
  return `${DEMO_ORGS.length} orgs, ${DEMO_DOCTORS.length} doctors, ${created} new sessions (${wanted.length} in the next ${SEED_DAYS} days), ${DEMO_QR.length} QR codes`;
}
