/**
 * WeChat's privacy authorization, between the host and our popup.
 *
 * WeChat holds every private API (getLocation, chooseMedia, scanCode, setClipboardData, …) until
 * the person has agreed to the mini-program's 《用户隐私保护指引》. With `onNeedPrivacyAuthorization`
 * registered (once, at app start: `platform.startPrivacyAuthorization()`), WeChat hands us a
 * `resolve` instead of showing its own sheet; the held call goes on after
 * `resolve({ buttonId, event: 'agree' })` — `buttonId` being a tapped
 * `<Button openType="agreePrivacyAuthorization">` — and fails after `resolve({ event: 'disagree' })`.
 *
 * The popup (components/PrivacyPopup.tsx) must be on the page the person sees: each mounted popup
 * subscribes with its page path; a request goes to the popup of the current page, or, when that
 * page has none, to the stand-alone page `privacyAuthorize` (opened by `openFallback`).
 *
 * Platform-neutral: on Alipay and in a browser nothing ever calls `need`, so no popup shows.
 */
import Taro from '@tarojs/taro';
import { routes } from '../routes';

export interface PrivacyResolveOption {
  event: 'exposureAuthorization' | 'agree' | 'disagree';
  buttonId?: string;
}
export type PrivacyResolve = (option: PrivacyResolveOption) => void;

/** What the popup shows: the API that asked (WeChat's `referrer`), when known. */
export interface PrivacyRequest {
  referrer?: string;
}
export type PromptListener = (request: PrivacyRequest | null) => void;

export interface PrivacyPromptsDeps {
  /** The page the person sees (`pages/index/index`), from the page stack. */
  currentPath: () => string | undefined;
  /** No popup on the current page: open the stand-alone popup page. */
  openFallback: () => void;
}

/** `/pages/index/index?x=1` and `pages/index/index` are the same page. */
export const normalizePath = (path: string | undefined) => (path ?? '').split('?')[0].replace(/^\/+/, '');

export function createPrivacyPrompts(deps: PrivacyPromptsDeps) {
  let pending: { resolve: PrivacyResolve; referrer?: string; exposed: boolean }[] = [];
  const listeners = new Map<number, { path: string; fn: PromptListener }>();
  let nextId = 1;
  let fallbackOpened = false;

  const request = (): PrivacyRequest | null => (pending.length ? { referrer: pending[pending.length - 1].referrer } : null);

  /** The popups of the current page (normally one). */
  const here = () => {
    const path = normalizePath(deps.currentPath());
    return [...listeners.values()].filter((l) => l.path === path);
  };

  const notifyAll = () => {
    const r = request();
    listeners.forEach((l) => l.fn(r));
  };

  const settle = (option: PrivacyResolveOption) => {
    const all = pending;
    pending = [];
    fallbackOpened = false;
    all.forEach((p) => {
      try {
        p.resolve(option);
      } catch {
        /* an old base library without the held call: nothing to continue */
      }
    });
    notifyAll();
  };

  return {
    /** WeChat needs the person's agreement (the `onNeedPrivacyAuthorization` listener). */
    need(resolve: PrivacyResolve, referrer?: string): void {
      pending.push({ resolve, referrer, exposed: false });
      const popups = here();
      if (popups.length) {
        const r = request();
        popups.forEach((l) => l.fn(r));
      } else if (!fallbackOpened) {
        fallbackOpened = true;
        deps.openFallback();
      }
    },
    /**
     * A popup on the page at `path`; it is told at once when a request is already waiting there
     * (`standalone`: the popup page opened for it, told whatever the page stack says).
     */
    subscribe(path: string, fn: PromptListener, standalone = false): () => void {
      const id = nextId++;
      const p = normalizePath(path);
      listeners.set(id, { path: p, fn });
      if (pending.length && (standalone || normalizePath(deps.currentPath()) === p)) fn(request());
      return () => void listeners.delete(id);
    },
    current: request,
    /** The popup is on screen: tell WeChat once per request (`exposureAuthorization`). */
    exposed(): void {
      pending.forEach((p) => {
        if (p.exposed) return;
        p.exposed = true;
        try {
          p.resolve({ event: 'exposureAuthorization' });
        } catch {
          /* optional signal */
        }
      });
    },
    /** The person tapped our `agreePrivacyAuthorization` button `buttonId`: every held call goes on. */
    agree(buttonId: string): void {
      settle({ event: 'agree', buttonId });
    },
    /** The person declined (or left the page): every held call fails with "privacy permission is not authorized". */
    disagree(): void {
      settle({ event: 'disagree' });
    },
  };
}

export type PrivacyPrompts = ReturnType<typeof createPrivacyPrompts>;

/** The app's one instance. */
export const privacyPrompts: PrivacyPrompts = createPrivacyPrompts({
  currentPath: () => {
    const pages = Taro.getCurrentPages() as { route?: string; __route__?: string }[];
    const top = pages[pages.length - 1];
    return top?.route ?? top?.__route__;
  },
  openFallback: () => {
    Taro.navigateTo({ url: routes.privacyAuthorize.path }).catch(() => privacyPrompts.disagree());
  },
});
