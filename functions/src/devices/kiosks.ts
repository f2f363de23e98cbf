/**
 * The kiosk registry (admin) and binding a person to a kiosk (patient). A kiosk has up to two
 * active secrets: rotating adds a new one and keeps the previous, so a kiosk being reconfigured
 * keeps working; the one before that stops working. Secret values are shown once, at creation or
 * rotation, and never again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { KIOSK_SESSION_MINUTES, type CreateKioskRequest, type KioskSessionView, type KioskView } from '@hospital/shared';
import { hasRoleIn, orgsWithRole, requireOrgRole } from '#lib/authority';
import { conflict, forbidden, invalidField, notFound } from '#lib/errors';
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
  return { ...base, state: 'mine', patientId: s.patientId, patientName: s.patientName, openedAt: s.openedAt, expiresAt: s.expiresAt };
}

export async function sessionOf(principal: Principal, kioskId: string) {
  const k = await existingKiosk(kioskId);
  return sessionView(k, await store.getSession(kioskId), principal.userId);
}

export async function open(principal: Principal, kioskId: string, patientId: string, now = new Date()) {
  const k = await existingKiosk(kioskId);
  const p = await requireOwnPatient(principal.userId, patientId);
  const s: store.SessionItem = {
    kioskId,
    sessionId: randomUUID(),
    userId: principal.userId,
    patientId: p.patientId,
    patientName: p.name,
    openedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + KIOSK_SESSION_MINUTES * 60_000).toISOString(),
  };
  if (!(await store.openSession(s, s.openedAt))) {
    const other = await store.getSession(kioskId);
    const minutes = other ? Math.max(1, Math.ceil((Date.parse(other.expiresAt) - now.getTime()) / 60_000)) : 1;
    throw conflict('KIOSK_BUSY', `该一体机正在为其他人测量，约${minutes}分钟后可用；请对方在小程序中点“结束测量”`);
  }
  logger.info('kiosk session opened', { kioskId, user: principal.userId, patient: p.patientId });
  return sessionView(k, s, principal.userId);
}

export async function end(principal: Principal, kioskId: string) {
  const k = await existingKiosk(kioskId);
  await store.endSession(kioskId, principal.userId);
  return sessionView(k, await store.getSession(kioskId), principal.userId);
}
