/** Messages about a contract to the resident's account (inbox + WeChat/Alipay), and live pushes to the team. */
import type { NotificationTemplate } from '@hospital/shared';
import { notify } from '#lib/notifier';
import { publish, userTopic } from '#lib/realtime';
import type { ContractItem, TeamItem } from './store';

export const CONTRACT_PAGE = (contractId: string) => `packages/care/pages/contract/index?id=${encodeURIComponent(contractId)}`;

export function tellResident(c: ContractItem, template: NotificationTemplate, time: string, note?: string) {
  return notify(c.userId, template, {
    ref: `contract:${c.contractId}`,
    page: CONTRACT_PAGE(c.contractId),
    patientName: c.patientName,
    orgName: c.orgName,
    deptName: c.teamName,
    doctorName: '',
    time,
    note,
  });
}

/** A live nudge to the team's staff accounts (their worklists re-read); never throws. */
export function pushToTeam(team: TeamItem, type: string, data: Record<string, unknown>) {
  const topics = team.members.flatMap((m) => (m.userId ? [userTopic(m.userId)] : []));
  return topics.length ? publish(topics, { type, data }) : Promise.resolve(0);
}

/** A live nudge to the resident's account (their contract card re-reads); never throws. */
export const pushToResident = (c: ContractItem, type: string, data: Record<string, unknown>) => publish([userTopic(c.userId)], { type, data });
