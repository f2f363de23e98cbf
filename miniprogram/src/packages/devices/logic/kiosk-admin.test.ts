import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../services/client';
import { checkKiosk, newestFirst, secretsText, serverKioskErrors } from './kiosk-admin';

describe('checkKiosk', () => {
  it('names every missing field of an empty form', () => {
    expect(checkKiosk({ orgId: '', label: '', kioskId: '' })).toEqual({ ok: false, errors: { orgId: '请选择机构', label: '请填写名称' } });
  });

  it('accepts a form without a kiosk id (the server makes one) and trims the name', () => {
    expect(checkKiosk({ orgId: 'org-community-centre', label: '  社区一体机 ', kioskId: ' ' })).toEqual({
      ok: true,
      value: { orgId: 'org-community-centre', label: '社区一体机' },
    });
  });

  it('keeps a chosen kiosk id and refuses one with other characters', () => {
    expect(checkKiosk({ orgId: 'org-a', label: 'x', kioskId: 'kiosk-01' })).toMatchObject({ ok: true, value: { kioskId: 'kiosk-01' } });
    const bad = checkKiosk({ orgId: 'org-a', label: 'x', kioskId: '一体机 1' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.kioskId).toMatch(/字母、数字/);
  });

  it('says how long a name may be', () => {
    expect(checkKiosk({ orgId: 'org-a', label: '长'.repeat(61), kioskId: '' })).toEqual({ ok: false, errors: { label: '名称最多60个字' } });
  });
});

describe('serverKioskErrors', () => {
  it('puts the server’s field messages under the same inputs', () => {
    const e = new ApiError({ kind: 'http', status: 400, code: 'VALIDATION_FAILED', message: 'x', fields: [{ path: 'body.orgId', message: '机构不存在' }] });
    expect(serverKioskErrors(e)).toEqual({ orgId: '机构不存在' });
    expect(serverKioskErrors(null)).toEqual({});
  });
});

describe('secretsText', () => {
  it('tells when a rotation left the previous secret valid', () => {
    expect(secretsText({ secrets: [{ id: 'a', createdAt: '' }] })).toBe('密钥 1 个有效');
    expect(secretsText({ secrets: [{ id: 'b', createdAt: '' }, { id: 'a', createdAt: '' }] })).toContain('上一个密钥在下次更换前仍可用');
    expect(secretsText({ secrets: [] })).toContain('请更换密钥');
  });
});

describe('newestFirst', () => {
  it('puts the kiosk registered last on top', () => {
    const k = (id: string, createdAt: string) => ({ id, createdAt });
    expect(newestFirst([k('a', '2026-01-01T00:00:00.000Z'), k('b', '2026-03-01T00:00:00.000Z'), k('c', '2026-02-01T00:00:00+08:00')]).map((x) => x.id)).toEqual(['b', 'c', 'a']);
  });
});
