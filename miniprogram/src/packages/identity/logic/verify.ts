/**
 * 实名认证 on the phone: how each way is offered, what a verified state says, the code inputs and
 * countdowns, and the words for the server's refusals. Pure functions (the clock is an argument),
 * tested in `verify.test.ts`; the pages only lay them out.
 */
import {
  FACE_FAILURE_MESSAGE,
  PERSON_CODE,
  SMS_CODE,
  VERIFICATION_METHOD_LABEL,
  VerificationMethod,
  type Verification,
} from '@hospital/shared';
import { localDay } from '../../../components/reports/format';

export interface WayOption {
  method: VerificationMethod;
  /** The big button's text. */
  title: string;
  /** One line under it: what the person needs for this way. */
  hint: string;
}

const WAY_TEXT: Record<VerificationMethod, { title: string; hint: string }> = {
  face: { title: '人脸识别', hint: '就诊人本人对着手机完成，约1分钟，需身份证号与姓名一致' },
  sms: { title: '短信验证码', hint: '验证码发送到医院登记的该就诊人本人手机' },
  guardian: { title: '监护人认证', hint: '14岁以下儿童，由本账户中已实名的父母或监护人认证' },
  in_person: { title: '到窗口核验', hint: '携带身份证原件，到窗口、南天门工作站或一体机由工作人员核验' },
};

/** One button per way the server offers, in its order; unknown strings (a newer server) are left out. */
export function wayOptions(ways: readonly string[] | undefined): WayOption[] {
  const known = (ways ?? []).filter((w): w is VerificationMethod => VerificationMethod.safeParse(w).success);
  return [...new Set(known)].map((method) => ({ method, ...WAY_TEXT[method] }));
}

/** `已实名（短信验证码，2026-12-01）`, `已实名（窗口/工作站现场核验，南天门工作站窗口，2026-12-01）`, or `未实名`. */
export function verificationText(v: Verification | undefined): string {
  if (!v || v.state !== 'verified') return '未实名';
  const parts = [VERIFICATION_METHOD_LABEL[v.method], v.method === 'in_person' && v.place ? v.place : '', v.at ? localDay(v.at) : ''].filter(Boolean);
  return `已实名（${parts.join('，')}）`;
}

/** The sentence before an SMS is sent: the code goes to the phone on record, never the one typed on the account. */
export function smsNotice(phoneMasked: string | undefined): string {
  return phoneMasked ? `验证码将发送至该就诊人本人登记的手机 ${phoneMasked}` : '医院没有该就诊人本人登记的手机号，请改用其他方式';
}

/** Keeps only digits, at most `max` of them (a pasted `12 34 56`, a full-width keyboard). */
export function digitsOnly(input: string, max: number): string {
  const halfWidth = input.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return halfWidth.replace(/\D/g, '').slice(0, max);
}

export const smsCodeInput = (input: string) => digitsOnly(input, SMS_CODE.length);
export const isCompleteSmsCode = (code: string) => new RegExp(`^\\d{${SMS_CODE.length}}$`).test(code);

/**
 * A person code typed or scanned at the window: the 8 digits, also out of a scanned text that
 * carries them (`12345678`, `1234 5678`, `...?code=12345678`); null when there are not exactly 8.
 */
export function personCodeFrom(input: string): string | null {
  const trimmed = input.trim();
  const whole = digitsOnly(trimmed, 64);
  if (whole.length === PERSON_CODE.length) return whole;
  const m = new RegExp(`(?:^|\\D)(\\d{${PERSON_CODE.length}})(?:\\D|$)`).exec(trimmed);
  return m ? m[1] : null;
}

/** `1234 5678`: two groups of four, easier to read aloud at a window. */
export function groupedCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export interface Countdown {
  seconds: number;
  expired: boolean;
  /** `09:58`; `00:00` once expired. */
  text: string;
}

/** Seconds left until a time (ISO or ms), rounded up so `00:00` is only shown once it has passed. */
export function countdown(until: string | number | undefined, now: number): Countdown {
  const end = typeof until === 'number' ? until : until ? Date.parse(until) : NaN;
  const ms = Number.isNaN(end) ? 0 : Math.max(0, end - now);
  const seconds = Math.ceil(ms / 1000);
  const text = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  return { seconds, expired: seconds <= 0, text };
}

/**
 * A server deadline on this phone's clock. Phones' clocks are often minutes off, so the deadline
 * keeps its distance from when the server issued the code (its expiry minus the shared TTL),
 * counted from when the answer arrived here.
 */
export function onPhoneClock(deadlineIso: string, expiresAtIso: string, ttlSeconds: number, receivedAt: number): number {
  const issuedAt = Date.parse(expiresAtIso) - ttlSeconds * 1000;
  const deadline = Date.parse(deadlineIso);
  if (Number.isNaN(issuedAt) || Number.isNaN(deadline)) return receivedAt;
  return receivedAt + Math.max(0, deadline - issuedAt);
}

/** An SMS code's resend time and expiry on this phone's clock. */
export function smsTimes(sent: { expiresAt: string; resendAfter: string }, receivedAt: number): { resendAt: number; expiresAt: number } {
  return {
    resendAt: onPhoneClock(sent.resendAfter, sent.expiresAt, SMS_CODE.ttlSeconds, receivedAt),
    expiresAt: onPhoneClock(sent.expiresAt, sent.expiresAt, SMS_CODE.ttlSeconds, receivedAt),
  };
}

/** A window code's expiry on this phone's clock. */
export const personCodeExpiry = (code: { expiresAt: string }, receivedAt: number) => onPhoneClock(code.expiresAt, code.expiresAt, PERSON_CODE.ttlSeconds, receivedAt);

/** The resend button: `60 秒后可重新发送` while waiting, then `重新发送`. */
export function resendText(resendAt: string | number | undefined, now: number): { ready: boolean; text: string } {
  const c = countdown(resendAt, now);
  return c.expired ? { ready: true, text: '重新发送验证码' } : { ready: false, text: `${c.seconds} 秒后可重新发送` };
}

const HAN = /[\u4e00-\u9fff]/;

type ErrorLike = { kind?: string; status: number; code: string; message: string } | null | undefined;

/**
 * What to say when a step is refused. The server words its refusals for people (验证码不正确，还可
 * 尝试3次 / 验证码已失效 / 错误次数过多 / FaceID's reasons); these are the fallbacks when a message is
 * not in Chinese, by code. Undefined for errors the generic `describeError` words well (offline, 5xx).
 */
export function refusalText(e: ErrorLike): string | undefined {
  if (!e || e.kind === 'offline' || e.kind === 'network') return undefined;
  if (HAN.test(e.message)) return e.message;
  switch (e.code) {
    case 'SMS_CODE_WRONG':
      return '验证码不正确，请核对后重新输入';
    case 'SMS_CODE_EXPIRED':
      return '验证码已失效，请重新获取';
    case 'SMS_CODE_LOCKED':
      return '验证码错误次数过多，请重新获取';
    case 'RATE_LIMITED':
      return '操作太频繁，请稍后再试';
    case 'FACE_PENDING':
      return FACE_FAILURE_MESSAGE.pending;
    case 'FACE_EXPIRED':
    case 'FACE_TOKEN_USED':
      return FACE_FAILURE_MESSAGE.expired;
    case 'FACE_FAILED':
      return FACE_FAILURE_MESSAGE.fail;
    case 'FACE_MISMATCH':
      return FACE_FAILURE_MESSAGE.mismatch;
    case 'ALREADY_VERIFIED':
      return '该就诊人已完成实名认证';
    case 'GUARDIAN_NOT_VERIFIED':
      return '监护人须为已实名认证的成年人';
    case 'NO_PHONE_ON_RECORD':
      return '医院没有该就诊人本人登记的手机号，请使用人脸识别或到窗口核验';
    default:
      return undefined;
  }
}

/** A wrong/expired/locked code: clear the input so the next try starts clean. */
export const clearsSmsInput = (e: ErrorLike) => !!e && ['SMS_CODE_EXPIRED', 'SMS_CODE_LOCKED'].includes(e.code);
/** The code is gone (expired, locked): the person has to ask for a new one, not retype. */
export const needsNewSmsCode = clearsSmsInput;

/** A face result that will not change by asking again: start a new FaceID session. */
export const needsNewFace = (e: ErrorLike) => !!e && ['FACE_EXPIRED', 'FACE_TOKEN_USED', 'FACE_FAILED', 'FACE_MISMATCH', 'NOT_FOUND'].includes(e.code);
