/**
 * Demo data, written idempotently: fixed ids, and items that hold live state (places left,
 * balances) are only created, never overwritten, so a second `npm start` keeps the data.
 */
import type { Membership, OrgRole } from '@hospital/shared';
import type { UserItem } from '../functions/src/auth/store';
import { putUser } from '../functions/src/auth/store';
import { seedCatalog } from './seed-catalog';
import { seedReports } from './seed-reports';
import { seedStations } from './seed-emergency';
import { seedPayments } from './seed-payments';
import { seedCare } from './seed-care';
import { seedDevices } from './seed-devices';

export const ORG = { city: 'org-city-hospital', community: 'org-community-centre', station: 'org-taishan-station' };
/** The 120 dispatch centre: an organisation of its dispatchers, not a place to book (not in the catalog). */
export const DISPATCH_CENTRE = 'org-taian-120';
const NAMES: Record<string, string> = {
  [ORG.city]: '泰安市中心医院',
  [ORG.community]: '泰山区财源街道社区卫生服务中心',
  [ORG.station]: '泰山南天门远程医疗工作站',
  [DISPATCH_CENTRE]: '泰安市120急救指挥中心',
};
const at = (orgId: string, ...roles: OrgRole[]): Membership => ({ orgId, orgName: NAMES[orgId], roles });

/** One demo user per role; staff hold their roles in an organisation (README: authority model). */
export const DEMO_USERS: Omit<UserItem, 'createdAt'>[] = [
  { userId: 'demo-patient', name: '张建国', roles: ['patient'], demo: true, description: '居民（患者），账户下有家人' },
  { userId: 'demo-tourist', name: '王小游', roles: ['patient'], demo: true, description: '泰山游客' },
  { userId: 'demo-doctor', name: '李明华 主任医师', roles: [], memberships: [at(ORG.city, 'doctor')], demo: true, description: '市人民医院心内科专家' },
  { userId: 'demo-station-doctor', name: '赵山 医师', roles: [], memberships: [at(ORG.station, 'doctor')], demo: true, description: '泰山南天门工作站医生' },
  { userId: 'demo-nurse', name: '陈静 护士', roles: [], memberships: [at(ORG.city, 'nurse')], demo: true, description: '市人民医院门诊护士（叫号）' },
  { userId: 'demo-station-nurse', name: '周岚 护士', roles: [], memberships: [at(ORG.station, 'nurse')], demo: true, description: '泰山南天门工作站护士（叫号）' },
  { userId: 'demo-pharmacist', name: '吴敏 主管药师', roles: [], memberships: [at(ORG.city, 'pharmacist')], demo: true, description: '市中心医院药剂科（处方审核）' },
  { userId: 'demo-cashier', name: '刘芳 收费员', roles: [], memberships: [at(ORG.city, 'cashier')], demo: true, description: '住院处收费' },
  { userId: 'demo-dispatcher', name: '孙强 调度员', roles: [], memberships: [at(DISPATCH_CENTRE, 'dispatcher')], demo: true, description: '120 调度中心' },
  {
    userId: 'demo-admin', name: '系统管理员', roles: [], memberships: [at(ORG.city, 'admin'), at(ORG.community, 'admin'), at(ORG.station, 'admin')], demo: true,
    description: '医联体信息科：市中心医院、财源社区、南天门工作站的排班、二维码、设备管理',
  },
  { userId: 'demo-platform-admin', name: '平台运维', roles: ['platform_admin'], demo: true, description: '平台管理员：救援点、实名异常（不属于任何机构，每次操作留痕）' },
];

/** Seeds everything; returns a one-line summary. */
export async function seed(): Promise<string> {
  const now = new Date().toISOString();
  for (const u of DEMO_USERS) await putUser({ ...u, createdAt: now });
  const catalog = await seedCatalog();
  const stations = await seedStations();
  const payments = await seedPayments();
  const reports = await seedReports();
  const care = await seedCare();
  const devices = await seedDevices();
  return `${DEMO_USERS.length} demo users; ${catalog}; ${stations}; ${payments}; ${reports}; ${care}; ${devices}`;
}
