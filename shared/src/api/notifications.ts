/** The inbox (消息) of what the hospital sent, and the template ids the app asks consent for. */
import * as z from 'zod';
import { route } from './contract';
import { NotificationTemplate } from '../notifications';
import { Roles } from '../roles';

export const NotificationView = z.object({
  id: z.string(),
  template: NotificationTemplate,
  title: z.string(),
  body: z.string(),
  /** e.g. `appointment:<id>`: what the message is about, for a link. */
  ref: z.string().optional(),
  /** How it went out: wechat, alipay, or sandbox (local: recorded only). */
  channel: z.string(),
  delivered: z.boolean(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const notificationsRoutes = {
  mine: route({
    method: 'GET',
    path: '/v1/me/notifications',
    access: Roles,
    response: z.object({ items: z.array(NotificationView) }),
    summary: 'Messages sent to me, newest first',
  }),
  templates: route({
    method: 'GET',
    path: '/v1/notifications/templates',
    access: 'public',
    response: z.object({
      /** Template ids per platform for `requestSubscribeMessage` (empty locally). */
      wechat: z.record(z.string(), z.string()),
      alipay: z.record(z.string(), z.string()),
    }),
    summary: 'Subscription template ids the mini-program asks consent for',
  }),
};
