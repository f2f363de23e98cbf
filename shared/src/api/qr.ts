/**
 * Printed QR codes. A code is a normal https URL, `${H5_ORIGIN}/qr?c=<code>`: WeChat and Alipay
 * open the mini-program with it, any other camera opens the H5 page. The code names a target.
 */
import * as z from 'zod';
import { route } from './contract';
import { OrgKind } from './catalog';

/** Letters, digits, `-` and `_` (the mini-program's launch parser accepts exactly these). */
export const QR_CODE = /^[A-Za-z0-9_-]{1,64}$/;
export const QrCodeSchema = z.string().trim().regex(QR_CODE, '二维码编号只能包含字母、数字、- 和 _（最多64位）');

export const QrTarget = z.discriminatedUnion('kind', [
  /** A hospital or community centre's entrance: choose a department. */
  z.object({ kind: z.literal('org'), orgId: z.string() }),
  /** A remote workstation (e.g. on Mount Tai): book its doctors, call for help. */
  z.object({ kind: z.literal('station'), orgId: z.string() }),
  /** A department's waiting area: book, or check in on the day. */
  z.object({ kind: z.literal('department'), orgId: z.string(), deptId: z.string() }),
  /** A doctor's consulting room door. */
  z.object({ kind: z.literal('doctor'), orgId: z.string(), deptId: z.string(), doctorId: z.string() }),
  z.object({ kind: z.literal('kiosk'), orgId: z.string(), kioskId: z.string().trim().min(1).max(64) }),
  z.object({ kind: z.literal('bed'), orgId: z.string(), ward: z.string().trim().min(1).max(32), bed: z.string().trim().min(1).max(16) }),
]);
export type QrTarget = z.infer<typeof QrTarget>;

export const QrView = z.object({
  code: z.string(),
  label: z.string(),
  target: QrTarget,
  /** Names for the landing page, so it renders without further requests. */
  org: z.object({ id: z.string(), name: z.string(), kind: OrgKind }),
  department: z.object({ id: z.string(), name: z.string() }).optional(),
  doctor: z.object({ id: z.string(), name: z.string(), title: z.string() }).optional(),
  /** The printed URL. */
  url: z.string(),
});
export type QrView = z.infer<typeof QrView>;

export const CreateQrRequest = z.object({
  /** Generated when omitted. */
  code: QrCodeSchema.optional(),
  label: z.string().trim().min(1, '请填写名称').max(60),
  target: QrTarget,
});

export const QrImage = z.object({
  code: z.string(),
  url: z.string(),
  /** `data:image/png;base64,…`, error correction level H, for print. */
  png: z.string(),
  filename: z.string(),
});

export const qrRoutes = {
  resolve: route({ method: 'GET', path: '/v1/qr/{code}', access: 'public', response: QrView, summary: 'What a printed code points at' }),
  list: route({
    method: 'GET',
    path: '/v1/qr',
    access: ['admin'],
    query: z.object({ orgId: z.string().regex(/^[\w-]{1,64}$/, '机构编号无效').optional() }),
    response: z.object({ items: z.array(QrView) }),
    summary: 'Printed codes (of the admin’s organisation)',
  }),
  create: route({
    method: 'POST',
    path: '/v1/qr',
    access: ['admin'],
    body: CreateQrRequest,
    response: QrView,
    status: 201,
    idempotency: 'optional',
    summary: 'Create a printed code',
  }),
  image: route({
    method: 'GET',
    path: '/v1/qr/{code}/image',
    access: ['admin'],
    query: z.object({ size: z.coerce.number().int().min(128, '最小 128').max(2048, '最大 2048').optional() }),
    response: QrImage,
    summary: 'A printable PNG of the code’s URL',
  }),
};
