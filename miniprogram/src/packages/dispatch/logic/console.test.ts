import { describe, expect, it } from 'vitest';
import { ago, arrivals, dismissedText, floodSummary, whereFrom } from './console';

describe('the dispatch console', () => {
  it('does not alarm for what is already there when it opens, then alarms once per new request', () => {
    const first = arrivals(null, [{ id: 'a' }, { id: 'b' }]);
    expect(first.fresh).toEqual([]);
    const second = arrivals(first.seen, [{ id: 'c' }, { id: 'a' }, { id: 'b' }]);
    expect(second.fresh).toEqual(['c']);
    // Closed ones drop off the list; coming back (never) or polling again does not alarm twice.
    expect(arrivals(second.seen, [{ id: 'c' }]).fresh).toEqual([]);
  });

  it('says how long ago and where from the nearest station', () => {
    const now = Date.parse('2026-11-22T10:00:00+08:00');
    expect(ago('2026-11-22T09:59:30+08:00', now)).toBe('刚刚');
    expect(ago('2026-11-22T09:57:00+08:00', now)).toBe('3 分钟前');
    expect(ago('2026-11-22T07:30:00+08:00', now)).toBe('2 小时前');
    expect(whereFrom({ name: '南天门急救站', direction: '南', distanceMeters: 384 })).toBe('南天门急救站 · 求助人在其南方 380 米');
  });
});

describe('after an action', () => {
  const view = (status: 'acknowledged' | 'closed', summary?: object) =>
    ({ id: 'e', status, caller: { known: true, patient: { id: 'p', name: '王小游', sex: 'male', age: 34 } }, healthSummary: summary }) as never;
  it('keeps the summary already read while open, and drops it once the request has ended', async () => {
    const { afterAction } = await import('./console');
    const summary = { allergies: ['青霉素'] };
    expect(afterAction(view('acknowledged', summary), view('acknowledged')).healthSummary).toEqual(summary);
    const ended = afterAction(view('acknowledged', summary), view('closed'));
    expect(ended.healthSummary).toBeUndefined();
    expect(ended.healthSummaryNote).toContain('已结束');
  });

  it('sums up a suspected flood in one line, and what a dismissal did', () => {
    const g = { label: '同一网络地址', count: 30, open: 29, firstAt: '2026-11-22T06:05:00Z', lastAt: '2026-11-22T06:06:30Z' };
    expect(floodSummary(g)).toBe('疑似批量求助 · 同一网络地址 · 30 条（未处理 29 条） · 14:05–14:06');
    expect(floodSummary({ ...g, open: 30, firstAt: g.lastAt })).toBe('疑似批量求助 · 同一网络地址 · 30 条 · 14:06');
    expect(dismissedText({ dismissed: 29, kept: 1 })).toContain('1 条');
    expect(dismissedText({ dismissed: 3, kept: 0 })).toBe('已将 3 条标记为误报');
  });
});
