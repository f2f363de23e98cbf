/** Pure helpers of the dispatch console (no Taro): what is new, how long ago, where. */
import { formatDistanceZh, isOpenEmergency, type ConsoleEmergencyListItem, type ConsoleEmergencyView, type FloodGroupView, type NearRescueStation } from '@hospital/shared';

/** Ids in `items` not seen before; the first load only records what is there (no alarm for old ones). */
export function arrivals(seen: Set<string> | null, items: readonly Pick<ConsoleEmergencyListItem, 'id'>[]): { seen: Set<string>; fresh: string[] } {
  const next = new Set(items.map((i) => i.id));
  if (!seen) return { seen: next, fresh: [] };
  const fresh = items.filter((i) => !seen.has(i.id)).map((i) => i.id);
  for (const id of seen) next.add(id);
  return { seen: next, fresh };
}

/** `刚刚`, `3 分钟前`, `2 小时前`. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return '刚刚';
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  return `${Math.floor(s / 3600)} 小时前`;
}

/** `南天门急救站 · 求助人在其南方 380 米`: the station first, then where the caller is from it. */
export function whereFrom(n: Pick<NearRescueStation, 'name' | 'direction' | 'distanceMeters'>): string {
  return `${n.name} · 求助人在其${n.direction}方 ${formatDistanceZh(n.distanceMeters)}`;
}

/** `14:05` in Beijing time (the console may run on a machine set to another zone). */
export function clock(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * An action's answer carries no health summary (each read is audited): keep the one already
 * read while the request is open; once it has ended the summary is closed to dispatchers.
 */
export function afterAction(old: ConsoleEmergencyView | undefined, v: ConsoleEmergencyView): ConsoleEmergencyView {
  if (!isOpenEmergency(v.status)) return { ...v, healthSummary: undefined, healthSummaryNote: v.caller.patient ? '求助已结束，健康摘要不再开放' : undefined };
  return { ...v, healthSummary: old?.healthSummary, healthSummaryNote: old?.healthSummaryNote };
}

/**
 * A suspected flood in one line: `疑似批量求助 · 同一网络地址 · 30 条（未处理 29 条）· 14:05–14:06`.
 * Members are anonymous requests from one source past its threshold (functions/src/emergency/flood.ts).
 */
export function floodSummary(g: Pick<FloodGroupView, 'label' | 'count' | 'open' | 'firstAt' | 'lastAt'>): string {
  const span = clock(g.firstAt) === clock(g.lastAt) ? clock(g.lastAt) : `${clock(g.firstAt)}–${clock(g.lastAt)}`;
  return `疑似批量求助 · ${g.label} · ${g.count} 条${g.open !== g.count ? `（未处理 ${g.open} 条）` : ''} · ${span}`;
}

/** What a dismissal did, in words. */
export const dismissedText = (r: { dismissed: number; kept: number }) =>
  `已将 ${r.dismissed} 条标记为误报${r.kept ? `；${r.kept} 条（已接警的或复核后新到的）保留在列表中` : ''}`;
