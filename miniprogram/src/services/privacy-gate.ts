/**
 * First-login acceptance of 用户协议 and 隐私政策 (PIPL Art 13–17: tell, then ask). One module, two
 * calls into it: the login page's success path (`acceptanceAfterLogin`) and the app shell on start
 * and return to the foreground (`gateOnShow`, app.tsx).
 *
 * When the server says the account has accepted nothing, or older versions than the current ones,
 * every page is closed and the acceptance page opens alone (`reLaunch`, its 返回首页 button hidden):
 * 同意并继续 goes on to where the person was going; 不同意 logs out. 紧急求助 is never interrupted,
 * and the acceptance page offers it too.
 *
 * Failing to ask is never a lock-out: offline, server unreachable, a staff-only account (the route
 * is for patients) or an older server without the route all count as "unknown" and let the person
 * through; the next start asks again.
 */
import Taro from '@tarojs/taro';
import { LEGAL_DOCUMENTS, type PrivacyView } from '@hospital/shared';
import { routeOfPath, routeUrl, type RouteName } from '../routes';
import { currentPageUrl } from '../navigation';
import { api, call } from './api';
import { getSession } from './session';

/** True when the account must (again) read and agree: nothing accepted, or not the current versions. */
export function needsAcceptance(view: Pick<PrivacyView, 'current' | 'accepted'>): boolean {
  const { accepted, current } = view;
  if (!accepted) return true;
  return accepted.agreement !== current.agreement || accepted.privacy !== current.privacy;
}

/** What 同意并继续 sends: the versions of the text this app shows (the server refuses others with 409). */
export function acceptBody(): { agreementVersion: string; privacyVersion: string } {
  return { agreementVersion: LEGAL_DOCUMENTS.agreement, privacyVersion: LEGAL_DOCUMENTS.privacy };
}

/** Pages the gate never closes: a call for help, and the pages one reads before agreeing. */
export const GATE_EXEMPT: ReadonlySet<RouteName> = new Set<RouteName>([
  'emergency',
  'dispatchConsole',
  'login',
  'privacyAccept',
  'privacyAgreement',
  'privacyPolicy',
  'privacyAuthorize',
]);

/** Whether the acceptance page may replace the page the person is on now. */
export const mayInterrupt = (route: RouteName | undefined) => !route || !GATE_EXEMPT.has(route);

export type GateAnswer = 'needed' | 'ok' | 'unknown';

/** Only patient accounts have the route; any failure is "unknown", never "needed". */
export async function checkAcceptance(): Promise<GateAnswer> {
  const session = getSession();
  if (!session || !session.user.roles.includes('patient')) return 'unknown';
  try {
    const view = await call(api.privacy.get);
    return needsAcceptance(view) ? 'needed' : 'ok';
  } catch {
    return 'unknown';
  }
}

/** Checked at most this often on returning to the foreground (a start always checks). */
const RECHECK_MS = 30 * 60_000;
let lastAnswer: { userId: string; answer: GateAnswer; at: number } | null = null;
let inflight: Promise<void> | null = null;

/** The acceptance page said yes: no need to ask the server again in this run. */
export function markAccepted(): void {
  const s = getSession();
  if (s) lastAnswer = { userId: s.user.id, answer: 'ok', at: Date.now() };
}

function openAcceptance(next: string | undefined): Promise<void> {
  return Taro.reLaunch({ url: routeUrl('privacyAccept', next ? { next } : {}) })
    .then(() => undefined)
    .catch(() => undefined);
}

/**
 * Login succeeded: true when the acceptance page was opened instead of `next` (the login page
 * then does nothing more); false to go on to `next` as usual.
 */
export async function acceptanceAfterLogin(next: string | undefined): Promise<boolean> {
  const answer = await checkAcceptance();
  const s = getSession();
  if (s) lastAnswer = { userId: s.user.id, answer, at: Date.now() };
  if (answer !== 'needed') return false;
  await openAcceptance(next);
  return true;
}

/** The first page exists a moment after launch; navigation before that fails on some hosts. */
async function pageReady(): Promise<void> {
  for (let i = 0; i < 20 && Taro.getCurrentPages().length === 0; i++) await new Promise((r) => setTimeout(r, 150));
}

/** App start or back in the foreground with a stored session (app.tsx). Never throws. */
export function gateOnShow(): void {
  const s = getSession();
  if (!s || inflight) return;
  if (lastAnswer && lastAnswer.userId === s.user.id && lastAnswer.answer === 'ok' && Date.now() - lastAnswer.at < RECHECK_MS) return;
  inflight = (async () => {
    const answer = await checkAcceptance();
    lastAnswer = { userId: s.user.id, answer, at: Date.now() };
    if (answer !== 'needed') return;
    await pageReady();
    const here = currentPageUrl();
    const route = here ? routeOfPath(here) : undefined;
    // On the SOS page (or reading the documents) now: ask at the next start instead.
    if (!mayInterrupt(route)) {
      lastAnswer = null;
      return;
    }
    await openAcceptance(here && route !== 'home' ? here : undefined);
  })()
    .catch(() => undefined)
    .finally(() => {
      inflight = null;
    });
}

/** For tests: forget what this run has learned. */
export function resetGate(): void {
  lastAnswer = null;
  inflight = null;
}
