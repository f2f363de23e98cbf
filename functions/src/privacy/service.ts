/**
 * PIPL on the account (shared/src/privacy.ts): the accepted agreement and policy, separate
 * consents for sensitive information, and the person's rights — export (Art 45), correction
 * (Art 46) and deletion (Art 47).
 *
 * Other features call `requireConsent(userId, purpose)` (./consent.ts) at the point of use.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import {
  ConsentPurpose,
  isActive,
  LEGAL_DOCUMENTS,
  PRIVACY_POLICY_VERSION,
  RETAINED_AFTER_DELETION,
  USER_AGREEMENT_VERSION,
  type AcceptAgreementRequest,
  type CorrectionRequest,
  type PrivacyView,
} from '@hospital/shared';
import { conflict, HttpError } from '#lib/errors';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import { appointmentResource } from '../booking/fhir';
import { listByAccount } from '../booking/store';
import { everything } from '../fhir/service';
import { verifiedPeople } from '../identity/access';
import * as patients from '../patients/service';
import { listPatients } from '../patients/store';
import * as store from './store';

export { hasConsent, requireConsent } from './consent';

// ── view, agreement ──
export async function view(userId: string): Promise<PrivacyView> {
  const [agreement, consents] = await Promise.all([store.getAgreement(userId), store.listConsents(userId)]);
  const order = ConsentPurpose.options;
  return {
    current: { ...LEGAL_DOCUMENTS },
    accepted: agreement ? { agreement: agreement.agreementVersion, privacy: agreement.privacyVersion, at: agreement.at } : null,
    consents: consents
      .sort((a, b) => order.indexOf(a.purpose) - order.indexOf(b.purpose))
      .map(({ purpose, granted, at }) => ({ purpose, granted, at })),
  };
}

/** Only the versions the app shows now can be accepted: an older page open in the app gets 409. */
export async function accept(userId: string, body: z.output<typeof AcceptAgreementRequest>): Promise<PrivacyView> {
  if (body.agreementVersion !== USER_AGREEMENT_VERSION || body.privacyVersion !== PRIVACY_POLICY_VERSION) {
    throw conflict('VERSION_OUTDATED', '用户协议或隐私政策已更新，请阅读最新版本后再同意');
  }
  await store.putAgreement(userId, { agreementVersion: body.agreementVersion, privacyVersion: body.privacyVersion, at: new Date().toISOString() });
  return view(userId);
}

// ── consents ──
/** Grants or revokes one separate consent; a real change is kept in the history. */
export async function setConsent(userId: string, purpose: ConsentPurpose, granted: boolean): Promise<PrivacyView> {
  if (await store.setConsent(userId, { purpose, granted, at: new Date().toISOString() })) {
    logger.info('consent changed', { user: userId, purpose, granted });
  }
  return view(userId);
}

/** Grants several consents at once (onboarding; other features' tests). */
export async function grantConsents(userId: string, purposes: ConsentPurpose[]): Promise<void> {
  for (const purpose of purposes) await store.setConsent(userId, { purpose, granted: true, at: new Date().toISOString() });
}

/** Every change of the account's consents, oldest first: who, what, granted or revoked, when. */
export const consentHistory = (userId: string) => store.consentHistory(userId);

// ── correction (Art 46) ──
const correctionView = ({ id, patientId, field, detail, status, createdAt }: store.CorrectionItem) => ({ id, patientId, field, detail, status, createdAt });

export async function requestCorrection(userId: string, body: z.output<typeof CorrectionRequest>) {
  await patients.requireOwnPatient(userId, body.patientId);
  const c: store.CorrectionItem = { id: `c-${randomUUID()}`, userId, patientId: body.patientId, field: body.field, detail: body.detail, status: 'submitted', createdAt: new Date().toISOString() };
  await store.putCorrection(c);
  logger.info('correction requested', { user: userId, patient: c.patientId, correction: c.id, field: c.field });
  return correctionView(c);
}

export async function corrections(userId: string) {
  return { items: (await store.listCorrections(userId)).map(correctionView) };
}

/** The staff worklist (no staff route yet): submitted requests of every account, oldest first. */
export const listSubmittedCorrections = (limit?: number) => store.listSubmittedCorrections(limit);

// ── export (Art 45) ──
type Entry = { fullUrl?: string; resource: Record<string, unknown> & { resourceType: string; id?: string } };

/**
 * A FHIR R4 collection of the account's verified people (the shared rule: unverified people are
 * left out silently; with any verified person the health-data consent is required): each one's
 * Patient/$everything, built by the fhir feature, plus their appointments. The fhir feature audits
 * staff reads only; a patient's read of their own people is logged here by ids and counts.
 */
export async function exportData(principal: Principal) {
  const people = await verifiedPeople(principal.userId);
  const appointments = people.length ? await listByAccount(principal.userId) : [];
  const entry: Entry[] = [];
  for (const p of people) {
    // Patient/$everything answers FHIR JSON as is (a RawReply); its entries are reused here.
    const bundle = JSON.parse((await everything(principal, p.patientId)).body) as { entry?: Entry[] };
    const own = (bundle.entry ?? []).map(({ fullUrl, resource }) => ({ fullUrl, resource }));
    entry.push(...own);
    // $everything names its entries urn:uuid (no server answers for them); appointments likewise.
    for (const a of appointments.filter((x) => x.patientId === p.patientId)) entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: appointmentResource(a) });
  }
  logger.info('data exported', { user: principal.userId, people: people.length, resources: entry.length });
  return { resourceType: 'Bundle' as const, type: 'collection' as const, timestamp: new Date().toISOString(), entry };
}

// ── deletion (Art 47) ──
/**
 * Removes the account's people (through the patients feature, so its count and ID-number entries
 * stay consistent), its consents, agreement and correction requests, and its login (profile,
 * refresh sessions, WeChat/Alipay identities: the next login there starts a new account).
 * Refused before anything is removed while a person has an active appointment (cancelling is the
 * booking feature's, with its refund). What the hospital must keep (appointments, payments,
 * reports, visits, prescriptions) is filed by appointment/order ids and person keys, and stays.
 *
 * The access token in hand is a JWT and auth has no revocation list: until it expires
 * (ACCESS_TTL_SECONDS, 15 minutes) it still authenticates, but every account route answers as
 * for a new, empty account (no people, no consents), and no refresh token works again.
 * A second call finds nothing to remove and answers the same (peopleUnlinked 0).
 */
export async function deleteAccount(userId: string) {
  const people = await listPatients(userId);
  const busy = (await listByAccount(userId)).find((a) => isActive(a.status) && people.some((p) => p.patientId === a.patientId));
  if (busy) {
    const name = people.find((p) => p.patientId === busy.patientId)?.name ?? busy.patientName;
    throw conflict('ACCOUNT_HAS_APPOINTMENTS', `就诊人${name}还有未完成的预约（${busy.date} ${busy.deptName}），请先取消或完成就诊后再注销`);
  }
  let peopleUnlinked = 0;
  for (const p of people) {
    try {
      await patients.remove(userId, p.patientId);
      peopleUnlinked++;
    } catch (e) {
      // Removed by a deletion running at the same time: already done.
      if (e instanceof HttpError && e.status === 404) continue;
      // Booked between the check above and now: the same answer as the check.
      if (e instanceof HttpError && e.code === 'PATIENT_HAS_APPOINTMENTS') throw conflict('ACCOUNT_HAS_APPOINTMENTS', `就诊人${p.name}还有未完成的预约，请先取消或完成就诊后再注销`);
      throw e;
    }
  }
  const privacyItems = await store.removeAll(userId);
  const loginItems = await store.removeLogin(userId);
  logger.info('account deleted', { user: userId, peopleUnlinked, privacyItems, loginItems });
  return { deleted: true as const, peopleUnlinked, kept: [...RETAINED_AFTER_DELETION] };
}
