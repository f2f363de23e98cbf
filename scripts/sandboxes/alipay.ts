/**
 * Local Alipay sandbox: an OpenAPI 2.0 gateway (`/gateway.do`) that checks the app's RSA2
 * request signature, answers `{"<method>_response":{...},"sign":"..."}` signed with the Alipay
 * key, and sends form-encoded RSA2-signed async notifications on payment and refund.
 */
import { createHash, createSign, createVerify, randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import {
  alipayTime, checkoutPage, closeServer, createDeliverer, type DeliveryRecord, fenToYuan, listen, parseAlipayTime,
  finishCheckout, parseJsonObject, readBody, resultPage, safeReturnUrl, send, sendHtml,
} from './common';
import type { SandboxKeys } from './keys';
import { AlipayTradeState, type Biz, type Trade, type TradeRefund } from './alipay-trade';

export interface AlipaySandboxOptions {
  port: number;
  keys: SandboxKeys;
  dropNotifications?: boolean;
  retryDelaysMs?: number[];
  host?: string;
}

export interface AlipaySandbox {
  url: string;
  /** `${url}/gateway.do`, the value for ALIPAY_GATEWAY. */
  gateway: string;
  close(): Promise<void>;
  deliveries: DeliveryRecord[];
  state: AlipayTradeState;
  setDropNotifications(drop: boolean): void;
}

/** Alipay rejects requests whose timestamp (Beijing time) is too far from its clock. */
const TIMESTAMP_WINDOW_MS = 10 * 60_000;

/** `k=v&...` over sorted keys, skipping empty values: Alipay's content-to-sign. */
export function signContent(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** Deterministic sandbox identities for auth code `sandbox:<x>`. */
export function sandboxAlipayUser(code: string): { user_id: string; open_id: string } | undefined {
  if (!code.startsWith('sandbox:') || code.length <= 8) return undefined;
  const h = createHash('sha256').update(code.slice(8)).digest();
  const num = (h.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  return { user_id: `2088${num}`, open_id: `0${createHash('sha256').update(`open:${code.slice(8)}`).digest('base64url').slice(0, 46)}` };
}

export async function startAlipaySandbox(opts: AlipaySandboxOptions): Promise<AlipaySandbox> {
  const ali = opts.keys.alipay;
  const state = new AlipayTradeState(ali.sellerId);
  const deliverer = createDeliverer(opts.retryDelaysMs ?? [200, 500, 1000, 2000, 4000]);
  let dropNotifications = opts.dropNotifications ?? false;
  let origin = '';
  /** Last notification fields per out_trade_no, for /sandbox/notify-again. */
  const lastNotify = new Map<string, Record<string, string>>();

  const rsa2 = (content: string) => createSign('RSA-SHA256').update(content, 'utf8').sign(ali.alipayPrivateKey, 'base64');

  /** The response body exactly as Alipay builds it: the sign covers the inner JSON text. */
  const sendGateway = (res: ServerResponse, key: string, inner: Biz) => {
    const json = JSON.stringify(inner);
    const body = `{"${key}":${json},"sign":"${rsa2(json)}"}`;
    send(res, 200, body, { 'Content-Type': 'text/html;charset=utf-8', trace_id: randomBytes(12).toString('hex') });
  };

  const sendNotify = (url: string | undefined, fields: Record<string, string>) => {
    if (!url || dropNotifications) return;
    deliverer.deliver(url, fields.notify_type ?? 'trade_status_sync', () => {
      const signed = { ...fields, sign_type: 'RSA2', sign: rsa2(signContent(fields, ['sign', 'sign_type'])) };
      return { body: new URLSearchParams(signed).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } };
    }, (status, text) => status === 200 && text.trim() === 'success');
  };

  const baseNotify = (t: Trade): Record<string, string> => ({
    notify_time: alipayTime(),
    notify_type: 'trade_status_sync',
    notify_id: randomBytes(16).toString('hex'),
    charset: 'utf-8',
    version: '1.0',
    app_id: ali.appId,
    auth_app_id: ali.appId,
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    seller_id: ali.sellerId,
    seller_email: 'hospital-sandbox@example.com',
    ...(t.buyerId ? { buyer_id: t.buyerId } : { buyer_open_id: t.buyerOpenId ?? '' }),
    buyer_logon_id: '159****0000',
    subject: t.subject,
    total_amount: fenToYuan(t.totalFen),
    gmt_create: alipayTime(t.createdAt),
    ...(t.paidAt ? { gmt_payment: alipayTime(t.paidAt) } : {}),
  });

  const notifyPaid = (t: Trade) => {
    const y = fenToYuan(t.totalFen);
    const fields = {
      ...baseNotify(t), trade_status: 'TRADE_SUCCESS', receipt_amount: y, invoice_amount: y, buyer_pay_amount: y,
      point_amount: '0.00', fund_bill_list: JSON.stringify([{ amount: y, fundChannel: 'ALIPAYACCOUNT' }]),
    };
    lastNotify.set(t.outTradeNo, fields);
    sendNotify(t.notifyUrl, fields);
  };

  const notifyRefund = (t: Trade, r: TradeRefund) => {
    sendNotify(t.notifyUrl, {
      ...baseNotify(t), trade_status: t.status, out_biz_no: r.outRequestNo,
      refund_fee: fenToYuan(state.refunded(t.outTradeNo)), gmt_refund: `${alipayTime(r.at)}.000`,
    });
  };

  const oauthToken = (p: Record<string, string>): { key: string; body: Biz } => {
    const key = 'alipay_system_oauth_token_response';
    if (p.grant_type !== 'authorization_code') {
      return { key: 'error_response', body: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.grant-type-invalid', sub_msg: 'grant_type参数不正确' } };
    }
    const user = sandboxAlipayUser(p.code ?? '');
    // Like Alipay, an invalid auth code comes back as a signed `error_response`.
    if (!user) return { key: 'error_response', body: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.code-invalid', sub_msg: '授权码code无效' } };
    return {
      key,
      body: {
        ...user, access_token: `authusrB${randomBytes(16).toString('hex')}`, expires_in: 1296000,
        refresh_token: `authusrB${randomBytes(16).toString('hex')}`, re_expires_in: 2592000, auth_start: alipayTime(),
      },
    };
  };

  const gateway = (p: Record<string, string>): { key: string; body: Biz } => {
    const method = p.method ?? '';
    const key = `${method.replaceAll('.', '_')}_response`;
    const invalid = (sub_code: string, sub_msg: string, code = '40002', msg = 'Invalid Arguments') => ({ key, body: { code, msg, sub_code, sub_msg } });
    if (!method) return { key: 'error_response', body: { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' } };
    if (p.app_id !== ali.appId) return invalid('isv.invalid-app-id', '无效的AppID参数');
    if (p.sign_type !== 'RSA2') return invalid('isv.invalid-signature-type', '无效的签名类型');
    if (!p.sign) return invalid('isv.missing-signature', '缺少签名参数', '40001', 'Missing Required Arguments');
    const ts = parseAlipayTime(p.timestamp ?? '');
    if (Number.isNaN(ts) || Math.abs(Date.now() - ts) > TIMESTAMP_WINDOW_MS) return invalid('isv.invalid-timestamp', '非法的时间戳参数');
    const content = signContent(p, ['sign']);
    if (!createVerify('RSA-SHA256').update(content, 'utf8').verify(ali.appPublicKey, p.sign, 'base64')) {
      return { key: 'error_response', body: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配' } };
    }
    if (method === 'alipay.system.oauth.token') return oauthToken(p);
    const biz = (p.biz_content ? parseJsonObject(p.biz_content) : {}) as Biz | undefined;
    if (!biz) return invalid('isv.invalid-biz-content', 'biz_content格式错误');
    switch (method) {
      case 'alipay.trade.create':
        return { key, body: state.create(biz, p.notify_url) };
      case 'alipay.trade.query':
        return { key, body: state.query(biz) };
      case 'alipay.trade.close':
        return { key, body: state.close(biz) };
      case 'alipay.trade.refund': {
        const { result, created, trade } = state.refund(biz);
        if (created && trade) notifyRefund(trade, created);
        return { key, body: result };
      }
      case 'alipay.trade.fastpay.refund.query':
        return { key, body: state.refundQuery(biz) };
      case 'alipay.data.dataservice.bill.downloadurl.query':
        return { key, body: state.billUrl(biz, origin) };
      default:
        return { key: 'error_response', body: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' } };
    }
  };

  const pay = (outTradeNo: string, notify: boolean) => {
    const r = state.pay(outTradeNo);
    if (r.trade && !r.alreadyPaid && notify) notifyPaid(r.trade);
    return r;
  };

  const handleCheckout = (res: ServerResponse, url: URL) => {
    const t = state.byTradeNo.get(url.searchParams.get('trade_no') ?? '');
    if (!t) return sendHtml(res, 404, resultPage('支付宝', '交易不存在'));
    const ret = url.searchParams.get('return') ?? '';
    const closedReason =
      t.status === 'TRADE_SUCCESS' ? '交易已支付'
      : t.status === 'TRADE_CLOSED' ? '交易已关闭'
      : t.timeExpire !== undefined && Date.now() > t.timeExpire ? '交易已超时' : undefined;
    sendHtml(res, 200, checkoutPage({
      brand: '支付宝', color: '#1677ff', title: t.subject, amountFen: t.totalFen, merchant: `收款方 ${ali.sellerId}`,
      fields: { trade_no: t.tradeNo, return: ret }, closedReason,
      returnUrl: safeReturnUrl(ret, t.status === 'TRADE_SUCCESS' ? 'paid' : 'cancelled'),
    }));
  };

  const handleCheckoutPost = (res: ServerResponse, action: string, raw: string) => {
    const form = new URLSearchParams(raw);
    const t = state.byTradeNo.get(form.get('trade_no') ?? '');
    if (!t) return sendHtml(res, 404, resultPage('支付宝', '交易不存在'));
    finishCheckout(res, '支付宝', action, form.get('return'), () => pay(t.outTradeNo, true));
  };

  const handleSandbox = (res: ServerResponse, action: string, raw: string) => {
    const body = parseJsonObject(raw) ?? {};
    const outTradeNo = typeof body.out_trade_no === 'string' ? body.out_trade_no : '';
    const json = (status: number, v: unknown) => send(res, status, JSON.stringify(v), { 'Content-Type': 'application/json' });
    if (action === 'pay') {
      const r = pay(outTradeNo, body.notify !== false);
      if (r.error || !r.trade) return json(409, { error: r.error });
      return json(200, { trade_status: r.trade.status, trade_no: r.trade.tradeNo, already_paid: !!r.alreadyPaid });
    }
    if (action === 'notify-again') {
      const fields = lastNotify.get(outTradeNo);
      if (!fields) return json(409, { error: '该交易没有支付通知' });
      sendNotify(state.trades.get(outTradeNo)?.notifyUrl, fields);
      return json(200, { resent: true });
    }
    json(404, { error: 'unknown sandbox action' });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      try {
        const raw = await readBody(req);
        if (url.pathname === '/gateway.do' && (req.method === 'POST' || req.method === 'GET')) {
          // The SDK puts the common parameters in the query string and the rest in a form body.
          const params: Record<string, string> = Object.fromEntries(url.searchParams);
          const type = String(req.headers['content-type'] ?? '');
          if (raw && !type.includes('json')) for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
          const { key, body } = gateway(params);
          return sendGateway(res, key, body);
        }
        if (req.method === 'GET' && url.pathname === '/bill/download') {
          const csv = state.billFile(url.searchParams.get('token'));
          if (csv === undefined) return send(res, 404, 'bill not found');
          return send(res, 200, csv, { 'Content-Type': 'text/csv; charset=utf-8' });
        }
        if (req.method === 'GET' && url.pathname === '/checkout') return handleCheckout(res, url);
        let m: RegExpExecArray | null;
        if (req.method === 'POST' && (m = /^\/checkout\/(pay|cancel)$/.exec(url.pathname))) return handleCheckoutPost(res, m[1], raw);
        if (req.method === 'POST' && (m = /^\/sandbox\/(pay|notify-again)$/.exec(url.pathname))) return handleSandbox(res, m[1], raw);
        send(res, 404, 'not found');
      } catch {
        if (!res.headersSent) send(res, 500, 'system error');
      }
    })();
  });
  origin = await listen(server, opts.port, opts.host);

  return {
    url: origin,
    gateway: `${origin}/gateway.do`,
    deliveries: deliverer.log,
    state,
    setDropNotifications(drop) {
      dropNotifications = drop;
    },
    async close() {
      deliverer.stop();
      await closeServer(server);
    },
  };
}
