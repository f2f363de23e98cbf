/**
 * The kiosk registry (admin) and binding a person to a kiosk (patient). A kiosk has up to two
 * active secrets: rotating adds a new one and keeps the previous, so a kiosk being reconfigured
 * keeps working; the one before that stops working. Secret values are shown once, at creation or
 * rotation, and never again.
 */
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type * as z from 'zod';
import {
  KIOSK_CODE_DIGITS,
  KIOSK_CODE_MAX_TRIES,
  KIOSK_CODE_REFRESH_SECONDS,
  KIOSK_CODE_SECONDS,
  KIOSK_MAX_RENEWALS,
  KIOSK_SESSION_MINUTES,
  type CreateKioskRequest,
  type KioskCodeView,
  type KioskSessionView,
  type KioskView,
} from '@hospital/shared';
import { hasRoleIn, orgsWithRole, requireOrgRole } from '#lib/authority';
import { conflict, forbidden, HttpError, invalidField, notFound } from '#lib/errors';
import { claimNonce, verifyPush } from '#lib/hmac-push';
import { logger } from '#lib/logger';
import type { Principal } from '#lib/tokens';
import * as catalog from '../catalog/store';
import { requireOwnPatient } from '../patients/service';
import * as qrStore from '../qr/store';
import { qrUrl } from '../qr/service';
import * as store from './store';

/** How many secrets stay valid at once (the new one and the one before it). */
export const ACTIVE_SECRETS = 2;

const newSecret = (now: string): store.KioskSecret => ({
  id: `s-${now.slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`,
  value: randomBytes(32).toString('base64url'),
  createdAt: now,
});

export const kioskView = (k: store.KioskItem): KioskView => ({
  id: k.kioskId,
  orgId: k.orgId,
  orgName: k.orgName,
  label: k.label,
  qrCode: k.qrCode,
  qrUrl: qrUrl(k.qrCode),
  secrets: k.secrets.map(({ id, createdAt }) => ({ id, createdAt })),
  createdAt: k.createdAt,
});

// Kiosks push often: their registry entry is cached briefly per container. A rotation or a new
// kiosk is seen within this time (the previous secret stays valid through a rotation anyway).
const CACHE_MS = 30_000;
const cache = new Map<string, { kiosk: store.KioskItem | undefined; until: number }>();
export async function cachedKiosk(kioskId: string, now = Date.now()): Promise<store.KioskItem | undefined> {
  const hit = cache.get(kioskId);
  if (hit && hit.until > now) return hit.kiosk;
  const kiosk = await store.getKiosk(kioskId);
  if (cache.size > 5000) cache.clear();
  cache.set(kioskId, { kiosk, until: now + CACHE_MS });
  return kiosk;
}
export const forgetKiosk = (kioskId: string) => cache.delete(kioskId);

export async function create(principal: Principal, body: z.output<typeof CreateKioskRequest>) {
  if (!hasRoleIn(principal, body.orgId, 'admin')) throw forbidden('只能为本机构登记一体机');
  const org = await catalog.getOrg(body.orgId);
  if (!org) throw invalidField('body.orgId', '机构不存在');
  const now = new Date().toISOString();
  const kioskId = body.kioskId ?? `kiosk-${randomBytes(5).toString('hex')}`;
  const secret = newSecret(now);
  const kiosk: store.KioskItem = { kioskId, orgId: org.id, orgName: org.name, label: body.label, qrCode: kioskId, secrets: [secret], createdAt: now };
  // The printed code first: if its id is taken by another code, nothing is registered.
  const existing = await qrStore.getQr(kioskId);
  if (existing && !(existing.target.kind === 'kiosk' && existing.target.kioskId === kioskId)) throw conflict('QR_EXISTS', '该编号已被其他二维码使用');
  if (!(await store.putKiosk(kiosk))) throw conflict('KIOSK_EXISTS', '该一体机编号已登记');
  if (!existing) {
    await qrStore.putQr({
      code: kioskId,
      label: body.label,
      target: { kind: 'kiosk', orgId: org.id, kioskId },
      org: { id: org.id, name: org.name, kind: org.kind },
      createdBy: principal.userId,
      createdAt: now,
    });
  }
  logger.info('kiosk registered', { kioskId, orgId: org.id, by: principal.userId });
  return { kiosk: kioskView(kiosk), secret: { id: secret.id, value: secret.value } };
}

/** The kiosks of the organisations the caller administers (`orgId` narrows to one of them). */
export async function list(principal: Principal, orgId?: string) {
  const orgs = orgsWithRole(principal, 'admin').filter((o) => !orgId || o === orgId);
  return { items: (await Promise.all(orgs.map((o) => store.listKiosks(o)))).flat().map(kioskView) };
}

export async function rotate(principal: Principal, kioskId: string) {
  const kiosk = await store.getKiosk(kioskId);
  if (!kiosk) throw notFound('一体机不存在');
  requireOrgRole(principal, kiosk.orgId, ['admin'], '一体机不存在');
  const secret = newSecret(new Date().toISOString());
  const secrets = [secret, ...kiosk.secrets].slice(0, ACTIVE_SECRETS);
  if (!(await store.setSecrets(kioskId, secrets, kiosk.secrets[0]?.id ?? ''))) throw conflict('ROTATION_CONFLICT', '密钥刚被他人更换，请刷新后重试');
  forgetKiosk(kioskId);
  logger.info('kiosk secret rotated', { kioskId, secretId: secret.id, by: principal.userId });
  return { kiosk: kioskView({ ...kiosk, secrets }), secret: { id: secret.id, value: secret.value } };
}

// ── binding a person ─────────────────────────────────────────────────────────────────────────
// Presence first: the kiosk shows a one-time code (fetched by a signed request, like its pushes);
// binding needs it, so nobody binds a public kiosk from afar. A binding lasts one measurement
// session, renewable KIOSK_MAX_RENEWALS times; a binding made with a fresh code replaces whoever
// was bound (the person at the kiosk now wins); binding at another kiosk ends the one here.
async function existingKiosk(kioskId: string) {
  const k = /^[\w-]{1,64}$/.test(kioskId) ? await store.getKiosk(kioskId) : undefined;
  if (!k) throw notFound('一体机不存在或已停用');
  return k;
}

function sessionView(k: store.KioskItem, s: store.SessionItem | undefined, userId: string): KioskSessionView {
  const base = { kioskId: k.kioskId, label: k.label, orgId: k.orgId, orgName: k.orgName };
  if (!s) return { ...base, state: 'none' };
  // Someone else's binding: only that the kiosk is busy and until when, never who.
  if (s.userId !== userId) return { ...base, state: 'busy', expiresAt: s.expiresAt };
  const renewals = s.renewals ?? 0;
  return {
    ...base,
    state: 'mine',
    patientId: s.patientId,
    patientName: s.patientName,
    openedAt: s.openedAt,
    expiresAt: s.expiresAt,
    renewals,
    renewalsLeft: Math.max(0, KIOSK_MAX_RENEWALS - renewals),
  };
}

export async function sessionOf(principal: Principal, kioskId: string) {
  const k = await existingKiosk(kioskId);
  return sessionView(k, await store.getSession(kioskId), principal.userId);
}

const sessionEnd = (now: Date) => new Date(now.getTime() + KIOSK_SESSION_MINUTES * 60_000).toISOString();
const newCode = () => String(randomInt(0, 10 ** KIOSK_CODE_DIGITS)).padStart(KIOSK_CODE_DIGITS, '0');
/** The kiosk's page with the code in it: the kiosk shows it as a QR beside the digits. */
export const kioskCodeUrl = (kioskId: string, code: string) => `${qrUrl(kioskId)}&k=${code}`;

/** The code to show now: the current one while it has time left, else a new one (one winner under a race). */
async function currentCode(kioskId: string, nowMs: number): Promise<store.CodeItem> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const c = await store.getCode(kioskId);
    if (c && Date.parse(c.expiresAt) - nowMs > KIOSK_CODE_REFRESH_SECONDS * 1000) return c;
    const fresh: store.CodeItem = { kioskId, code: newCode(), issuedAt: new Date(nowMs).toISOString(), expiresAt: new Date(nowMs + KIOSK_CODE_SECONDS * 1000).toISOString() };
    if (await store.putCode(fresh, c?.code)) return fresh;
  }
  throw new HttpError(429, 'RATE_LIMITED', '验证码刷新过于频繁，请稍后重试', undefined, { 'retry-after': '1' });
}

/** How often a kiosk asks again, at most: a used code is replaced within this time on its screen. */
const CODE_POLL_SECONDS = 15;

/**
 * `POST /v1/iot/kiosk-code`: the kiosk asks for the code to show, signed exactly like a push
 * (X-Kiosk-Id, X-Timestamp, X-Nonce, X-Signature over ts, nonce and the raw body; nonce used once).
 */
export async function kioskCode(headers: Record<string, string>, rawBody: string, nowMs = Date.now()): Promise<KioskCodeView> {
  const signed = { ...headers, 'x-source': headers['x-kiosk-id'] ?? '' };
  const { source: kioskId, nonce } = await verifyPush(signed, rawBody, async (id) => (await cachedKiosk(id, nowMs))?.secrets.map((s) => s.value), nowMs);
  await claimNonce(`kiosk:${kioskId}`, nonce, nowMs);
  const [code, session] = await Promise.all([currentCode(kioskId, nowMs), store.getSession(kioskId, new Date(nowMs).toISOString())]);
  const left = Math.floor((Date.parse(code.expiresAt) - nowMs) / 1000);
  return {
    kioskId,
    code: code.code,
    expiresAt: code.expiresAt,
    refreshInSeconds: Math.max(1, Math.min(CODE_POLL_SECONDS, left - KIOSK_CODE_REFRESH_SECONDS)),
    qrUrl: kioskCodeUrl(kioskId, code.code),
    bound: !!session,
    boundUntil: session?.expiresAt,
  };
}

const wrongCode = () =>
  new HttpError(400, 'KIOSK_CODE_WRONG', '验证码不正确或已失效，请输入一体机屏幕上当前显示的验证码', [{ path: 'body.code', message: '验证码不正确或已失效，请输入一体机屏幕上当前显示的验证码' }]);

const sameCode = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function open(principal: Principal, kioskId: string, patientId: string, code: string, now = new Date()) {
  const k = await existingKiosk(kioskId);
  const p = await requireOwnPatient(principal.userId, patientId);
  const at = now.toISOString();
  const shown = await store.getCode(kioskId);
  if (!shown || shown.expiresAt <= at || (shown.tries ?? 0) >= KIOSK_CODE_MAX_TRIES || !sameCode(shown.code, code)) {
    // A wrong guess counts against the code on the screen; enough of them replace it.
    if (shown && shown.expiresAt > at) await store.failCode(kioskId, shown.code, KIOSK_CODE_MAX_TRIES);
    logger.info('kiosk bind refused: wrong code', { kioskId, user: principal.userId });
    throw wrongCode();
  }
  const before = await store.getSession(kioskId, at);
  const s: store.SessionItem = { kioskId, sessionId: randomUUID(), userId: principal.userId, patientId: p.patientId, patientName: p.name, openedAt: at, expiresAt: sessionEnd(now) };
  let outcome = await store.bindWithCode(s, code, at, await store.getBinding(principal.userId));
  // The other kiosk's session changed meanwhile (ended, or someone else's now): leave it be.
  if (outcome === 'elsewhere') outcome = await store.bindWithCode(s, code, at);
  if (outcome === 'code') throw wrongCode();
  logger.info('kiosk session opened', { kioskId, user: principal.userId, patient: p.patientId, replaced: before && before.userId !== principal.userId ? 'another account' : undefined });
  return sessionView(k, s, principal.userId);
}

export async function renew(principal: Principal, kioskId: string, now = new Date()) {
  const k = await existingKiosk(kioskId);
  const renewed = await store.renewSession(kioskId, principal.userId, now.toISOString(), sessionEnd(now), KIOSK_MAX_RENEWALS);
  if (renewed) {
    logger.info('kiosk session renewed', { kioskId, user: principal.userId, renewals: renewed.renewals });
    return sessionView(k, renewed, principal.userId);
  }
  const s = await store.getSession(kioskId, now.toISOString());
  if (s && s.userId === principal.userId) {
    throw conflict('KIOSK_RENEWAL_LIMIT', `本次测量已延长${KIOSK_MAX_RENEWALS}次，不能再延长；如需继续，请结束后输入一体机上的新验证码重新开始`);
  }
  throw conflict('KIOSK_SESSION_ENDED', '您在这台一体机的测量已结束（到时、已结束或已由下一位使用）；如需继续，请输入一体机上的验证码重新开始');
}

export async function end(principal: Principal, kioskId: string) {
  const k = await existingKiosk(kioskId);
  await store.endSession(kioskId, principal.userId);
  return sessionView(k, await store.getSession(kioskId), principal.userId);
}
