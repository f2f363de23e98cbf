import { describe, expect, it } from 'vitest';
import type { LedgerEntryView } from '@hospital/shared';
import { checkTopUp, parseYuan, settlementPreview, yuanInput } from './amount';
import { chargeName, checkReversal, reversibleCharges } from './corrections';
import { dayOf, isMoneyIn, newestFirst, reversedNote, shortRef, signedYuan, whenText, yuan } from './format';

const LIMITS = { min: 10_000, max: 5_000_000 }; // ¥100 – ¥50,000

describe('amounts typed in yuan', () => {
  it('reads what people type as integer fen, never a float', () => {
    expect(parseYuan('1000')).toBe(100_000);
    expect(parseYuan('1000.5')).toBe(100_050);
    expect(parseYuan('1000.05')).toBe(100_005);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan('¥1,000.50')).toBe(100_050);
    expect(parseYuan(' 2000元 ')).toBe(200_000);
    // 0.1 + 0.2 style drift cannot happen: 19.99 is exactly 1999 fen.
    expect(parseYuan('19.99')).toBe(1999);
  });

  it('refuses anything that is not an amount of money', () => {
    for (const t of ['', 'abc', '1.234', '-100', '1e5', '10.0.1', '.5', '１００', '100 200', '1,0', '1,00.5']) expect(parseYuan(t)).toBeNull();
  });

  it('a custom top-up must lie within the admission’s minimum and maximum', () => {
    expect(checkTopUp('', LIMITS)).toEqual({ ok: false, message: '请输入预交金额' });
    expect(checkTopUp('12.345', LIMITS)).toMatchObject({ ok: false, message: expect.stringContaining('最多两位小数') });
    expect(checkTopUp('99.99', LIMITS)).toEqual({ ok: false, message: '单次预交不少于 ¥100.00' });
    expect(checkTopUp('100', LIMITS)).toEqual({ ok: true, fen: 10_000 });
    expect(checkTopUp('50000', LIMITS)).toEqual({ ok: true, fen: 5_000_000 });
    expect(checkTopUp('50000.01', LIMITS)).toEqual({ ok: false, message: '单次预交不超过 ¥50000.00' });
  });

  it('a preset shows in the custom field as the person would type it', () => {
    expect(yuanInput(100_000)).toBe('1000');
    expect(yuanInput(100_050)).toBe('1000.5');
    expect(yuanInput(100_005)).toBe('1000.05');
    for (const fen of [1, 99, 100_000, 123_456]) expect(parseYuan(yuanInput(fen))).toBe(fen);
  });

  it('the settlement preview refunds what is left after the last charges, or names the shortfall', () => {
    expect(settlementPreview(80_000, 0)).toEqual({ refund: 80_000, shortfall: 0 });
    expect(settlementPreview(80_000, 30_000)).toEqual({ refund: 50_000, shortfall: 0 });
    expect(settlementPreview(80_000, 100_000)).toEqual({ refund: 0, shortfall: 20_000 });
    expect(settlementPreview(-5_000, 0)).toEqual({ refund: 0, shortfall: 5_000 });
  });
});

describe('money and times on the payment pages', () => {
  it('shows yuan with two decimals, and a ledger amount with its sign', () => {
    expect(yuan(80_000)).toBe('¥800.00');
    expect(yuan(5)).toBe('¥0.05');
    expect(signedYuan(100_000)).toBe('+¥1000.00');
    expect(signedYuan(-128_050)).toBe('-¥1280.50');
    expect(signedYuan(0)).toBe('¥0.00');
  });

  it('dates are the hospital’s (Beijing) calendar', () => {
    expect(dayOf('2026-11-21T17:30:00Z')).toBe('2026-11-22');
    expect(dayOf('not a date')).toBe('');
    expect(whenText('2026-11-22T08:05:00+08:00', Date.parse('2026-11-22T10:00:00+08:00'))).toBe('今天 08:05');
  });

  it('the ledger reads newest first; an order number is shortened, not hidden', () => {
    const e = (seq: number) => ({ seq }) as LedgerEntryView;
    expect(newestFirst([e(1), e(3), e(2)]).map((x) => x.seq)).toEqual([3, 2, 1]);
    expect(shortRef('HP20261122ABCDEF123456')).toBe('…EF123456');
    expect(shortRef('SHORT')).toBe('SHORT');
  });

  it('a correction (冲红) is money back like a deposit; the charge it corrects says how much', () => {
    expect(isMoneyIn({ type: 'charge_reversal', amount: 4_000 })).toBe(true);
    expect(isMoneyIn({ type: 'deposit', amount: 100_000 })).toBe(true);
    expect(isMoneyIn({ type: 'charge', amount: -4_000 })).toBe(false);
    expect(isMoneyIn({ type: 'refund', amount: -4_000 })).toBe(false);
    expect(signedYuan(4_000)).toBe('+¥40.00');
    expect(reversedNote({ type: 'charge', amount: -10_000, reversed: 4_000 })).toBe('已冲红 ¥40.00');
    expect(reversedNote({ type: 'charge', amount: -10_000, reversed: 10_000 })).toBe('已全额冲红');
    expect(reversedNote({ type: 'charge', amount: -10_000 })).toBeNull();
    expect(reversedNote({ type: 'charge_reversal', amount: 4_000 })).toBeNull();
  });
});

describe('费用冲红 (staff)', () => {
  const entry = (seq: number, type: LedgerEntryView['type'], amount: number, more: Partial<LedgerEntryView> = {}) =>
    ({ seq, type, amount, balanceAfter: 0, at: '2025-06-02T08:00:00+08:00', description: '2025-06-02 CT 检查', ...more }) as LedgerEntryView;

  it('lists charges with something left to correct, newest first, with what is left', () => {
    const ledger = [
      entry(1, 'deposit', 100_000, { description: '预交押金' }),
      entry(2, 'charge', -10_000, { chargeId: 'C1', reversed: 4_000 }),
      entry(3, 'charge', -5_000, { chargeId: 'C2', reversed: 5_000 }),
      entry(4, 'charge_reversal', 4_000, { reverses: 'C1', description: '费用冲红：CT 检查' }),
      entry(5, 'charge', -2_000, { chargeId: 'C3', description: '2025-06-03 换药' }),
      entry(6, 'charge', -2_000, { description: 'no id (never: the server always sends one)' }),
    ];
    expect(reversibleCharges(ledger)).toEqual([
      { chargeId: 'C3', seq: 5, description: '换药', date: '2025-06-03', charged: 2_000, left: 2_000 },
      { chargeId: 'C1', seq: 2, description: 'CT 检查', date: '2025-06-02', charged: 10_000, left: 6_000 },
    ]);
    expect(chargeName('出院带药')).toBe('出院带药');
    expect(chargeName(`2025-06-02 ${'药'.repeat(70)}`)).toHaveLength(60);
  });

  it('a correction is more than zero and at most what is left', () => {
    expect(checkReversal('60', 6_000)).toEqual({ ok: true, fen: 6_000 });
    expect(checkReversal('12.5', 6_000)).toEqual({ ok: true, fen: 1_250 });
    expect(checkReversal('', 6_000)).toEqual({ ok: false, message: '请输入冲红金额' });
    expect(checkReversal('0', 6_000)).toEqual({ ok: false, message: '冲红金额须大于0' });
    expect(checkReversal('abc', 6_000).ok).toBe(false);
    expect(checkReversal('60.01', 6_000)).toEqual({ ok: false, message: '冲红金额不能超过 ¥60.00（原费用尚未冲红的金额）' });
  });
});
