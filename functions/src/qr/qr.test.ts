import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { handler } from './handler';
import { makeCatalog } from '../booking/test-fixtures';

describe('printed QR codes', () => {
  it('an administrator creates a doctor code; anyone resolves it to the doctor with names', async () => {
    const c = await makeCatalog();
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const code = `doc-${randomUUID().slice(0, 8)}`;
    const target = { kind: 'doctor', orgId: c.orgId, deptId: c.deptId, doctorId: c.doctorId };
    const created = await call(handler, api.qr.create, { body: { code, label: '王医生诊室门口', target }, token: admin });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`http://127.0.0.1:10086/qr?c=${code}`);
    const r = await call(handler, api.qr.resolve, { params: { code } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code, target, org: { id: c.orgId, kind: 'hospital' }, department: { id: c.deptId }, doctor: { id: c.doctorId, title: '主任医师' } });
    const dup = await call(handler, api.qr.create, { body: { code, label: 'x', target }, token: admin });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'QR_EXISTS']);
    const listed = await call(handler, api.qr.list, { token: admin });
    expect(listed.body.items.map((q: { code: string }) => q.code)).toContain(code);
  });

  it('renders a printable PNG of the URL', async () => {
    const c = await makeCatalog();
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const made = await call(handler, api.qr.create, { body: { label: '门诊大厅', target: { kind: 'org', orgId: c.orgId } }, token: admin });
    expect(made.body.code).toMatch(/^org-[0-9a-f]{10}$/);
    const img = await call(handler, api.qr.image, { params: { code: made.body.code }, query: { size: '300' }, token: admin });
    expect(img.status).toBe(200);
    const png = Buffer.from(img.body.png.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(img.body.filename).toBe(`qr-${made.body.code}.png`);
    const tooBig = await call(handler, api.qr.image, { params: { code: made.body.code }, query: { size: '99999' }, token: admin });
    expect([tooBig.status, tooBig.body.error.fields[0].path]).toEqual([400, 'query.size']);
  });

  it('wrong targets are 400 on the field; unknown codes 404; malformed codes 400', async () => {
    const c = await makeCatalog();
    const admin = await tokenFor(['admin'], 'u-admin', c.orgId);
    const wrongDept = await call(handler, api.qr.create, { body: { label: 'x', target: { kind: 'department', orgId: c.orgId, deptId: 'nope' } }, token: admin });
    expect([wrongDept.status, wrongDept.body.error.fields[0].path]).toEqual([400, 'body.target.deptId']);
    const notStation = await call(handler, api.qr.create, { body: { label: 'x', target: { kind: 'station', orgId: c.orgId } }, token: admin });
    expect([notStation.status, notStation.body.error.fields[0].path]).toEqual([400, 'body.target.orgId']);
    const badKind = await call(handler, api.qr.create, { body: { label: 'x', target: { kind: 'planet', orgId: c.orgId } }, token: admin });
    expect(badKind.status).toBe(400);
    expect((await call(handler, api.qr.resolve, { params: { code: 'no-such-code' } })).status).toBe(404);
    const bad = await call(handler, api.qr.resolve, { params: { code: 'bad code!' } });
    expect([bad.status, bad.body.error.fields[0].path]).toEqual([400, 'params.code']);
  });

  it("an organisation's administrator cannot make codes for another organisation", async () => {
    const c = await makeCatalog();
    const r = await call(handler, api.qr.create, { body: { label: 'x', target: { kind: 'org', orgId: c.orgId } }, token: await tokenFor(['admin'], 'u-a', 'org-other') });
    expect(r.status).toBe(403);
  });
});
