/**
 * Family-doctor contracts (家庭医生签约): the contract state machine, the one-year term, renewal
 * and the follow-up (随访) calendar of the national basic public-health service, as pure
 * functions the server and the mini-program share.
 *
 *   pending ──approve──▶ active ──(term over)──▶ expired
 *      │ └──decline──▶ declined        │
 *      └──────cancel──────▶ cancelled ◀┘
 *   active ──renew (last 30 days of the term)──▶ active, term + 1 year
 *
 * A person holds at most one contract that is pending or active: signing takes a per-person
 * lock in the same write, and declining, cancelling or expiring releases it.
 */
import * as z from 'zod';
import { addDays, dayjs, daysBetween } from './time';

export const PackageKind = z.enum(['basic', 'chronic', 'elderly', 'maternal', 'child']);
export type PackageKind = z.infer<typeof PackageKind>;
export const PACKAGE_KIND_LABEL: Record<PackageKind, string> = {
  basic: '基础服务包',
  chronic: '慢病管理包',
  elderly: '老年人服务包',
  maternal: '孕产妇服务包',
  child: '儿童服务包',
};

/** Who is on a family-doctor team. A village doctor can supervise medication (督导服药). */
export const TeamRole = z.enum(['doctor', 'nurse', 'public_health', 'village_doctor']);
export type TeamRole = z.infer<typeof TeamRole>;
export const TEAM_ROLE_LABEL: Record<TeamRole, string> = {
  doctor: '家庭医生',
  nurse: '社区护士',
  public_health: '公卫医生',
  village_doctor: '乡村医生',
};

/** Chronic conditions the team follows up (高血压、2型糖尿病患者健康管理). */
export const ChronicCondition = z.enum(['hypertension', 'diabetes']);
export type ChronicCondition = z.infer<typeof ChronicCondition>;
export const CHRONIC_CONDITION_LABEL: Record<ChronicCondition, string> = { hypertension: '高血压', diabetes: '2型糖尿病' };

export const ContractStatus = z.enum(['pending', 'active', 'declined', 'cancelled', 'expired']);
export type ContractStatus = z.infer<typeof ContractStatus>;
export const CONTRACT_STATUS_LABEL: Record<ContractStatus, string> = {
  pending: '待团队审核',
  active: '签约中',
  declined: '未通过',
  cancelled: '已解约',
  expired: '已到期',
};

export type ContractEvent = 'approve' | 'decline' | 'cancel' | 'expire' | 'renew';

export const CONTRACT_TRANSITIONS: Record<ContractEvent, { from: readonly ContractStatus[]; to: ContractStatus }> = {
  approve: { from: ['pending'], to: 'active' },
  decline: { from: ['pending'], to: 'declined' },
  cancel: { from: ['pending', 'active'], to: 'cancelled' },
  expire: { from: ['active'], to: 'expired' },
  renew: { from: ['active'], to: 'active' },
};

export const canApplyContract = (status: ContractStatus, event: ContractEvent) => CONTRACT_TRANSITIONS[event].from.includes(status);

/** Statuses in which the person holds their one contract: no second one may be signed. */
export const HOLDING_STATUSES = ['pending', 'active'] as const satisfies readonly ContractStatus[];
export const holdsContract = (s: ContractStatus) => (HOLDING_STATUSES as readonly string[]).includes(s);

export const CONTRACT_TERM_YEARS = 1;
/** Renewal opens this many days before the last day of the term; reminders go out then. */
export const RENEWAL_WINDOW_DAYS = 30;

/** A one-year term: 2025-03-10 → 2026-03-09 (the last day included). */
export function contractTerm(startDate: string): { startDate: string; endDate: string } {
  const end = dayjs(startDate).add(CONTRACT_TERM_YEARS, 'year').format('YYYY-MM-DD');
  return { startDate, endDate: addDays(end, -1) };
}

/** The term after a renewal: the next year, starting the day after the current one ends. */
export const renewedEndDate = (endDate: string) => contractTerm(addDays(endDate, 1)).endDate;

/** An active contract whose last day has passed is expired, whether or not the job has run. */
export function effectiveStatus(status: ContractStatus, endDate: string | undefined, today: string): ContractStatus {
  return status === 'active' && endDate !== undefined && endDate < today ? 'expired' : status;
}

/** Renewal is open in the last RENEWAL_WINDOW_DAYS days of an active term. */
export function isRenewable(status: ContractStatus, endDate: string | undefined, today: string): boolean {
  if (effectiveStatus(status, endDate, today) !== 'active' || !endDate) return false;
  return daysBetween(today, endDate) < RENEWAL_WINDOW_DAYS;
}

/** The agreement a resident reads and accepts; the version is recorded with the consent. */
export const AGREEMENT_VERSION = '2025.1';
export const AGREEMENT_TITLE = '家庭医生签约服务协议';
export const AGREEMENT_TEXT: readonly string[] = [
  '一、签约居民自愿选择本社区卫生服务中心的家庭医生团队及服务包，服务期一年，自团队确认之日起计算。',
  '二、家庭医生团队按服务包提供健康评估、慢病随访、健康咨询、用药指导等服务；基础服务包免费，个性化服务包按公示价格收费。',
  '三、为提供上述服务，签约居民同意家庭医生团队成员在服务期内查阅其健康档案、检查检验报告和健康监测数据；每次查阅均留有记录，居民可在“健康档案—授权管理”中查看或撤销。',
  '四、居民可通过本程序向团队留言、申请上门服务；紧急情况请拨打120，留言不能代替急救。',
  '五、服务期满前30天可续约；居民或团队可提前解约，解约后团队的查阅授权同时终止。',
];

// ── follow-ups (随访) ──

/** Hypertension and type 2 diabetes: at least four face-to-face follow-ups a year. */
export const FOLLOW_UP_INTERVAL_DAYS = 90;
/** A follow-up shows as due this many days before its date. */
export const FOLLOW_UP_DUE_SOON_DAYS = 14;

/** The first follow-up is due when the contract starts; each next one 90 days after the last. */
export function nextFollowUpDate(startDate: string, lastFollowUpDate?: string): string {
  return lastFollowUpDate ? addDays(lastFollowUpDate, FOLLOW_UP_INTERVAL_DAYS) : startDate;
}

export type FollowUpState = 'overdue' | 'due' | 'not_due';
export function followUpState(dueDate: string, today: string): FollowUpState {
  if (today > dueDate) return 'overdue';
  return daysBetween(today, dueDate) <= FOLLOW_UP_DUE_SOON_DAYS ? 'due' : 'not_due';
}
