// @vitest-environment jsdom
/**
 * The 实名认证 steps against a scripted server (the real typed client with a fake transport):
 * what the person sees and what is sent.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import type { PatientView } from '@hospital/shared';
import { cleanup, render } from '../../../../test/render';
import { navigations, resetShim } from '../../../../test/taro-shim';
import { clearSession, setSession } from '../../../services/session';
import { appStorage, savePendingFace } from '../logic/face';

const server = vi.hoisted(() => {
  type Req = { method: string; url: string; body?: string };
  type Res = { status: number; data: unknown };
  const state = {
    requests: [] as Req[],
    answers: [] as ((req: Req) => Res)[],
    shown: [] as (() => void)[],
    modals: [] as { title?: string; content?: string }[],
    params: {} as Record<string, string>,
  };
  return state;
});

vi.mock('@tarojs/components', () => import('../../../../test/taro-components'));
vi.mock('@tarojs/taro', async (importOriginal) => {
  const shim = (await importOriginal()) as Record<string, unknown> & { default: Record<string, unknown> };
  const showModal = async (o: { title?: string; content?: string }) => {
    server.modals.push(o);
    return { confirm: true, cancel: false };
  };
  return {
    ...shim,
    default: { ...shim.default, showModal, useRouter: () => ({ params: server.params }) },
    useDidShow: (cb: () => void) => void server.shown.push(cb),
    useDidHide: () => {},
  };
});
vi.mock('../../../services/api', async () => {
  const c = await import('../../../services/client');
  const { api } = await import('@hospital/shared');
  const client = c.createClient({
    baseUrl: 'http://api.test',
    transport: async (req) => {
      server.requests.push({ method: req.method, url: req.url, body: req.body });
      const answer = server.answers.shift();
      if (!answer) throw new Error(`unexpected ${req.method} ${req.url}`);
      return answer(req);
    },
    tokens: { get: () => ({ accessToken: 'a', refreshToken: 'r' }), set: () => {}, clear: () => {} },
  });
  return { client, call: client.call, prepare: client.prepare, api, ApiError: c.ApiError, describeError: c.describeError, isApiError: c.isApiError };
});

const ok = (data: unknown, status = 200) => () => ({ status, data });
const fail = (status: number, code: string, message: string, fields?: unknown) => () => ({ status, data: { error: { code, message, ...(fields ? { fields } : {}) } } });

const verifiedBy = (method: 'sms' | 'face' | 'guardian' | 'in_person') => ({ state: 'verified' as const, method, at: '2026-12-05T02:00:00.000Z', by: 'u1', evidenceRef: 'ref-1' });
const patient = (method: 'sms' | 'face' | 'guardian'): PatientView => ({
  id: 'p-2',
  name: '张秀英',
  relation: 'parent',
  phoneMasked: '139****0000',
  idNumberMasked: '1101**********002X',
  sex: 'female',
  birthDate: '1949-12-31',
  verification: verifiedBy(method),
  createdAt: '2026-11-01T00:00:00.000Z',
});

beforeEach(() => {
  resetShim();
  server.requests.length = 0;
  server.answers.length = 0;
  server.shown.length = 0;
  server.modals.length = 0;
  server.params = {};
  setSession({ accessToken: 'a', refreshToken: 'r', expiresAt: '2030-01-01T00:00:00+08:00', user: { id: 'u-patient-1', name: '张三', roles: ['patient'] } });
});
afterEach(async () => {
  await cleanup();
  clearSession();
});

describe('短信验证码', () => {
  it('says the code goes to the phone on record, sends it, and verifies with the six digits', async () => {
    const { SmsFlow } = await import('./SmsFlow');
    const verified = vi.fn();
    const view = await render(createElement(SmsFlow, { patientId: 'p-2', phoneMasked: '138****5678', onVerified: verified }));
    expect(view.text('#idv-sms-notice')).toBe('验证码将发送至该就诊人本人登记的手机 138****5678');

    const t = Date.now();
    server.answers.push(ok({ phoneMasked: '138****5678', expiresAt: new Date(t + 300_000).toISOString(), resendAfter: new Date(t + 60_000).toISOString() }, 201));
    await view.tap('#idv-sms-send');
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: 'http://api.test/v1/me/patients/p-2/verification/sms' });
    expect(view.text('#idv-sms-sent')).toContain('验证码已发送至 138****5678');
    expect(view.text('#idv-sms-resend')).toBe('60 秒后可重新发送');

    // A wrong code: the server's words, the box cleared for the next try.
    await view.type('#idv-sms-code', '111111');
    server.answers.push(fail(400, 'SMS_CODE_WRONG', '验证码不正确，还可尝试4次', [{ path: 'body.code', message: '验证码不正确，还可尝试4次' }]));
    await view.tap('#idv-sms-confirm');
    expect(view.text('#idv-sms-error')).toBe('验证码不正确，还可尝试4次');
    expect((view.get('#idv-sms-code') as HTMLInputElement).value).toBe('');

    await view.type('#idv-sms-code', '12 34 56');
    expect((view.get('#idv-sms-code') as HTMLInputElement).value).toBe('123456');
    server.answers.push(ok(patient('sms')));
    await view.tap('#idv-sms-confirm');
    expect(JSON.parse(server.requests.at(-1)!.body!)).toEqual({ code: '123456' });
    expect(verified).toHaveBeenCalledWith(verifiedBy('sms'));
  });

  it('a locked code can only be replaced: 确认 is off and 重新发送 is offered at once', async () => {
    const { SmsFlow } = await import('./SmsFlow');
    const view = await render(createElement(SmsFlow, { patientId: 'p-2', phoneMasked: '138****5678', onVerified: () => {} }));
    const t = Date.now();
    server.answers.push(ok({ phoneMasked: '138****5678', expiresAt: new Date(t + 300_000).toISOString(), resendAfter: new Date(t + 60_000).toISOString() }, 201));
    await view.tap('#idv-sms-send');
    await view.type('#idv-sms-code', '999999');
    server.answers.push(fail(409, 'SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取'));
    await view.tap('#idv-sms-confirm');
    expect(view.text('#idv-sms-error')).toBe('验证码错误次数过多，请重新获取');
    expect(view.get('#idv-sms-confirm').className).toContain('btn--disabled');
    expect(view.text('#idv-sms-resend')).toBe('重新发送验证码');
  });

  it('too many requests: the server’s message, nothing sent twice', async () => {
    const { SmsFlow } = await import('./SmsFlow');
    const view = await render(createElement(SmsFlow, { patientId: 'p-2', phoneMasked: '138****5678', onVerified: () => {} }));
    server.answers.push(fail(429, 'RATE_LIMITED', '该手机号今日接收验证码次数已达上限，请明天再试或到窗口核验'));
    await view.tap('#idv-sms-send');
    expect(view.text('#idv-sms-error')).toBe('该手机号今日接收验证码次数已达上限，请明天再试或到窗口核验');
    expect(server.requests).toHaveLength(1);
  });
});

describe('人脸识别', () => {
  it('WeChat/Alipay: starts without a return URL, opens the web-view page, and confirms the kept token when the person comes back', async () => {
    const { FaceFlow } = await import('./FaceFlow');
    const verified = vi.fn();
    const view = await render(createElement(FaceFlow, { patientId: 'p-2', name: '张秀英', onVerified: verified }));
    expect(view.text('#idv-face-how')).toContain('点左上角“返回”');
    server.answers.push(ok({ bizToken: 'BIZ-0123456789', url: 'https://faceid.test/h5?token=BIZ-0123456789', expiresAt: new Date(Date.now() + 600_000).toISOString() }, 201));
    await view.tap('#idv-face-start');
    expect(JSON.parse(server.requests[0].body!)).toEqual({});
    expect(navigations).toEqual([{ api: 'navigateTo', url: '/packages/identity/pages/face/index?patientId=p-2' }]);

    // Back from the web-view: the page is shown again.
    server.answers.push(ok(patient('face')));
    await view.flush();
    server.shown.forEach((cb) => cb());
    await view.flush();
    expect(server.requests[1]).toMatchObject({ url: 'http://api.test/v1/me/patients/p-2/verification/face/confirm' });
    expect(JSON.parse(server.requests[1].body!)).toEqual({ bizToken: 'BIZ-0123456789' });
    expect(verified).toHaveBeenCalledWith(verifiedBy('face'));
  });

  it('H5: back from FaceID with BizToken in the URL, the result is asked for at once; not finished yet keeps the session', async () => {
    const { FaceFlow } = await import('./FaceFlow');
    const verified = vi.fn();
    savePendingFace(appStorage, { patientId: 'p-2', bizToken: 'BIZ-KEPT-0001', url: 'https://faceid.test/h5', expiresAt: new Date(Date.now() + 600_000).toISOString() });
    server.answers.push(fail(409, 'FACE_PENDING', '人脸核验尚未完成，请完成后再试'));
    const view = await render(createElement(FaceFlow, { patientId: 'p-2', name: '张秀英', urlToken: 'BIZ-FROM-URL-01', onVerified: verified }));
    await view.flush();
    expect(JSON.parse(server.requests[0].body!)).toEqual({ bizToken: 'BIZ-FROM-URL-01' });
    expect(view.text('#idv-face-error')).toBe('人脸核验尚未完成，请完成后再试');

    server.answers.push(ok(patient('face')));
    await view.tap('#idv-face-check');
    expect(JSON.parse(server.requests[1].body!)).toEqual({ bizToken: 'BIZ-KEPT-0001' });
    expect(verified).toHaveBeenCalledWith(verifiedBy('face'));
  });

  it('a mismatch is final: the kept session is dropped and only 重新发起 is offered', async () => {
    const { FaceFlow } = await import('./FaceFlow');
    savePendingFace(appStorage, { patientId: 'p-2', bizToken: 'BIZ-KEPT-0002', url: 'https://faceid.test/h5', expiresAt: new Date(Date.now() + 600_000).toISOString() });
    server.answers.push(fail(409, 'FACE_MISMATCH', '人脸核验的姓名或身份证号与该就诊人不一致'));
    const view = await render(createElement(FaceFlow, { patientId: 'p-2', name: '张秀英', urlToken: 'BIZ-KEPT-0002', onVerified: () => {} }));
    await view.flush();
    expect(view.text('#idv-face-error')).toBe('人脸核验的姓名或身份证号与该就诊人不一致');
    expect(view.find('#idv-face-check')).toBeNull();
    expect(view.text('#idv-face-start')).toBe('重新发起人脸识别');
    expect(appStorage.get('identity:face')).toBeFalsy();
  });
});

describe('监护人认证', () => {
  it('without a verified adult on the account it says what to do first', async () => {
    const { GuardianFlow } = await import('./GuardianFlow');
    const view = await render(createElement(GuardianFlow, { patientId: 'p-9', childName: '小明', guardians: [], onVerified: () => {} }));
    expect(view.text()).toContain('本账户中还没有已实名的成年人');
  });

  it('needs the guardian, the relationship and the PIPL consent ticked before it sends', async () => {
    const { GuardianFlow } = await import('./GuardianFlow');
    const verified = vi.fn();
    const view = await render(createElement(GuardianFlow, { patientId: 'p-9', childName: '小明', guardians: [{ patientId: 'p-1', name: '张三' }], onVerified: verified }));
    expect(view.text()).toContain('《个人信息保护法》第三十一条');
    expect(view.get('#idv-guardian-submit').className).toContain('btn--disabled');
    await view.tap('#idv-relationship-parent');
    expect(view.get('#idv-guardian-submit').className).toContain('btn--disabled');
    await view.tap('#idv-guardian-consent');
    expect(view.get('#idv-guardian-submit').className).not.toContain('btn--disabled');
    server.answers.push(ok({ ...patient('guardian'), id: 'p-9', name: '小明' }));
    await view.tap('#idv-guardian-submit');
    expect(JSON.parse(server.requests[0].body!)).toEqual({ guardianPatientId: 'p-1', relationship: 'parent', consent: true });
    expect(verified).toHaveBeenCalled();
  });
});

describe('到窗口核验', () => {
  it('shows the 8-digit code very large in two groups with its countdown and what to bring', async () => {
    const { WindowCode } = await import('./WindowCode');
    server.answers.push(ok({ code: '12345678', expiresAt: new Date(Date.now() + 600_000).toISOString() }, 201));
    const view = await render(createElement(WindowCode, { patientId: 'p-2', name: '张秀英', onVerified: () => {} }));
    await view.flush();
    expect(view.text('#idv-person-code')).toBe('1234 5678');
    expect(view.text('#idv-code-timer')).toMatch(/^有效期剩余 (10:00|09:5\d)$/);
    expect(view.text()).toContain('携带张秀英的身份证原件');
    expect(view.text()).toContain('南天门工作站');
  });
});

describe('实名核验 at the window (staff)', () => {
  const nurse = () =>
    setSession({ accessToken: 'a', refreshToken: 'r', expiresAt: '2030-01-01T00:00:00+08:00', user: { id: 'u-nurse-1', name: '李护士', roles: ['nurse'], orgId: 'org-ntm' } });
  const lookup = {
    name: '张秀英',
    sex: 'female',
    birthDate: '1949-12-31',
    idNumberMasked: '1101**********002X',
    relation: 'parent',
    verification: { state: 'unverified' },
  };

  it('code → the masked person to compare → the number from the card and the place → 确认已核对身份证原件？ → done', async () => {
    nurse();
    const { default: StaffVerifyPerson } = await import('../pages/staff-verify/index');
    server.answers.push(ok({ id: 'org-ntm', name: '南天门远程医疗工作站', kind: 'station', level: '远程医疗工作站', address: '', phone: '', intro: '', location: { gcj02: { lat: 0, lng: 0 }, wgs84: { lat: 0, lng: 0 } } }));
    const view = await render(createElement(StaffVerifyPerson));
    await view.flush();
    expect(server.requests[0].url).toBe('http://api.test/v1/orgs/org-ntm');

    await view.type('#staff-idv-code', '1234 5678');
    server.answers.push(ok(lookup));
    await view.tap('#staff-idv-lookup');
    expect(server.requests[1]).toMatchObject({ method: 'GET', url: 'http://api.test/v1/staff/person-verifications/12345678' });
    const card = view.text('#staff-idv-person');
    for (const part of ['张秀英', '女', '1949-12-31', '1101**********002X', '父母', '未实名']) expect(card).toContain(part);
    expect((view.get('#staff-idv-place') as HTMLInputElement).value).toBe('南天门远程医疗工作站');

    // Someone else's valid number: caught against the mask, nothing sent, no dialog.
    await view.type('#staff-idv-id-number', '110101199003074514');
    await view.tap('#staff-idv-confirm');
    expect(view.text('#staff-idv-id-error')).toBe('与该就诊人登记的身份证号不一致，请核对证件');
    expect(server.modals).toHaveLength(0);

    await view.type('#staff-idv-id-number', '11010519491231002x');
    server.answers.push(ok({ name: '张秀英', verification: { ...verifiedBy('in_person'), place: '南天门远程医疗工作站' } }));
    await view.tap('#staff-idv-confirm');
    expect(server.modals[0].title).toBe('确认已核对身份证原件？');
    expect(JSON.parse(server.requests[2].body!)).toEqual({ code: '12345678', idNumber: '11010519491231002X', place: '南天门远程医疗工作站' });
    expect(view.text('#idv-verified')).toContain('张秀英 已实名');
    expect(view.text('#idv-verified')).toContain('南天门远程医疗工作站');

    await view.tap('#staff-idv-next');
    expect(view.find('#staff-idv-code')).not.toBeNull();
  });

  it('an unknown or expired code says so and asks for the code again', async () => {
    nurse();
    const { default: StaffVerifyPerson } = await import('../pages/staff-verify/index');
    server.answers.push(ok({ id: 'org-ntm', name: '南天门远程医疗工作站', kind: 'station', level: '', address: '', phone: '', intro: '', location: { gcj02: { lat: 0, lng: 0 }, wgs84: { lat: 0, lng: 0 } } }));
    const view = await render(createElement(StaffVerifyPerson));
    await view.type('#staff-idv-code', '87654321');
    server.answers.push(fail(404, 'NOT_FOUND', '核验码无效或已过期，请让就诊人重新生成'));
    await view.tap('#staff-idv-lookup');
    expect(view.text()).toContain('核验码无效或已过期，请让就诊人重新生成');
    await view.tap('#staff-idv-again');
    expect(view.find('#staff-idv-code')).not.toBeNull();
  });

  it('an account without a verifier role is told who does this', async () => {
    const { default: StaffVerifyPerson } = await import('../pages/staff-verify/index');
    const view = await render(createElement(StaffVerifyPerson));
    expect(view.text()).toContain('仅限医护人员');
    expect(server.requests).toHaveLength(0);
  });
});

describe('the 实名认证 page', () => {
  const status = (over: Record<string, unknown> = {}) => ({
    patientId: 'p-2',
    verification: { state: 'unverified' },
    ways: ['face', 'sms', 'in_person'],
    smsPhoneMasked: '138****5678',
    ...over,
  });
  const list = (p: PatientView) => ({ items: [p], max: 5 });
  const unverified: PatientView = { ...patient('sms'), verification: { state: 'unverified' } };

  it('shows the person as 未实名 with one big button per way; SMS through to a clear 已实名 and 返回', async () => {
    server.params = { patientId: 'p-2' };
    const { default: VerifyPerson } = await import('../pages/verify/index');
    server.answers.push(ok(status()), ok(list(unverified)));
    const view = await render(createElement(VerifyPerson));
    await view.flush();
    expect(view.text('#idv-person')).toContain('张秀英');
    expect(view.text('#idv-state')).toBe('未实名');
    expect(Array.from(view.host.querySelectorAll('.idv-way__title'), (e) => e.textContent)).toEqual(['人脸识别 ›', '短信验证码 ›', '到窗口核验 ›']);

    await view.tap('#idv-way-sms');
    expect(view.text('#idv-sms-notice')).toBe('验证码将发送至该就诊人本人登记的手机 138****5678');
    const t = Date.now();
    server.answers.push(ok({ phoneMasked: '138****5678', expiresAt: new Date(t + 300_000).toISOString(), resendAfter: new Date(t + 60_000).toISOString() }, 201));
    await view.tap('#idv-sms-send');
    await view.type('#idv-sms-code', '123456');
    server.answers.push(ok(patient('sms')), ok(status({ verification: verifiedBy('sms'), ways: [] })), ok(list(patient('sms'))));
    await view.tap('#idv-sms-confirm');
    expect(view.text('#idv-verified')).toContain('张秀英 已实名');
    expect(view.text('#idv-state')).toBe('已实名（短信验证码，2026-12-05）');
    expect(view.find('#idv-back')).not.toBeNull();
  });

  it('a child is offered only 监护人认证 and 到窗口核验', async () => {
    server.params = { patientId: 'p-9' };
    const { default: VerifyPerson } = await import('../pages/verify/index');
    const child: PatientView = { ...unverified, id: 'p-9', name: '小明', relation: 'child', birthDate: '2018-06-01' };
    server.answers.push(ok(status({ patientId: 'p-9', ways: ['guardian', 'in_person'], smsPhoneMasked: undefined, guardians: [{ patientId: 'p-1', name: '张三' }] })), ok(list(child)));
    const view = await render(createElement(VerifyPerson));
    await view.flush();
    expect(Array.from(view.host.querySelectorAll('.idv-way__title'), (e) => e.textContent)).toEqual(['监护人认证 ›', '到窗口核验 ›']);
    await view.tap('#idv-way-guardian');
    expect(view.find('#idv-guardian-p-1')).not.toBeNull();
    await view.tap('#idv-other-way');
    expect(view.find('#idv-ways')).not.toBeNull();
  });

  it('without a patientId it says so instead of loading', async () => {
    const { default: VerifyPerson } = await import('../pages/verify/index');
    const view = await render(createElement(VerifyPerson));
    expect(view.text()).toContain('缺少就诊人');
    expect(server.requests).toHaveLength(0);
  });
});
