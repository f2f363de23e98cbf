/**
 * Suspected floods of anonymous SOS. A flood is never refused (a real caller may be inside it):
 * every request is stored first, as always; then a new anonymous request counts against its
 * sources (table-backed counters, so the count holds across Lambda containers) and, past a
 * source's threshold, is marked with that source. The console collapses the source's untouched
 * requests into one group listed after every request from a normal source; a dispatcher reviews
 * it and dismisses it in one action. A request a dispatcher has taken (acknowledged or more)
 * leaves the group; a logged-in caller is never grouped.
 *
 * Sources are group ids, `dev-…`, `ip-…`, `pre-…` (a digest of the value: no address, device
 * secret or number in a key). The first requests of a source, counted before it crossed its
 * threshold, join the group when the console lists it: they carry the same source ids.
 */
import { createHash } from 'node:crypto';
import { FLOOD_SOURCE_LABEL, SOS_FLOOD_THRESHOLD, SOS_FLOOD_WINDOW_SECONDS, type FloodSource } from '@hospital/shared';
import { count } from '#lib/rate-limit';
import type { EmergencyItem } from './store';

const PREFIX: Record<FloodSource, string> = { device: 'dev', ip: 'ip', phone_prefix: 'pre' };
const SOURCE_OF: Record<string, FloodSource> = { dev: 'device', ip: 'ip', pre: 'phone_prefix' };

export const floodGroupId = (source: FloodSource, value: string) =>
  `${PREFIX[source]}-${createHash('sha256').update(`sos-flood\n${source}\n${value}`).digest('hex').slice(0, 16)}`;
export const sourceOfGroup = (id: string): FloodSource | undefined => SOURCE_OF[id.split('-')[0]];

/**
 * The client address as counted: IPv4 as is, IPv6 by its /64 (one subscriber). Loopback and an
 * unknown address are no source: on the local stack every caller is 127.0.0.1.
 */
export function countedAddress(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1].startsWith('127.') ? undefined : v4[1];
  if (!ip.includes(':') || ip === '::1') return undefined;
  const [head, tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The sources of an anonymous press, most specific first: its device (or none sent), its address, its number's block. */
export function sourcesOf(p: { device?: string; ip?: string; phone?: string }): string[] {
  const address = countedAddress(p.ip);
  // A number's block: the first 7 digits of a mainland mobile, the first 7 of E.164 (+447400…) else.
  const block = p.phone ? p.phone.slice(0, 7) : undefined;
  return [floodGroupId('device', p.device ?? 'none'), ...(address ? [floodGroupId('ip', address)] : []), ...(block ? [floodGroupId('phone_prefix', block)] : [])];
}

/** Counts a new anonymous request against each of its sources; the first source now past its threshold, if any. */
export async function countSources(sources: readonly string[], now = Date.now()): Promise<string | undefined> {
  const counts = await Promise.all(sources.map((g) => count(`sos:${g}`, SOS_FLOOD_WINDOW_SECONDS, now)));
  return sources.find((g, i) => counts[i] > SOS_FLOOD_THRESHOLD[sourceOfGroup(g) ?? 'device']);
}

export interface FloodGroup {
  id: string;
  source: FloodSource;
  label: string;
  /** Newest first. */
  members: EmergencyItem[];
}

/** Untouched anonymous requests, or ones dismissed with a group: only these are ever grouped. */
const groupable = (e: EmergencyItem) => !e.userId && (e.status === 'received' || !!e.floodDismissed);

/**
 * Splits a list into requests from normal sources and flood groups: a source is flooding when
 * any listed request was marked with it (or dismissed with it); every groupable request carrying
 * that source is in its group.
 */
export function groupFloods(items: readonly EmergencyItem[]): { normal: EmergencyItem[]; groups: FloodGroup[] } {
  const flooding = new Set<string>();
  for (const e of items) {
    if (e.userId) continue;
    if (e.flood) flooding.add(e.flood);
    if (e.floodDismissed) flooding.add(e.floodDismissed);
  }
  const normal: EmergencyItem[] = [];
  const byGroup = new Map<string, EmergencyItem[]>();
  for (const e of items) {
    const g = flooding.size && groupable(e) ? (e.floodDismissed ?? e.sources?.find((s) => flooding.has(s))) : undefined;
    if (!g) normal.push(e);
    else byGroup.set(g, [...(byGroup.get(g) ?? []), e]);
  }
  const groups = [...byGroup].map(([id, members]): FloodGroup => {
    const source = sourceOfGroup(id) ?? 'device';
    members.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const block = (members[0].phone ?? '').slice(0, 7);
    const label = source === 'phone_prefix' ? `${FLOOD_SOURCE_LABEL[source]} ${block.slice(0, 3)} ${block.slice(3)}` : FLOOD_SOURCE_LABEL[source];
    return { id, source, label, members };
  });
  groups.sort((a, b) => b.members[0].createdAt.localeCompare(a.members[0].createdAt));
  return { normal, groups };
}
