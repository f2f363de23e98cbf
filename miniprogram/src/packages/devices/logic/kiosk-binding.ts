/**
 * Pure helpers of the kiosk page (no Taro): the one-time code the kiosk shows, typed or carried
 * by the kiosk's on-screen QR, and what the binding's state means for the person.
 */
import { KIOSK_CODE_DIGITS, KioskCode, type KioskSessionView } from '@hospital/shared';

/** What is typed into the code field: digits only, at most the code's length. */
export const kioskCodeInput = (raw: string) => raw.replace(/\D/g, '').slice(0, KIOSK_CODE_DIGITS);

export const isCompleteKioskCode = (code: string) => KioskCode.safeParse(code).success;

/** A code that arrived with the page (the kiosk's on-screen QR), if it is one. */
export const codeFromParam = (v: string | undefined) => (v && isCompleteKioskCode(v) ? v : '');

/** The renew button's words, or undefined when no renewal is left. */
export function renewLabel(s: Pick<KioskSessionView, 'renewalsLeft'>, minutes: number): string | undefined {
  const left = s.renewalsLeft ?? 0;
  return left > 0 ? `再测 ${minutes} 分钟（还可延长 ${left} 次）` : undefined;
}

/** A binding of mine that is gone when the page looks again: ended by time, by me, or by the next person at the kiosk. */
export function endedNotice(before: KioskSessionView | undefined, now: KioskSessionView): string | undefined {
  if (before?.state !== 'mine' || now.state === 'mine') return undefined;
  return now.state === 'busy' ? '下一位已在一体机上输入验证码开始测量，您的这次测量已结束。' : '这次测量已结束。如需继续，请输入一体机屏幕上的新验证码。';
}
