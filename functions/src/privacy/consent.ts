/**
 * The consent check other features call at the point of use: 403 CONSENT_REQUIRED with
 * `error.purpose`, so the app can ask for exactly that consent. An SOS never calls it (PIPL Art
 * 13(4)). Apart from ./service.ts so that features it reads (export) can use it without a cycle.
 */
import { CONSENT_PURPOSE_TEXT, type ConsentPurpose } from '@hospital/shared';
import { HttpError } from '#lib/errors';
import * as store from './store';

export async function hasConsent(userId: string, purpose: ConsentPurpose): Promise<boolean> {
  return (await store.getConsent(userId, purpose))?.granted === true;
}

/** 403 CONSENT_REQUIRED naming the consent (title in the message, `purpose` in the error body). */
export async function requireConsent(userId: string, purpose: ConsentPurpose): Promise<void> {
  if (await hasConsent(userId, purpose)) return;
  const { title } = CONSENT_PURPOSE_TEXT[purpose];
  throw new HttpError(403, 'CONSENT_REQUIRED', `需要您同意我们处理您的${title}后才能继续，可在“授权管理”中开启`, undefined, undefined, { purpose });
}
