import type { ContractView } from '@hospital/shared';

/** People (patient ids) with an active family-doctor contract whose team includes this catalog doctor. */
export function contractedWith(contracts: readonly ContractView[], doctorId: string): Set<string> {
  return new Set(contracts.filter((c) => c.status === 'active' && c.contacts.some((m) => m.doctorId === doctorId)).map((c) => c.patient.id));
}
