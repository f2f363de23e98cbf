/**
 * Family-doctor contracts (家庭医生签约): a community centre's teams and service packages
 * (admins manage them), the resident's contract for themself or a person on their account,
 * the team's decision, cancellation, renewal, and home-visit requests (上门服务).
 */
import * as z from 'zod';
import { route } from './contract';
import { Relation } from './patients';
import { AGREEMENT_VERSION, ChronicCondition, ContractStatus, PackageKind, TeamRole } from '../care';

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);
const text = (what: string, max: number) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过${max}个字`);
const optionalText = (what: string, max: number) => z.string().trim().max(max, `${what}不能超过${max}个字`);
export const ContactPhone = z.string().trim().regex(/^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, '请填写有效的手机号或座机号');

// ── teams and packages ──

export const TeamMemberInput = z.object({
  /** The member's staff account (doctor/nurse role), so they see the team's work; optional for people without one. */
  userId: id('账号').optional(),
  /** The catalog doctor, when the member also sees patients in clinic. */
  doctorId: id('医生').optional(),
  name: text('姓名', 30),
  role: TeamRole,
  title: optionalText('职称', 30).default(''),
  phone: ContactPhone,
});

export const TeamInput = z
  .object({
    orgId: id('机构'),
    name: text('团队名称', 40),
    intro: optionalText('团队介绍', 300).default(''),
    members: z.array(TeamMemberInput).min(1, '团队至少要有一名成员').max(12, '团队最多12名成员'),
    active: z.boolean().default(true),
  })
  .refine((t) => t.members.some((m) => m.role === 'doctor'), { message: '团队须有一名家庭医生', path: ['members'] })
  .refine((t) => new Set(t.members.flatMap((m) => (m.userId ? [m.userId] : []))).size === t.members.filter((m) => m.userId).length, {
    message: '同一账号不能重复加入团队',
    path: ['members'],
  });

/** What residents see of a member: no phone until they hold a contract with the team. */
export const TeamMemberPublic = z.object({ name: z.string(), role: TeamRole, title: z.string() });
export const TeamMemberView = TeamMemberPublic.extend({ userId: z.string().optional(), doctorId: z.string().optional(), phone: z.string() });

export const TeamView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  intro: z.string(),
  members: z.array(TeamMemberPublic),
  active: z.boolean(),
});
export type TeamView = z.infer<typeof TeamView>;
export const TeamAdminView = TeamView.extend({ members: z.array(TeamMemberView), updatedAt: z.string() });
export type TeamAdminView = z.infer<typeof TeamAdminView>;

export const PackageService = z.object({ name: text('服务项目', 40), detail: optionalText('服务说明', 200).default('') });
export const PackageInput = z.object({
  orgId: id('机构'),
  name: text('服务包名称', 40),
  kind: PackageKind,
  intro: optionalText('服务包介绍', 300).default(''),
  services: z.array(PackageService).min(1, '至少包含一项服务').max(20),
  /** Fen a year; 0 for the free basic package. */
  priceFen: z.number().int().min(0).max(1_000_000),
  active: z.boolean().default(true),
});
export const PackageView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  kind: PackageKind,
  intro: z.string(),
  services: z.array(z.object({ name: z.string(), detail: z.string() })),
  priceFen: z.number().int(),
  active: z.boolean(),
});
export type PackageView = z.infer<typeof PackageView>;

export const OrgQuery = z.object({ orgId: id('机构').optional() });

// ── contracts ──

const agreement = {
  agreementVersion: z.literal(AGREEMENT_VERSION, { message: '签约协议已更新，请重新阅读' }),
  accepted: z.literal(true, { message: '请阅读并同意签约协议' }),
};

export const SignRequest = z.object({
  patientId: id('签约人'),
  teamId: id('团队'),
  packageId: id('服务包'),
  /** Conditions the resident reports, so the team can plan follow-ups; the team may correct them. */
  conditions: z.array(ChronicCondition).max(2).default([]),
  ...agreement,
});
export const RenewRequest = z.object(agreement);

export const DecisionRequest = z
  .object({
    decision: z.enum(['approve', 'decline']),
    reason: optionalText('原因', 200).optional(),
    /** The team's view of the resident's chronic conditions (for follow-ups). */
    conditions: z.array(ChronicCondition).max(2).optional(),
  })
  .refine((d) => d.decision === 'approve' || !!d.reason, { message: '请填写未通过的原因', path: ['reason'] });

export const CancelContractRequest = z.object({ reason: optionalText('解约原因', 200).optional() }).default({});

/** `doctorId`: the member's clinic sessions, where contracted residents book 签约居民优先号. */
export const TeamContact = z.object({ name: z.string(), role: TeamRole, title: z.string(), phone: z.string(), doctorId: z.string().optional() });

export const ContractView = z.object({
  id: z.string(),
  status: ContractStatus,
  patient: z.object({ id: z.string(), name: z.string(), relation: Relation }),
  team: z.object({ id: z.string(), name: z.string(), orgId: z.string(), orgName: z.string() }),
  package: z.object({ id: z.string(), name: z.string(), kind: PackageKind, priceFen: z.number().int() }),
  conditions: z.array(ChronicCondition),
  /** The resident's acceptance of the agreement (the consent). */
  consent: z.object({ agreementVersion: z.string(), acceptedAt: z.string() }),
  requestedAt: z.string(),
  decidedAt: z.string().optional(),
  decidedByName: z.string().optional(),
  declineReason: z.string().optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  renewedAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelledBy: z.enum(['resident', 'team']).optional(),
  cancelReason: z.string().optional(),
  /** The team's contacts, while the contract is active. */
  contacts: z.array(TeamContact),
  canCancel: z.boolean(),
  canRenew: z.boolean(),
});
export type ContractView = z.infer<typeof ContractView>;

export const StaffContractView = ContractView.extend({
  patient: z.object({
    id: z.string(),
    name: z.string(),
    relation: Relation,
    sex: z.enum(['male', 'female']),
    birthDate: z.string(),
    phoneMasked: z.string(),
  }),
});
export type StaffContractView = z.infer<typeof StaffContractView>;

export const StaffContractsQuery = z.object({ status: ContractStatus.optional(), teamId: id('团队').optional() });

// ── home visits ──

export const HomeVisitStatus = z.enum(['requested', 'scheduled', 'declined', 'done']);
export type HomeVisitStatus = z.infer<typeof HomeVisitStatus>;
export const HOME_VISIT_STATUS_LABEL: Record<HomeVisitStatus, string> = { requested: '待安排', scheduled: '已安排', declined: '无法上门', done: '已完成' };

export const HomeVisitRequest = z.object({
  reason: text('上门事由', 200),
  preferredDate: z.iso.date({ message: '请选择希望上门的日期' }),
  slot: z.enum(['am', 'pm']),
  address: text('上门地址', 100),
  phone: ContactPhone,
});

export const HomeVisitDecision = z
  .object({
    decision: z.enum(['schedule', 'decline', 'done']),
    /** When the team will come (schedule). */
    scheduledAt: z.iso.datetime({ offset: true, message: '时间须为带时区的 ISO-8601' }).optional(),
    note: optionalText('说明', 200).optional(),
  })
  .refine((d) => d.decision !== 'schedule' || !!d.scheduledAt, { message: '请选择上门时间', path: ['scheduledAt'] })
  .refine((d) => d.decision !== 'decline' || !!d.note, { message: '请说明无法上门的原因', path: ['note'] });

export const HomeVisitView = z.object({
  id: z.string(),
  contractId: z.string(),
  patient: z.object({ id: z.string(), name: z.string() }),
  reason: z.string(),
  preferredDate: z.string(),
  slot: z.enum(['am', 'pm']),
  address: z.string(),
  phoneMasked: z.string(),
  status: HomeVisitStatus,
  scheduledAt: z.string().optional(),
  note: z.string().optional(),
  handledByName: z.string().optional(),
  createdAt: z.string(),
});
export type HomeVisitView = z.infer<typeof HomeVisitView>;
/** The team calls the resident back: the full number. */
export const StaffHomeVisitView = HomeVisitView.extend({ phone: z.string(), teamId: z.string() });

const PATIENT = ['patient'] as const;
const ADMIN = ['admin'] as const;
const TEAM = ['doctor', 'nurse'] as const;

export const careRoutes = {
  packages: route({ method: 'GET', path: '/v1/care/packages', access: 'public', query: OrgQuery, response: z.object({ items: z.array(PackageView) }), summary: 'Service packages on offer (active ones)' }),
  teams: route({ method: 'GET', path: '/v1/care/teams', access: 'public', query: OrgQuery, response: z.object({ items: z.array(TeamView) }), summary: 'Family-doctor teams taking residents (active ones)' }),
  adminTeams: route({ method: 'GET', path: '/v1/admin/care/teams', access: ADMIN, response: z.object({ items: z.array(TeamAdminView) }), summary: 'All teams with members and contacts' }),
  createTeam: route({ method: 'POST', path: '/v1/admin/care/teams', access: ADMIN, body: TeamInput, response: TeamAdminView, status: 201, idempotency: 'optional', summary: 'Create a family-doctor team' }),
  updateTeam: route({ method: 'PUT', path: '/v1/admin/care/teams/{teamId}', access: ADMIN, body: TeamInput, response: TeamAdminView, summary: 'Replace a team (members, contacts, active)' }),
  adminPackages: route({ method: 'GET', path: '/v1/admin/care/packages', access: ADMIN, response: z.object({ items: z.array(PackageView) }), summary: 'All packages, inactive ones too' }),
  createPackage: route({ method: 'POST', path: '/v1/admin/care/packages', access: ADMIN, body: PackageInput, response: PackageView, status: 201, idempotency: 'optional', summary: 'Create a service package' }),
  updatePackage: route({ method: 'PUT', path: '/v1/admin/care/packages/{packageId}', access: ADMIN, body: PackageInput, response: PackageView, summary: 'Replace a service package' }),

  sign: route({
    method: 'POST',
    path: '/v1/contracts',
    access: PATIENT, person: 'verified',
    body: SignRequest,
    response: ContractView,
    status: 201,
    idempotency: 'required',
    summary: 'Sign with a team for myself or a person on my account (409 ALREADY_CONTRACTED, TEAM_INACTIVE, PACKAGE_INACTIVE)',
  }),
  mine: route({ method: 'GET', path: '/v1/me/contracts', access: PATIENT, response: z.object({ items: z.array(ContractView) }), summary: 'Contracts of the people on my account, newest first' }),
  get: route({ method: 'GET', path: '/v1/contracts/{contractId}', access: PATIENT, response: ContractView, summary: 'One of my contracts (card with team contacts)' }),
  cancel: route({ method: 'POST', path: '/v1/contracts/{contractId}/cancel', access: PATIENT, body: CancelContractRequest, response: ContractView, idempotency: 'optional', summary: 'Withdraw a request or end a contract (the team’s access ends too)' }),
  renew: route({ method: 'POST', path: '/v1/contracts/{contractId}/renew', access: PATIENT, body: RenewRequest, response: ContractView, idempotency: 'optional', summary: 'Renew for a year in the last 30 days of the term (409 NOT_RENEWABLE)' }),

  staffList: route({ method: 'GET', path: '/v1/staff/contracts', access: TEAM, query: StaffContractsQuery, response: z.object({ items: z.array(StaffContractView) }), summary: "Contracts of my teams, by status" }),
  staffGet: route({ method: 'GET', path: '/v1/staff/contracts/{contractId}', access: TEAM, response: StaffContractView, summary: 'One contract of my teams' }),
  decide: route({ method: 'POST', path: '/v1/contracts/{contractId}/decision', access: TEAM, body: DecisionRequest, response: StaffContractView, idempotency: 'optional', summary: 'The team approves (term starts today) or declines with a reason (409 STATE_CHANGED)' }),
  terminate: route({ method: 'POST', path: '/v1/staff/contracts/{contractId}/cancel', access: TEAM, body: CancelContractRequest, response: StaffContractView, idempotency: 'optional', summary: 'The team ends a contract (moved away, duplicate)' }),
  myTeams: route({ method: 'GET', path: '/v1/staff/care/teams', access: TEAM, response: z.object({ items: z.array(TeamAdminView) }), summary: 'Teams I am a member of' }),

  requestHomeVisit: route({ method: 'POST', path: '/v1/contracts/{contractId}/home-visits', access: PATIENT, body: HomeVisitRequest, response: HomeVisitView, status: 201, idempotency: 'required', summary: 'Ask the team for a home visit (active contracts)' }),
  homeVisits: route({ method: 'GET', path: '/v1/contracts/{contractId}/home-visits', access: PATIENT, response: z.object({ items: z.array(HomeVisitView) }), summary: 'Home-visit requests of a contract' }),
  staffHomeVisits: route({ method: 'GET', path: '/v1/staff/home-visits', access: TEAM, query: z.object({ status: HomeVisitStatus.optional() }), response: z.object({ items: z.array(StaffHomeVisitView) }), summary: "Home-visit requests to my teams" }),
  decideHomeVisit: route({ method: 'POST', path: '/v1/staff/home-visits/{visitId}/decision', access: TEAM, body: HomeVisitDecision, response: StaffHomeVisitView, idempotency: 'optional', summary: 'Schedule, decline or close a home visit' }),
};
