/** Record, reports and readings open to a visit's doctors while it is live (records/access grants). */
import { joinWindow } from '@hospital/shared';
import { grantWhileActive } from '../records/access';
import type * as store from './store';

/** How long after the end doctors keep record access to finish notes and prescriptions. */
export const AFTER_VISIT_ACCESS_MINUTES = 60;

/**
 * Every participating doctor may read the record for the visit's window; `until` (epoch ms) shortens or
 * ends the grants: after the visit ends, or at once when it is cancelled.
 */
export async function grantParticipants(v: store.VisitItem, until?: number) {
  const w = joinWindow(v);
  await Promise.all(
    v.participants
      .filter((p) => p.role !== 'patient')
      .map((p) =>
        grantWhileActive({
          patientId: v.patientId,
          grantee: `user:${p.userId}`,
          scopes: ['record', 'reports', 'readings'],
          purpose: 'consultation',
          source: 'visit',
          sourceId: v.id,
          validFrom: new Date(w.opensAt).toISOString(),
          validUntil: new Date(until ?? w.closesAt).toISOString(),
          grantedBy: v.createdBy,
        }),
      ),
  );
}

