/**
 * Production delivery of resident messages: WeChat subscription messages (订阅消息,
 * `subscribeMessage.send`) and Alipay mini-program template messages
 * (`alipay.open.app.mini.templatemessage.send`).
 *
 * Template ids per template come from WECHAT_TMPL_<NAME> / ALIPAY_TMPL_<NAME> (e.g.
 * WECHAT_TMPL_BOOKING_CONFIRMED). Choose library templates whose keywords are: 就诊人 thing1,
 * 就诊时间 time2 (or thing2), 医院 thing3, 科室医生 thing4, 备注 thing5 (Alipay: keyword1..5 in
 * the same order). The recipient is the openid / Alipay user id stored on the user profile
 * (`wechatOpenId`, `alipayUserId`) at login; a user without one is recorded as undelivered.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { NotificationTemplate, type AppointmentMessageData } from '@hospital/shared';
import { secret } from './config';
import { logger } from './logger';
import { db, table } from './table';
import { alipayConfig } from './providers/config';
import { alipayExec, createAlipaySdk } from './providers/alipay';

export interface Delivery {
  channel: 'wechat' | 'alipay' | 'sandbox' | 'none';
  delivered: boolean;
  payload?: unknown;
}

const envName = (t: NotificationTemplate) => t.toUpperCase();

/** Template ids configured for each platform, for the app's consent request. */
export function templateIds(env: Record<string, string | undefined> = process.env) {
  const pick = (prefix: string) =>
    Object.fromEntries(NotificationTemplate.options.flatMap((t) => (env[`${prefix}${envName(t)}`] ? [[t, env[`${prefix}${envName(t)}`] as string]] : [])));
  return { wechat: pick('WECHAT_TMPL_'), alipay: pick('ALIPAY_TMPL_') };
}

/** WeChat limits `thing` values to 20 characters. */
const thing = (s: string) => ([...s].length > 20 ? [...s].slice(0, 19).join('') + '…' : s);
const fields = (d: AppointmentMessageData, note: string) => [d.patientName, d.time, d.orgName, `${d.deptName} ${d.doctorName}`, note].map(thing);
// The mini-program's appointment detail page (miniprogram/src/routes.ts appointmentDetail).
const PAGE = (d: AppointmentMessageData) => d.page ?? `packages/booking/pages/appointment/index?appointmentId=${encodeURIComponent(d.appointmentId ?? '')}`;

async function recipientOf(userId: string): Promise<{ wechatOpenId?: string; alipayUserId?: string }> {
  const out = await db.send(
    new GetCommand({ TableName: table(), Key: { PK: `USER#${userId}`, SK: 'PROFILE' }, ProjectionExpression: 'wechatOpenId, alipayUserId' }),
  );
  return (out.Item ?? {}) as { wechatOpenId?: string; alipayUserId?: string };
}

let wechatToken: { value: string; until: number } | undefined;
async function wechatAccessToken(apiBase: string): Promise<string> {
  if (wechatToken && wechatToken.until > Date.now()) return wechatToken.value;
  const appid = process.env.WECHAT_APP_ID ?? '';
  const res = await fetch(new URL('/cgi-bin/stable_token', apiBase), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid, secret: await secret('WECHAT_APP_SECRET', 'providers/WECHAT_APP_SECRET') }),
    signal: AbortSignal.timeout(5000),
  });
  const body = JSON.parse(await res.text()) as { access_token?: string; expires_in?: number; errcode?: number };
  if (!body.access_token) throw new Error(`stable_token failed (${body.errcode ?? res.status})`);
  wechatToken = { value: body.access_token, until: Date.now() + ((body.expires_in ?? 7200) - 300) * 1000 };
  return wechatToken.value;
}

async function sendWechat(openid: string, templateId: string, d: AppointmentMessageData, note: string): Promise<boolean> {
  const apiBase = process.env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com';
  const [patient, time, org, who, remark] = fields(d, note);
  const url = new URL('/cgi-bin/message/subscribe/send', apiBase);
  url.searchParams.set('access_token', await wechatAccessToken(apiBase));
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      touser: openid,
      template_id: templateId,
      page: PAGE(d),
      lang: 'zh_CN',
      data: { thing1: { value: patient }, time2: { value: time }, thing3: { value: org }, thing4: { value: who }, thing5: { value: remark } },
    }),
    signal: AbortSignal.timeout(5000),
  });
  const body = JSON.parse(await res.text()) as { errcode?: number };
  // 43101: the user has not (or no longer) consented to this template; not an error of ours.
  if (body.errcode) logger.warn('wechat subscribe message not sent', { errcode: body.errcode });
  return !body.errcode;
}

async function sendAlipay(userId: string, templateId: string, d: AppointmentMessageData, note: string): Promise<boolean> {
  const sdk = createAlipaySdk(alipayConfig());
  const values = fields(d, note);
  const data = Object.fromEntries(values.map((value, i) => [`keyword${i + 1}`, { value }]));
  const r = await alipayExec(sdk, 'alipay.open.app.mini.templatemessage.send', {
    bizContent: { to_user_id: userId, user_template_id: templateId, page: PAGE(d), data: JSON.stringify(data) },
  });
  const ok = r.code === '10000';
  if (!ok) logger.warn('alipay template message not sent', { code: r.sub_code ?? r.code });
  return ok;
}

export const platformSender = {
  async send(userId: string, template: NotificationTemplate, data: AppointmentMessageData): Promise<Delivery> {
    const ids = templateIds();
    const who = await recipientOf(userId);
    const note = data.note ?? '';
    try {
      if (who.wechatOpenId && ids.wechat[template]) {
        return { channel: 'wechat', delivered: await sendWechat(who.wechatOpenId, ids.wechat[template], data, note) };
      }
      if (who.alipayUserId && ids.alipay[template]) {
        return { channel: 'alipay', delivered: await sendAlipay(who.alipayUserId, ids.alipay[template], data, note) };
      }
    } catch (e) {
      logger.warn('platform message failed', { template, error: (e as Error).name });
      return { channel: who.wechatOpenId ? 'wechat' : 'alipay', delivered: false };
    }
    return { channel: 'none', delivered: false };
  },
};
