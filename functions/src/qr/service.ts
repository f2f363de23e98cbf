/** Printed QR codes: resolve a scanned code, create codes, render a printable PNG. */
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type * as z from 'zod';
import { QR_CODE, type CreateQrRequest, type QrTarget, type QrView } from '@hospital/shared';
import { config } from '#lib/config';
import { conflict, forbidden, invalidField, notFound } from '#lib/errors';
import { logger } from '#lib/logger';
import { hasRoleIn, orgsWithRole, requireOrgRole } from '#lib/authority';
import type { Principal } from '#lib/tokens';
import * as catalog from '../catalog/store';
import * as store from './store';

/** What is printed: WeChat, Alipay and any camera all open this URL. */
export const qrUrl = (code: string) => `${config.h5Origin.replace(/\/+$/, '')}/qr?c=${encodeURIComponent(code)}`;

const view = ({ createdBy: _b, createdAt: _a, ...q }: store.QrItem): QrView => ({ ...q, url: qrUrl(q.code) });

async function existing(code: string) {
  if (!QR_CODE.test(code)) throw invalidField('params.code', '二维码编号无效');
  const q = await store.getQr(code);
  if (!q) throw notFound('二维码不存在或已停用');
  return q;
}

export async function resolve(code: string): Promise<QrView> {
  return view(await existing(code));
}

const PREFIX: Record<QrTarget['kind'], string> = { org: 'org', station: 'st', department: 'dept', doctor: 'doc', kiosk: 'kiosk', bed: 'bed' };

/** The names a landing page shows, checked against the catalog (each wrong id is a 400 on its field). */
async function describe(t: QrTarget): Promise<Pick<store.QrItem, 'org' | 'department' | 'doctor'>> {
  const org = await catalog.getOrg(t.orgId);
  if (!org) throw invalidField('body.target.orgId', '机构不存在');
  if (t.kind === 'station' && org.kind !== 'station') throw invalidField('body.target.orgId', '该机构不是远程工作站');
  const out: Pick<store.QrItem, 'org' | 'department' | 'doctor'> = { org: { id: org.id, name: org.name, kind: org.kind } };
  if (t.kind === 'department' || t.kind === 'doctor') {
    const dept = await catalog.getDepartment(t.deptId);
    if (!dept || dept.orgId !== org.id) throw invalidField('body.target.deptId', '该机构下没有此科室');
    out.department = { id: dept.id, name: dept.name };
  }
  if (t.kind === 'doctor') {
    const doc = await catalog.getDoctor(t.doctorId);
    if (!doc || doc.deptId !== t.deptId) throw invalidField('body.target.doctorId', '该科室下没有此医生');
    out.doctor = { id: doc.id, name: doc.name, title: doc.title };
  }
  return out;
}

export async function create(principal: Principal, body: z.output<typeof CreateQrRequest>): Promise<QrView> {
  if (!hasRoleIn(principal, body.target.orgId, 'admin')) throw forbidden('只能为本机构创建二维码');
  const names = await describe(body.target);
  const code = body.code ?? `${PREFIX[body.target.kind]}-${randomBytes(5).toString('hex')}`;
  const item: store.QrItem = { code, label: body.label, target: body.target, ...names, createdBy: principal.userId, createdAt: new Date().toISOString() };
  if (!(await store.putQr(item))) throw conflict('QR_EXISTS', '该二维码编号已被使用');
  logger.info('qr created', { code, kind: body.target.kind, by: principal.userId });
  return view(item);
}

/** The codes of the organisations the caller administers (`orgId` narrows to one of them). */
export async function list(principal: Principal, orgId?: string) {
  const orgs = orgsWithRole(principal, 'admin').filter((o) => !orgId || o === orgId);
  return { items: (await Promise.all(orgs.map((o) => store.listQr(o)))).flat().map(view) };
}

/** A PNG as a data URL (the API is JSON + bearer token; the admin page shows and saves it). */
export async function image(principal: Principal, code: string, size = 512) {
  const q = await existing(code);
  requireOrgRole(principal, q.org.id, ['admin'], '二维码不存在或已停用');
  const url = qrUrl(code);
  // Level H survives a scuffed or partly covered print on a wall.
  const png = await QRCode.toDataURL(url, { errorCorrectionLevel: 'H', width: size, margin: 2, type: 'image/png' });
  return { code, url, png, filename: `qr-${code}.png` };
}
