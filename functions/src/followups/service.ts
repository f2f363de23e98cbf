/**
 * Follow-ups (随访) of contracted residents with hypertension or type 2 diabetes, by their team:
 * what is due (first at the start of the contract, then every 90 days after the last one), the
 * record of each follow-up, and the resident's latest kiosk readings (an audited read).
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { followUpState, localDate, nextFollowUpDate, type ChronicCondition, type RecordFollowUpRequest } from '@hospital/shared';
import { conflict, invalidField } from '#lib/errors';
import type { Principal } from '#lib/tokens';
import { listContractsOfTeam, requireTeamContract, statusToday, teamIdsOf } from '../care/access';
import { compact } from '../care/compact';
import { authorizeStaffRead } from '../records/access';
import { latestReadings } from './readings';
import * as store from './store';

const view = (f: store.FollowUpItem) => {
  const { followUpId, recordedBy: _r, ...rest } = f;
  return compact({ id: followUpId, ...rest });
};

export async function due(principal: Principal, all: boolean) {
  const today = localDate();
  const items = [];
  for (const teamId of await teamIdsOf(principal.userId)) {
    for (const c of await listContractsOfTeam(teamId, 'active')) {
      if (statusToday(c, today) !== 'active' || !c.startDate) continue;
      const last = await store.lastDates(c.contractId);
      const conditions = new Set<ChronicCondition>([...c.conditions, ...(Object.keys(last) as ChronicCondition[])]);
      for (const condition of conditions) {
        const dueDate = nextFollowUpDate(c.startDate, last[condition]);
        const state = followUpState(dueDate, today);
        if (!all && state === 'not_due') continue;
        items.push(
          compact({
            contractId: c.contractId,
            teamId,
            patient: { id: c.patientId, name: c.patientName, sex: c.patientSex, birthDate: c.patientBirthDate },
            condition,
            lastDate: last[condition],
            dueDate,
            state,
          }),
        );
      }
    }
  }
  items.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return { items };
}

export async function record(principal: Principal, body: z.output<typeof RecordFollowUpRequest>) {
  const { contract } = await requireTeamContract(principal, body.contractId);
  if (statusToday(contract) !== 'active') throw conflict('CONTRACT_NOT_ACTIVE', '签约生效期间才能登记随访');
  if (body.date > localDate() || (contract.startDate && body.date < contract.startDate)) throw invalidField('body.date', '随访日期须在签约生效后且不晚于今天');
  const f: store.FollowUpItem = {
    ...body,
    followUpId: `fu-${randomUUID()}`,
    patientId: contract.patientId,
    recordedBy: principal.userId,
    recordedByName: principal.name,
    createdAt: new Date().toISOString(),
  };
  await store.record(compact(f));
  return view(f);
}

export async function history(principal: Principal, contractId: string) {
  const { contract } = await requireTeamContract(principal, contractId);
  // Readings are health data: read on the contract's consent, on the trail.
  await authorizeStaffRead({ principal, patientId: contract.patientId, scope: 'readings', purpose: 'follow_up', resource: `followups:${contractId}` });
  return { items: (await store.list(contractId)).map(view), latestReadings: await latestReadings(contract.patientId) };
}
