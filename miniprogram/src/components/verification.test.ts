// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import type { PatientView } from '@hospital/shared';
import { cleanup, render } from '../../test/render';
import { navigations, resetShim } from '../../test/taro-shim';
import { errorFromResponse } from '../services/client';
import { clearSession, setSession } from '../services/session';
import { isNotVerified, NotVerified, waysText } from './NotVerified';
import { PeopleVerification, UNVERIFIED_NOTE } from './PersonVerification';
import { PeopleView } from './PeopleView';

vi.mock('@tarojs/components', () => import('../../test/taro-components'));

const person = (id: string, name: string, verified: boolean): PatientView => ({
  id,
  name,
  relation: 'parent',
  phoneMasked: '138****5678',
  idNumberMasked: '1101**********002X',
  sex: 'female',
  birthDate: '1949-12-31',
  verification: verified ? { state: 'verified', method: 'sms', at: '2026-12-01T02:00:00.000Z', by: 'u1', evidenceRef: 's1' } : { state: 'unverified' },
  createdAt: '2026-11-01T00:00:00.000Z',
});

beforeEach(() => {
  resetShim();
  setSession({ accessToken: 'a', refreshToken: 'r', expiresAt: '2030-01-01T00:00:00+08:00', user: { id: 'u-patient-1', name: '张三', roles: ['patient'] } });
});
afterEach(async () => {
  await cleanup();
  clearSession();
});

describe('the 403 PERSON_NOT_VERIFIED answer', () => {
  it('keeps the ways (and a missing consent’s purpose) from the error body', () => {
    const e = errorFromResponse({ status: 403, data: { error: { code: 'PERSON_NOT_VERIFIED', message: '张秀英尚未在本账户完成实名认证', ways: ['face', 'sms', 'in_person'] } } });
    expect(isNotVerified(e)).toBe(true);
    expect(e.ways).toEqual(['face', 'sms', 'in_person']);
    const c = errorFromResponse({ status: 403, data: { error: { code: 'CONSENT_REQUIRED', message: '请先同意处理健康医疗信息', purpose: 'health_data' } } });
    expect(isNotVerified(c)).toBe(false);
    expect(c.purpose).toBe('health_data');
    expect(errorFromResponse({ status: 403, data: { error: { code: 'FORBIDDEN', message: 'no' } } }).ways).toBeUndefined();
  });

  it('says why the data is hidden, how the person can be verified, and opens verification for that person', async () => {
    const view = await render(createElement(NotVerified, { patientId: 'p-2', name: '张秀英', ways: ['face', 'sms', 'in_person', 'future_way'] }));
    expect(view.text()).toContain('张秀英尚未实名认证');
    expect(view.text()).toContain('为保护隐私，需确认您有权查看该就诊人的信息');
    expect(view.text()).toContain('可通过：人脸识别、短信验证码、窗口/工作站现场核验');
    await view.tap('#not-verified-go');
    expect(navigations).toEqual([{ api: 'navigateTo', url: '/packages/identity/pages/verify/index?patientId=p-2' }]);
  });

  it('without ways it still offers 去实名认证', () => {
    expect(waysText(undefined)).toBe('');
  });
});

describe('the people list shows each person’s 实名 state', () => {
  it('a verified person has the 已实名 badge; an unverified one 未实名, what stays hidden and 去实名', async () => {
    const view = await render(createElement(PeopleVerification, { items: [person('p-1', '张三', true), person('p-2', '张秀英', false)] }));
    expect(view.text('#idv-person-p-1')).toContain('已实名');
    expect(view.find('#idv-go-p-1')).toBeNull();
    expect(view.text('#idv-person-p-2')).toContain('未实名');
    expect(view.text('#idv-person-p-2')).toContain(UNVERIFIED_NOTE);
    expect(UNVERIFIED_NOTE).toBe('未实名：报告、账单等按身份证号归档的信息暂不显示');
    await view.tap('#idv-go-p-2');
    expect(navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/packages/identity/pages/verify/index?patientId=p-2' });
  });

  it('PeopleView puts the states above the page’s own content', async () => {
    const state = { data: { items: [person('p-2', '张秀英', false)] }, loading: false, error: null, offline: false, retry: () => {} };
    const view = await render(createElement(PeopleView<{ items: PatientView[] }>, { state, children: () => createElement('p', { id: 'page-content' }, 'reports') }));
    const strip = view.get('#people-verification');
    const content = view.get('#page-content');
    expect(strip.compareDocumentPosition(content) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('an empty account still shows 添加就诊人 and no states', async () => {
    const state = { data: { items: [] as PatientView[] }, loading: false, error: null, offline: false, retry: () => {} };
    const view = await render(createElement(PeopleView<{ items: PatientView[] }>, { state, addId: 'add', children: () => null }));
    expect(view.find('#people-verification')).toBeNull();
    expect(view.text('#add')).toBe('添加就诊人');
  });
});
