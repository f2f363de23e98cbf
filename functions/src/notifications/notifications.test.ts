import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { notify } from '#lib/notifier';
import { templateIds } from '#lib/notifier-platforms';
import { handler } from './handler';

describe('notifications', () => {
  it('the sandbox records messages in the inbox, newest first, readable only by their owner', async () => {
    const userId = `u-${randomUUID()}`;
    const data = { appointmentId: 'ap-1', patientName: '张建国', orgName: '泰安市中心医院', deptName: '心内科', doctorName: '李明华', time: '2025-06-08 上午 08:00-12:00' };
    await notify(userId, 'booking_confirmed', data);
    await notify(userId, 'visit_reminder', data);
    const r = await call(handler, api.notifications.mine, { token: await tokenFor(['patient'], userId) });
    expect(r.body.items.map((m: { template: string }) => m.template)).toEqual(['visit_reminder', 'booking_confirmed']);
    expect(r.body.items[1]).toMatchObject({ title: '预约成功通知', channel: 'sandbox', delivered: true, ref: 'appointment:ap-1' });
    expect(r.body.items[1].body).toContain('泰安市中心医院');
    const other = await call(handler, api.notifications.mine, { token: await tokenFor(['patient']) });
    expect(other.body.items).toEqual([]);
  });

  it('template ids for the consent request come from configuration', async () => {
    expect(templateIds({ WECHAT_TMPL_BOOKING_CONFIRMED: 'wx-t1', ALIPAY_TMPL_VISIT_REMINDER: 'ali-t2' })).toEqual({
      wechat: { booking_confirmed: 'wx-t1' },
      alipay: { visit_reminder: 'ali-t2' },
    });
    const r = await call(handler, api.notifications.templates);
    expect(r.status).toBe(200);
  });
});
