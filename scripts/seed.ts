/**
 * Demo data, written idempotently: fixed ids, and items that hold live state (places left,
 * balances) are only created, never overwritten, so a second `npm start` keeps the data.
 */
import type { UserItem } from '../functions/src/auth/store';
import { putUser } from '../functions/src/auth/store';
import { seedCatalog } from './seed-catalog';
import { seedReports } from './seed-reports';
import { seedStations } from './seed-emergency';
import { seedPayments } from './seed-payments';
import { seedCare } from './seed-care';
import { seedDevices } from './seed-devices';

export const ORG = { city: 'org-city-hospital', community: 'org-community-centre', station: 'org-taishan-station' };

export const DEMO_USERS: Omit<UserItem, 'createdAt'>[] = [
  { userId: 'demo-patient', name: '张建国', roles: ['patient'], demo: true, description: '居民（患者），账户下有家人' },
  { userId: 'demo-tourist', name: '王小游', roles: ['patient'], demo: true, description: '泰山游客' },
  { userId: 'demo-doctor', name: '李明华 主任医师', roles: ['doctor'], orgId: ORG.city, demo: true, description: '市人民医院心内科专家' },
  { userId: 'demo-station-doctor', name: '赵山 医师', roles: ['doctor'], orgId: ORG.station, demo: true, description: '泰山南天门工作站医生' },
  { userId: 'demo-nurse', name: '陈静 护士', roles: ['nurse'], orgId: ORG.city, demo: true, description: '市人民医院门诊护士（叫号）' },
  { userId: 'demo-station-nurse', name: '周岚 护士', roles: ['nurse'], orgId: ORG.station, demo: true, description: '泰山南天门工作站护士（叫号）' },
  { userId: 'demo-cashier', name: '刘芳 收费员', roles: ['cashier'], orgId: ORG.city, demo: true, description: '住院处收费' },
  { userId: 'demo-dispatcher', name: '孙强 调度员', roles: ['dispatcher'], demo: true, description: '120 调度中心' },
  { userId: 'demo-admin', name: '系统管理员', roles: ['admin'], demo: true, description: '排班、二维码、设备管理' },
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
