/**
 * Separate consent at the point of use (PIPL Art 29). The server answers 403 `CONSENT_REQUIRED`
 * with `error.purpose` when an action needs a consent the account has not given; the app then
 * shows that purpose's text (CONSENT_PURPOSE_TEXT) with 同意 / 暂不, and on 同意 records the
 * consent and tries the action again. Pure: asking and recording are passed in
 * (components/ConsentGate.tsx passes a dialog and `api.privacy.consent`).
 */
import { ConsentPurpose, type PrivacyView } from '@hospital/shared';
import { isApiError } from './client';

/** The missing consent an error names, if it is a CONSENT_REQUIRED one with a purpose we know. */
export function consentPurposeOf(err: unknown): ConsentPurpose | undefined {
  if (!isApiError(err) || err.code !== 'CONSENT_REQUIRED') return undefined;
  const p = ConsentPurpose.safeParse(err.purpose);
  return p.success ? p.data : undefined;
}

/** Whether the account has granted `purpose` (its latest answer). */
export function hasGranted(view: Pick<PrivacyView, 'consents'> | undefined, purpose: ConsentPurpose): boolean {
  return !!view?.consents.find((c) => c.purpose === purpose)?.granted;
}

export interface ConsentDeps {
  /** Shows the purpose's text; true for 同意, false for 暂不. */
  ask: (purpose: ConsentPurpose) => Promise<boolean>;
  /** Records the consent (`PUT /v1/me/privacy/consents/{purpose}` with granted: true). */
  grant: (purpose: ConsentPurpose) => Promise<void>;
}

export type ConsentOutcome<T> = { ok: true; value: T } | { ok: false; declined: ConsentPurpose };

/**
 * Runs `action`; when it fails for a missing consent, asks, records it and runs it again. An action
 * may need more than one consent (health data, then ID numbers): each is asked once. Any other
 * error is thrown as it came; so is a second refusal for the same purpose (the server disagrees).
 */
export async function withConsent<T>(action: () => Promise<T>, deps: ConsentDeps): Promise<ConsentOutcome<T>> {
  const asked = new Set<ConsentPurpose>();
  for (;;) {
    try {
      return { ok: true, value: await action() };
    } catch (err) {
      const purpose = consentPurposeOf(err);
      if (!purpose || asked.has(purpose)) throw err;
      asked.add(purpose);
      if (!(await deps.ask(purpose))) return { ok: false, declined: purpose };
      await deps.grant(purpose);
    }
  }
}

/**
 * Before an action that will need `purpose` (asking first reads better than failing first):
 * true when granted already or now, false when the person chose 暂不.
 */
export async function ensureConsent(
  purpose: ConsentPurpose,
  deps: ConsentDeps & { current: () => Promise<Pick<PrivacyView, 'consents'> | undefined> },
): Promise<boolean> {
  let view: Pick<PrivacyView, 'consents'> | undefined;
  try {
    view = await deps.current();
  } catch {
    view = undefined; // unknown: ask; granting twice is harmless
  }
  if (hasGranted(view, purpose)) return true;
  if (!(await deps.ask(purpose))) return false;
  await deps.grant(purpose);
  return true;
}
