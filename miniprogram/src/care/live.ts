/**
 * Live care updates (new messages, doses, alerts, contract changes) over the shared WebSocket,
 * with polling as the fallback that is always on: slow while the socket is open, quick when not.
 */
import { useSession } from '../services/session';
import { useLive, type LiveMessage } from '../services/live';
import { usePolling } from '../services/usePolling';

export const CARE_EVENTS = ['care.message', 'care.dose', 'care.medication-alert', 'care.contract', 'care.home-visit'] as const;

export function useCareLive(reload: () => void, types: readonly string[] = CARE_EVENTS, fallbackMs = 10_000): boolean {
  const session = useSession();
  const open = useLive(session?.accessToken, (m: LiveMessage) => {
    if (types.includes(m.type)) reload();
  });
  usePolling(reload, open ? 60_000 : fallbackMs, !!session);
  return open;
}
