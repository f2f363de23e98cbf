import { describe, expect, it } from 'vitest';
import { adminScope, isHostOf, orgsWithRole } from './authority';

const user = {
  memberships: [
    { orgId: 'org-city-hospital', roles: ['admin' as const, 'pharmacist' as const] },
    { orgId: 'org-taishan-station', roles: ['admin' as const] },
  ],
};

describe('staff pages offer what the memberships allow', () => {
  it('the organisations of a role, per membership', () => {
    expect(orgsWithRole(user, 'admin')).toEqual(['org-city-hospital', 'org-taishan-station']);
    expect(orgsWithRole(user, 'pharmacist')).toEqual(['org-city-hospital']);
    expect(orgsWithRole(user, 'doctor')).toEqual([]);
    expect(orgsWithRole(undefined, 'admin')).toEqual([]);
  });
  it('an admin of one organisation is fixed to it; of several, picks among them only', () => {
    expect(adminScope({ memberships: [{ orgId: 'org-a', roles: ['admin'] }] })).toEqual({ orgs: ['org-a'], fixed: 'org-a' });
    expect(adminScope(user)).toEqual({ orgs: ['org-city-hospital', 'org-taishan-station'] });
    expect(adminScope({ memberships: [] })).toEqual({ orgs: [] });
  });
  it('only the host ends a consultation', () => {
    const v = { participants: [{ userId: 'u-host', role: 'host' }, { userId: 'u-spec', role: 'specialist' }] };
    expect(isHostOf(v, 'u-host')).toBe(true);
    expect(isHostOf(v, 'u-spec')).toBe(false);
    expect(isHostOf(v, undefined)).toBe(false);
  });
});
