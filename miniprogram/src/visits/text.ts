/** How visits read on screen (hospital time, Chinese labels). No Taro import: unit-testable. */
import { dayjs, DRUG_FREQUENCY_LABEL, DRUG_ROUTE_LABEL, formatYuan, PARTICIPANT_ROLE_LABEL, VISIT_KIND_LABEL, VISIT_STATUS_LABEL, type VisitListItem } from '@hospital/shared';

const local = (iso: string) => dayjs(iso).tz('Asia/Shanghai');

/** 6月1日 09:00–09:30 */
export const visitTime = (v: Pick<VisitListItem, 'scheduledAt' | 'endsAt'>) => `${local(v.scheduledAt).format('M月D日 HH:mm')}–${local(v.endsAt).format('HH:mm')}`;
export const clock = (iso: string) => local(iso).format('HH:mm');
export const dateTime = (iso: string) => local(iso).format('M月D日 HH:mm');

export const statusText = (v: Pick<VisitListItem, 'status'>) => VISIT_STATUS_LABEL[v.status];
export const kindText = (v: Pick<VisitListItem, 'kind'>) => VISIT_KIND_LABEL[v.kind];
export const roleText = (r: keyof typeof PARTICIPANT_ROLE_LABEL) => PARTICIPANT_ROLE_LABEL[r];
export const yuan = formatYuan;

/** 5mg 口服 每日1次 × 14天 */
export const usage = (i: { dose: string; route: keyof typeof DRUG_ROUTE_LABEL; frequency: keyof typeof DRUG_FREQUENCY_LABEL; days: number }) =>
  `每次${i.dose}，${DRUG_ROUTE_LABEL[i.route]}，${DRUG_FREQUENCY_LABEL[i.frequency]}，共${i.days}天`;

/** The doctors, for a one-line summary: 李明华 主任医师（泰安市中心医院）、赵山 医师 */
export const doctorsLine = (v: Pick<VisitListItem, 'participants'>) =>
  v.participants
    .filter((p) => p.role !== 'patient')
    .map((p) => `${p.name}${p.title ? ` ${p.title}` : ''}`)
    .join('、');

/** What the join button says now (a visit not joinable yet says when it opens). */
export function joinHint(v: Pick<VisitListItem, 'canJoin' | 'status' | 'opensAt' | 'closesAt'>, now = Date.now()): string {
  if (v.status === 'ended' || v.status === 'cancelled' || v.status === 'no_show') return VISIT_STATUS_LABEL[v.status];
  if (v.canJoin) return v.status === 'in_progress' ? '医生已在诊室，请进入' : '诊室已开放';
  if (now < Date.parse(v.opensAt)) return `${dateTime(v.opensAt)} 开放进入`;
  return '已超过问诊时间';
}
