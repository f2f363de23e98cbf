/**
 * Demo family-doctor data: the community centre's team (孙慧, a village doctor, a nurse and a
 * public-health doctor), its service packages, the staff and family accounts of the demo, and
 * 张建国's wife 李秀兰 on his account and on her own (the same ID number), so she can accept the
 * role of medication supervisor. Teams and packages are created once, never overwritten (an
 * admin may have edited them). No contract is seeded: signing is the demo.
 */
import { idCardCheckChar, type PackageKind } from '@hospital/shared';
import { putUser, type UserItem } from '../functions/src/auth/store';
import { addPatient } from '../functions/src/patients/store';
import { SEED_VERIFIED } from './seed-catalog';
import { getPackage, getTeam, savePackage, saveTeam, type TeamItem } from '../functions/src/care/store';

const ORG = { id: 'org-community-centre', name: '泰山区财源街道社区卫生服务中心' };
export const CARE_DEMO = {
  teamId: 'team-caiyuan-sun',
  familyDoctor: 'demo-family-doctor',
  villageDoctor: 'demo-village-doctor',
  family: 'demo-family',
  spousePatientId: 'p-demo-li-xiulan',
};

const id18 = (first17: string) => first17 + idCardCheckChar(first17);
const LI_XIULAN_ID = id18('37090219670815002');

const USERS = [
  { userId: CARE_DEMO.familyDoctor, name: '孙慧 全科医生', roles: [], memberships: [{ orgId: ORG.id, orgName: ORG.name, roles: ['doctor'] }], demo: true, description: '社区家庭医生团队长（签约审核、随访、服药计划）' },
  { userId: CARE_DEMO.villageDoctor, name: '王德顺 乡村医生', roles: [], memberships: [{ orgId: ORG.id, orgName: ORG.name, roles: ['doctor'] }], demo: true, description: '家庭医生团队乡村医生（督导服药）' },
  { userId: CARE_DEMO.family, name: '李秀兰', roles: ['patient'], demo: true, description: '张建国的妻子（家属督导人）' },
] satisfies Omit<UserItem, 'createdAt'>[];

const PACKAGES: { id: string; name: string; kind: PackageKind; priceFen: number; intro: string; services: [string, string][] }[] = [
  { id: 'pkg-caiyuan-basic', name: '基础服务包', kind: 'basic', priceFen: 0, intro: '国家基本公共卫生服务，免费。', services: [['建立健康档案', '一人一档，动态更新'], ['健康评估', '每年一次'], ['健康咨询', '线上留言、电话咨询']] },
  { id: 'pkg-caiyuan-chronic', name: '慢病管理服务包', kind: 'chronic', priceFen: 0, intro: '高血压、2型糖尿病患者规范管理。', services: [['面对面随访', '每年至少4次'], ['血压血糖监测', '健康一体机自助测量'], ['用药指导', '调整用药、督导服药']] },
  { id: 'pkg-caiyuan-elderly', name: '老年人服务包', kind: 'elderly', priceFen: 0, intro: '65岁及以上老年人。', services: [['年度体检', '含血常规、肝肾功能、心电图'], ['中医体质辨识', '每年一次'], ['上门服务', '行动不便者可申请']] },
  { id: 'pkg-caiyuan-maternal', name: '孕产妇服务包', kind: 'maternal', priceFen: 0, intro: '孕期和产后健康管理。', services: [['孕期随访', '孕早期建册，孕期5次随访'], ['产后访视', '产后7天内上门']] },
  { id: 'pkg-caiyuan-child', name: '儿童服务包', kind: 'child', priceFen: 0, intro: '0-6岁儿童健康管理。', services: [['儿童体检', '按月龄定期体检'], ['预防接种提醒', '按免疫程序提醒']] },
  { id: 'pkg-caiyuan-plus', name: '个性化健康管理包', kind: 'chronic', priceFen: 12000, intro: '在基础服务之外的个性化服务，每年120元。', services: [['优先预约家庭医生', '每月预留号源'], ['上门换药、采血', '每年4次'], ['专属健康管理师', '一对一指导']] },
];

const TEAM: Omit<TeamItem, 'createdAt' | 'updatedAt'> = {
  teamId: CARE_DEMO.teamId,
  orgId: ORG.id,
  orgName: ORG.name,
  name: '孙慧家庭医生团队',
  intro: '负责财源街道及周边村居民的签约服务、慢病随访和结核病患者督导服药。',
  members: [
    { userId: CARE_DEMO.familyDoctor, doctorId: 'doc-sun-hui', name: '孙慧', role: 'doctor', title: '全科主治医师', phone: '0538-6201001' },
    { name: '陈晓燕', role: 'nurse', title: '主管护师', phone: '0538-6201002' },
    { userId: CARE_DEMO.villageDoctor, name: '王德顺', role: 'village_doctor', title: '乡村医生', phone: '13953801003' },
    { name: '赵明', role: 'public_health', title: '公卫医师', phone: '0538-6201004' },
  ],
  active: true,
  version: 1,
};

export async function seedCare(): Promise<string> {
  const now = new Date().toISOString();
  for (const u of USERS) await putUser({ ...u, createdAt: now });
  let created = 0;
  if (!(await getTeam(TEAM.teamId)) && (await saveTeam({ ...TEAM, createdAt: now, updatedAt: now }, undefined))) created++;
  for (const p of PACKAGES) {
    if (await getPackage(p.id)) continue;
    const ok = await savePackage(
      { packageId: p.id, orgId: ORG.id, orgName: ORG.name, name: p.name, kind: p.kind, intro: p.intro, priceFen: p.priceFen, services: p.services.map(([name, detail]) => ({ name, detail })), active: true, createdAt: now, updatedAt: now },
      true,
    );
    if (ok) created++;
  }
  // 李秀兰 on her husband's account (the person the clinician names) and on her own (her login).
  const person = { name: '李秀兰', phone: '13853800005', idNumber: LI_XIULAN_ID, sex: 'female' as const, birthDate: '1967-08-15', verification: SEED_VERIFIED, createdAt: now, updatedAt: now };
  await addPatient({ ...person, patientId: CARE_DEMO.spousePatientId, userId: 'demo-patient', relation: 'spouse' });
  await addPatient({ ...person, patientId: 'p-demo-li-xiulan-self', userId: CARE_DEMO.family, relation: 'self' });
  return `family-doctor team and ${PACKAGES.length} packages (${created} new), ${USERS.length} care demo users`;
}
