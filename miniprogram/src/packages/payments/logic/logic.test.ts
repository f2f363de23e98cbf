import { describe, expect, it } from 'vitest';
import { MAX_BILLS_PER_ORDER, type AdmissionView, type BillView, type PaymentOrderView } from '@hospital/shared';
import { holdLeft, isMoving, pickAdmission } from './admissions';
import { keepSelectable, quantityText, selectAll, selectionTotal, toggle } from './bills';
import { nextPoll, pollDelay, POLL_GIVE_UP_MS, POLL_MAX_DELAY_MS } from './poll';
import { resultScreen } from './result';

describe('the result page polls with back-off and stops by itself', () => {
  it('asks quickly at first, then less often, never slower than the cap', () => {
    const delays = Array.from({ length: 30 }, (_, i) => pollDelay(i));
    expect(delays.slice(0, 4)).toEqual([1000, 1000, 2000, 2000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(Math.max(...delays)).toBe(POLL_MAX_DELAY_MS);
    expect(delays.at(-1)).toBe(POLL_MAX_DELAY_MS);
  });

  it('stops at a final answer, and after the give-up time without one', () => {
    const t0 = 1_000_000;
    expect(nextPoll({ final: true, attempt: 0, startedAt: t0, now: t0 })).toBeNull();
    expect(nextPoll({ final: false, attempt: 0, startedAt: t0, now: t0 })).toBe(1000);
    expect(nextPoll({ final: false, attempt: 12, startedAt: t0, now: t0 + POLL_GIVE_UP_MS - 1 })).toBe(pollDelay(12));
    expect(nextPoll({ final: false, attempt: 12, startedAt: t0, now: t0 + POLL_GIVE_UP_MS })).toBeNull();
  });

  it('a page left open for the whole give-up time asks at most a few dozen times', () => {
    let t = 0;
    let polls = 0;
    for (let attempt = 0; ; attempt++) {
      const d = nextPoll({ final: false, attempt, startedAt: 0, now: t });
      if (d === null) break;
      t += d;
      polls++;
    }
    expect(polls).toBeGreaterThan(15);
    expect(polls).toBeLessThan(30);
  });
});

const order = (over: Partial<PaymentOrderView>): Pick<PaymentOrderView, 'result' | 'resultMessage' | 'pay'> => ({
  result: 'pending',
  resultMessage: '',
  ...over,
});

describe('what the result page says', () => {
  it('pending is “confirming with the bank”, never success, whatever the client was told', () => {
    const s = resultScreen(order({ result: 'pending', pay: { checkoutUrl: 'x' } }));
    expect(s).toMatchObject({ tone: 'wait', title: '支付结果确认中，正在与银行核对', checking: true, canContinue: false });
  });

  it('a cancelled checkout offers to continue with the same order while it can still be paid', () => {
    expect(resultScreen(order({ pay: { checkoutUrl: 'x' } }), { cancelled: true })).toMatchObject({ title: '您已取消支付', canContinue: true });
    expect(resultScreen(order({}), { cancelled: true })).toMatchObject({ canContinue: false });
  });

  it('after giving up it still says pending, and to refresh rather than pay again', () => {
    const s = resultScreen(order({}), { gaveUp: true });
    expect(s).toMatchObject({ tone: 'wait', checking: false });
    expect(s.text).toContain('请勿重复支付');
  });

  it('success, refund and closed each have their own words', () => {
    expect(resultScreen(order({ result: 'succeeded' }))).toMatchObject({ tone: 'ok', title: '支付成功', checking: false });
    expect(resultScreen(order({ result: 'processing' }))).toMatchObject({ tone: 'wait', checking: true });
    expect(resultScreen(order({ result: 'refunding', resultMessage: '预约已失效，挂号费将原路退回' }))).toMatchObject({
      tone: 'warn',
      text: '预约已失效，挂号费将原路退回',
    });
    expect(resultScreen(order({ result: 'closed' }))).toMatchObject({ tone: 'over', canStartAgain: true, canContinue: false });
  });
});

const bill = (id: string, total: number, status: BillView['status'] = 'unpaid'): BillView => ({
  id, patientName: '张小雨', deptName: '儿科', orgId: 'o', issuedAt: '2026-11-22T09:00:00+08:00', items: [], total, status, source: 'his',
});

describe('门诊缴费 selection', () => {
  const bills = [bill('a', 3500), bill('b', 4410), bill('c', 24000, 'paid')];

  it('ticks every unpaid bill at first and adds them up in fen', () => {
    const all = selectAll(bills);
    expect(all).toEqual(['a', 'b']);
    expect(selectionTotal(all, bills)).toEqual({ count: 2, total: 7910 });
  });

  it('toggling and a refresh that paid a bill keep only payable bills', () => {
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggle(['b'], 'a')).toEqual(['b', 'a']);
    expect(keepSelectable(['a', 'b', 'c', 'gone'], bills)).toEqual(['a', 'b']);
    expect(selectionTotal(['c'], bills)).toEqual({ count: 0, total: 0 });
  });

  it('never ticks more bills than one order may pay', () => {
    const many = Array.from({ length: MAX_BILLS_PER_ORDER + 5 }, (_, i) => bill(`b${i}`, 100));
    const all = selectAll(many);
    expect(all).toHaveLength(MAX_BILLS_PER_ORDER);
    expect(toggle(all, 'b24')).toHaveLength(MAX_BILLS_PER_ORDER);
  });

  it('writes quantities as the hospital does', () => {
    expect(quantityText({ quantity: 2, unit: '盒' })).toBe('2盒');
    expect(quantityText({ quantity: 0.5 })).toBe('0.5');
  });
});

describe('住院押金', () => {
  const adm = (id: string, status: AdmissionView['status']) => ({ id, status });

  it('opens on the admission asked for, else the first still open', () => {
    const items = [adm('old', 'settled'), adm('now', 'active')];
    expect(pickAdmission(items, 'old')?.id).toBe('old');
    expect(pickAdmission(items)?.id).toBe('now');
    expect(pickAdmission([adm('old', 'settled')])?.id).toBe('old');
    expect(pickAdmission([])).toBeUndefined();
  });

  it('keeps refreshing while money may still move', () => {
    expect(isMoving({ status: 'active' })).toBe(true);
    expect(isMoving({ status: 'settled', settlement: { refunds: [] } })).toBe(false);
    const refund = (status: 'processing' | 'succeeded') => ({ refundNo: 'r', orderNo: 'o', channel: 'wechat' as const, amount: 1, status });
    expect(isMoving({ status: 'settled', settlement: { refunds: [refund('processing')] } })).toBe(true);
    expect(isMoving({ status: 'settled', settlement: { refunds: [refund('succeeded')] } })).toBe(false);
  });

  it('an appointment hold counts down in minutes and seconds, then is over', () => {
    const now = Date.parse('2026-11-22T09:00:00+08:00');
    expect(holdLeft('2026-11-22T09:15:00+08:00', now)).toBe('15:00');
    expect(holdLeft('2026-11-22T09:00:01.200+08:00', now)).toBe('00:02');
    expect(holdLeft('2026-11-22T09:00:00+08:00', now)).toBeNull();
    expect(holdLeft(undefined, now)).toBeNull();
  });
});
