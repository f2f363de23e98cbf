import { describe, expect, it } from 'vitest';
import { depositPresets, isFinalResult, planDepositRefunds, sumFen } from './payments';

describe('planDepositRefunds', () => {
  const deposits = [
    { orderNo: 'A', seq: 1, refundable: 500_000 },
    { orderNo: 'B', seq: 2, refundable: 200_000 },
    { orderNo: 'C', seq: 5, refundable: 100_000 },
  ];

  it('refunds the newest deposit first and adds up to the balance exactly', () => {
    expect(planDepositRefunds(280_000, deposits)).toEqual([{ orderNo: 'C', amount: 100_000 }, { orderNo: 'B', amount: 180_000 }]);
    expect(planDepositRefunds(800_000, deposits).reduce((s, p) => s + p.amount, 0)).toBe(800_000);
  });

  it('never takes more from a deposit than is left of it, nor refunds a zero or negative balance', () => {
    expect(planDepositRefunds(900_000, deposits).reduce((s, p) => s + p.amount, 0)).toBe(800_000);
    expect(planDepositRefunds(50_000, [{ orderNo: 'X', seq: 9, refundable: 0 }, ...deposits])).toEqual([{ orderNo: 'C', amount: 50_000 }]);
    expect(planDepositRefunds(0, deposits)).toEqual([]);
    expect(planDepositRefunds(-10, deposits)).toEqual([]);
  });
});

describe('payments helpers', () => {
  it('offers presets inside the admission’s limits', () => {
    expect(depositPresets(10_000, 300_000)).toEqual([100_000, 200_000]);
  });
  it('sums fen and refuses fractions', () => {
    expect(sumFen([1, 2, 3])).toBe(6);
    expect(() => sumFen([1.5])).toThrow(RangeError);
  });
  it('tells the result page when to stop polling', () => {
    expect(['pending', 'processing', 'refunding'].map((r) => isFinalResult(r as never))).toEqual([false, false, false]);
    expect(['succeeded', 'refunded', 'closed'].map((r) => isFinalResult(r as never))).toEqual([true, true, true]);
  });
});
