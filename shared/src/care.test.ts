import { describe, expect, it } from 'vitest';
import {
  canApplyContract,
  CONTRACT_TRANSITIONS,
  ContractStatus,
  contractTerm,
  effectiveStatus,
  followUpState,
  holdsContract,
  isRenewable,
  nextFollowUpDate,
  renewedEndDate,
  type ContractEvent,
} from './care';
import { daysBetween } from './time';

describe('the contract state machine', () => {
  it('a pending contract can be approved, declined or cancelled; nothing else', () => {
    expect(canApplyContract('pending', 'approve')).toBe(true);
    expect(canApplyContract('pending', 'decline')).toBe(true);
    expect(canApplyContract('pending', 'cancel')).toBe(true);
    expect(canApplyContract('pending', 'expire')).toBe(false);
    expect(canApplyContract('pending', 'renew')).toBe(false);
  });

  it('an active contract expires, is cancelled or renewed, never approved or declined again', () => {
    expect(canApplyContract('active', 'expire')).toBe(true);
    expect(canApplyContract('active', 'cancel')).toBe(true);
    expect(canApplyContract('active', 'renew')).toBe(true);
    expect(canApplyContract('active', 'approve')).toBe(false);
    expect(canApplyContract('active', 'decline')).toBe(false);
  });

  it('declined, cancelled and expired are final', () => {
    for (const s of ['declined', 'cancelled', 'expired'] as const) {
      for (const e of Object.keys(CONTRACT_TRANSITIONS) as ContractEvent[]) expect(canApplyContract(s, e), `${s} ${e}`).toBe(false);
    }
  });

  it('only pending and active contracts hold the person (no second contract while one of them exists)', () => {
    expect(ContractStatus.options.filter(holdsContract)).toEqual(['pending', 'active']);
  });
});

describe('the one-year term', () => {
  it('ends the day before the anniversary, leap days included', () => {
    expect(contractTerm('2025-03-10')).toEqual({ startDate: '2025-03-10', endDate: '2026-03-09' });
    expect(contractTerm('2024-02-29').endDate).toBe('2025-02-27');
    expect(contractTerm('2025-01-01').endDate).toBe('2025-12-31');
  });

  it('a renewal adds the next year after the last day', () => {
    expect(renewedEndDate('2026-03-09')).toBe('2027-03-09');
  });

  it('an active contract is expired from the day after its last day, even before the job runs', () => {
    expect(effectiveStatus('active', '2026-03-09', '2026-03-09')).toBe('active');
    expect(effectiveStatus('active', '2026-03-09', '2026-03-10')).toBe('expired');
    expect(effectiveStatus('cancelled', '2026-03-09', '2026-03-10')).toBe('cancelled');
    expect(effectiveStatus('pending', undefined, '2030-01-01')).toBe('pending');
  });

  it('renewal opens in the last 30 days of the term and closes when it ends', () => {
    expect(isRenewable('active', '2026-03-09', '2026-02-07')).toBe(false);
    expect(isRenewable('active', '2026-03-09', '2026-02-08')).toBe(true);
    expect(isRenewable('active', '2026-03-09', '2026-03-09')).toBe(true);
    expect(isRenewable('active', '2026-03-09', '2026-03-10')).toBe(false);
    expect(isRenewable('pending', undefined, '2026-03-01')).toBe(false);
    expect(daysBetween('2026-02-08', '2026-03-09')).toBe(29);
  });
});

describe('follow-ups every quarter', () => {
  it('the first is due at the start, each next 90 days after the last one', () => {
    expect(nextFollowUpDate('2025-01-05')).toBe('2025-01-05');
    expect(nextFollowUpDate('2025-01-05', '2025-01-20')).toBe('2025-04-20');
  });

  it('is overdue after its date, due within two weeks of it, otherwise not yet due', () => {
    expect(followUpState('2025-04-20', '2025-04-21')).toBe('overdue');
    expect(followUpState('2025-04-20', '2025-04-20')).toBe('due');
    expect(followUpState('2025-04-20', '2025-04-06')).toBe('due');
    expect(followUpState('2025-04-20', '2025-04-05')).toBe('not_due');
  });
});
