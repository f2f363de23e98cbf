import { describe, expect, it } from 'vitest';
import { FACE_FAILURE_MESSAGE, verificationWays } from '@hospital/shared';
import {
  countdown,
  groupedCode,
  isCompleteSmsCode,
  needsNewFace,
  needsNewSmsCode,
  onPhoneClock,
  personCodeExpiry,
  personCodeFrom,
  refusalText,
  resendText,
  smsCodeInput,
  smsNotice,
  smsTimes,
  verificationText,
  wayOptions,
} from './verify';

const NOW = Date.parse('2026-12-05T02:00:00.000Z');
const err = (status: number, code: string, message = code, kind = 'http') => ({ kind, status, code, message });

describe('the ways a person can be verified', () => {
  it('an adult with a phone on record gets one big button each for face, SMS and the window, in that order', () => {
    const ways = verificationWays({ birthDate: '1960-03-01', hasPhoneOnRecord: true }, '2026-12-05');
    expect(wayOptions(ways).map((w) => w.title)).toEqual(['人脸识别', '短信验证码', '到窗口核验']);
  });

  it('a child under 14 is offered only the guardian and the window', () => {
    const ways = verificationWays({ birthDate: '2018-06-01', hasPhoneOnRecord: true }, '2026-12-05');
    expect(wayOptions(ways).map((w) => w.method)).toEqual(['guardian', 'in_person']);
  });

  it('ways a newer server names that this app does not know are left out, duplicates once', () => {
    expect(wayOptions(['sms', 'bank_card', 'sms']).map((w) => w.method)).toEqual(['sms']);
    expect(wayOptions(undefined)).toEqual([]);
  });
});

describe('what the verified state says', () => {
  it('names the way and the day in Beijing time', () => {
    expect(verificationText({ state: 'verified', method: 'sms', at: '2026-11-30T17:30:00.000Z', by: 'u1', evidenceRef: 's1' })).toBe('已实名（短信验证码，2026-12-01）');
  });

  it('an in-person check also names the place', () => {
    expect(
      verificationText({ state: 'verified', method: 'in_person', at: '2026-12-01T02:00:00.000Z', by: 's1', evidenceRef: 'x', place: '南天门工作站窗口' }),
    ).toBe('已实名（窗口/工作站现场核验，南天门工作站窗口，2026-12-01）');
  });

  it('unverified or unknown reads 未实名', () => {
    expect(verificationText({ state: 'unverified' })).toBe('未实名');
    expect(verificationText(undefined)).toBe('未实名');
  });
});

describe('SMS codes', () => {
  it('says the code goes to the phone on record for the person, masked', () => {
    expect(smsNotice('138****5678')).toBe('验证码将发送至该就诊人本人登记的手机 138****5678');
    expect(smsNotice(undefined)).toContain('没有该就诊人本人登记的手机号');
  });

  it('keeps six digits of whatever is typed or pasted (full-width digits too)', () => {
    expect(smsCodeInput(' 12 34-56 78')).toBe('123456');
    expect(smsCodeInput('１２３４５６')).toBe('123456');
    expect(isCompleteSmsCode('12345')).toBe(false);
    expect(isCompleteSmsCode('123456')).toBe(true);
  });

  it('the resend button waits for resendAfter, then offers 重新发送', () => {
    const after = new Date(NOW + 60_000).toISOString();
    expect(resendText(after, NOW)).toEqual({ ready: false, text: '60 秒后可重新发送' });
    expect(resendText(after, NOW + 59_001)).toEqual({ ready: false, text: '1 秒后可重新发送' });
    expect(resendText(after, NOW + 60_000)).toEqual({ ready: true, text: '重新发送验证码' });
  });

  it('a phone whose clock is 10 minutes slow still waits 60 s and keeps the code 5 minutes', () => {
    const serverNow = NOW + 600_000;
    const sent = { expiresAt: new Date(serverNow + 300_000).toISOString(), resendAfter: new Date(serverNow + 60_000).toISOString() };
    const t = smsTimes(sent, NOW);
    expect(t).toEqual({ resendAt: NOW + 60_000, expiresAt: NOW + 300_000 });
    expect(resendText(t.resendAt, NOW + 1000).text).toBe('59 秒后可重新发送');
    expect(onPhoneClock('not a time', sent.expiresAt, 300, NOW)).toBe(NOW);
  });

  it('wrong, expired and locked codes are said in the server words; expired and locked need a new code', () => {
    expect(refusalText(err(400, 'SMS_CODE_WRONG', '验证码不正确，还可尝试3次'))).toBe('验证码不正确，还可尝试3次');
    expect(refusalText(err(400, 'SMS_CODE_WRONG', 'wrong code'))).toBe('验证码不正确，请核对后重新输入');
    expect(refusalText(err(400, 'SMS_CODE_EXPIRED', 'expired'))).toBe('验证码已失效，请重新获取');
    expect(refusalText(err(409, 'SMS_CODE_LOCKED', 'locked'))).toBe('验证码错误次数过多，请重新获取');
    expect(refusalText(err(429, 'RATE_LIMITED', 'slow down'))).toBe('操作太频繁，请稍后再试');
    expect(needsNewSmsCode(err(409, 'SMS_CODE_LOCKED'))).toBe(true);
    expect(needsNewSmsCode(err(400, 'SMS_CODE_WRONG'))).toBe(false);
  });

  it('no network is left to the generic wording', () => {
    expect(refusalText(err(0, 'OFFLINE', 'offline', 'offline'))).toBeUndefined();
    expect(refusalText(null)).toBeUndefined();
  });
});

describe('face results', () => {
  it('each FaceID refusal has its sentence; a finished session must be started again', () => {
    expect(refusalText(err(409, 'FACE_PENDING', 'pending'))).toBe(FACE_FAILURE_MESSAGE.pending);
    expect(refusalText(err(409, 'FACE_MISMATCH', 'mismatch'))).toBe(FACE_FAILURE_MESSAGE.mismatch);
    expect(refusalText(err(409, 'FACE_FAILED', 'fail'))).toBe(FACE_FAILURE_MESSAGE.fail);
    expect(needsNewFace(err(409, 'FACE_PENDING'))).toBe(false);
    expect(needsNewFace(err(409, 'FACE_EXPIRED'))).toBe(true);
  });
});

describe('the window code', () => {
  it('is shown as two groups of four', () => {
    expect(groupedCode('12345678')).toBe('1234 5678');
  });

  it('staff may type it with spaces or scan a text that carries it', () => {
    expect(personCodeFrom('1234 5678')).toBe('12345678');
    expect(personCodeFrom('https://h5.test/x?code=87654321&v=2')).toBe('87654321');
    expect(personCodeFrom('1234567')).toBeNull();
    expect(personCodeFrom('123456789')).toBeNull();
  });

  it('counts down to its expiry and reads 00:00 only once it has passed', () => {
    const until = new Date(NOW + 600_000).toISOString();
    expect(countdown(until, NOW)).toEqual({ seconds: 600, expired: false, text: '10:00' });
    expect(countdown(until, NOW + 599_500)).toEqual({ seconds: 1, expired: false, text: '00:01' });
    expect(countdown(until, NOW + 600_000)).toMatchObject({ expired: true, text: '00:00' });
    expect(countdown(undefined, NOW).expired).toBe(true);
    // On the phone's own clock, whatever the server's says.
    const fast = { expiresAt: new Date(NOW - 3_600_000 + 600_000).toISOString() };
    expect(countdown(personCodeExpiry(fast, NOW), NOW).text).toBe('10:00');
  });
});
