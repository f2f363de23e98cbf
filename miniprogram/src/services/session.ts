/**
 * The logged-in session: the token pair and the user, kept with Taro storage (localStorage on
 * H5, so a reload keeps the person logged in). Components read it with `useSession()`.
 */
import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import type { TokenPair, UserView } from '@hospital/shared';
import type { TokenStore } from './client';

const STORAGE_KEY = 'hospital.session.v1';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: UserView;
}

let current: Session | null | undefined;
const listeners = new Set<() => void>();

function isSession(v: unknown): v is Session {
  const s = v as Session | null;
  return !!s && typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && !!s.user?.id;
}

export function getSession(): Session | null {
  if (current === undefined) {
    try {
      const stored: unknown = Taro.getStorageSync(STORAGE_KEY);
      current = isSession(stored) ? stored : null;
    } catch {
      current = null;
    }
  }
  return current;
}

function publish(next: Session | null) {
  current = next;
  try {
    if (next) Taro.setStorageSync(STORAGE_KEY, next);
    else Taro.removeStorageSync(STORAGE_KEY);
  } catch {
    // Storage full or unavailable: the session still lives in memory for this run.
  }
  listeners.forEach((l) => l());
}

export function setSession(pair: TokenPair): void {
  publish({
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: pair.expiresAt,
    user: pair.user,
  });
}

export function clearSession(): void {
  if (getSession() !== null) publish(null);
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current session; re-renders on login, refresh and logout. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

/** The client's view of the session. */
export const sessionTokens: TokenStore = {
  get: () => getSession(),
  set: setSession,
  clear: clearSession,
};
