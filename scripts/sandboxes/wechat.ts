/**
 * Local WeChat sandbox: mini-program login (code2Session) and WeChat Pay v3 (JSAPI), speaking
 * the real protocol: request signatures checked with the merchant public key, responses and
 * notifications signed with the platform key, notification resources AES-256-GCM encrypted.
 */
import { createCipheriv, createHash, createSign, createVerify, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  checkoutPage, closeServer, createDeliverer, type DeliveryRecord, listen, parseJsonObject, readBody,
  finishCheckout, resultPage, rfc3339Cst, safeReturnUrl, send, sendHtml,
} from './common';
import type { SandboxKeys } from './keys';
import { type ApiResult, type Order, type Refund, WechatPayState } from './wechat-pay';

export interface WechatSandboxOptions {
  port: number;
  keys: SandboxKeys;
  /** Sign with the `PUB_KEY_ID_...` id instead of the platform certificate serial. */
  publicKeyMode?: boolean;
  /** Lost-notification tests: accept payments but never call notify_url. */
  dropNotifications?: boolean;
  /** Delays between notification retries (bounded, unlike WeChat's 24 h schedule). */
  retryDelaysMs?: number[];
  /** How long a refund stays PROCESSING before it succeeds and REFUND.SUCCESS is sent. */
  refundDelayMs?: number;
  host?: string;
}

export interface WechatSandbox {
  url: string;
  close(): Promise<void>;
  /** Every notification the sandbox tried to deliver (for tests and debugging). */
  deliveries: DeliveryRecord[];
  state: WechatPayState;
  setDropNotifications(drop: boolean): void;
}

const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
const CLOCK_SKEW_S = 300;

/** Parses `WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",...` (quotes optional). */
export function parseAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (!header?.startsWith(`${AUTH_SCHEME} `)) return undefined;
  const out: Record<string, string> = {};
  for (const part of header.slice(AUTH_SCHEME.length + 1).split(',')) {
    const m = /^\s*([a-z_]+)="?([^"]*)"?\s*$/.exec(part);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** `openid = 'o' + base64url(sha256(x)).slice(0, 27)` for code `sandbox:x`: a stable user per x. */
export const sandboxOpenid = (code: string) =>
  code.startsWith('sandbox:') && code.length > 8
    ? `o${createHash('sha256').update(code.slice(8)).digest('base64url').slice(0, 27)}`
    : undefined;

export async function startWechatSandbox(opts: WechatSandboxOptions): Promise<WechatSandbox> {
  const wx = opts.keys.wechat;
  const serial = opts.publicKeyMode ? wx.publicKeyId : wx.platformSerial;
  const state = new WechatPayState(wx.appId, wx.mchid);
  const deliverer = createDeliverer(opts.retryDelaysMs ?? [200, 500, 1000, 2000, 4000]);
  let dropNotifications = opts.dropNotifications ?? false;
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';

  /** Wechatpay-* headers over `timestamp\nnonce\nbody\n`, signed with the platform key. */
  const signedHeaders = (body: string): Record<string, string> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    const signature = createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(wx.platformPrivateKey, 'base64');
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  };

  const sendV3 = (res: ServerResponse, r: ApiResult) => {
    const body = r.body === undefined ? '' : JSON.stringify(r.body);
    const headers: Record<string, string> = { ...signedHeaders(body), 'Request-ID': randomUUID() };
    if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
    send(res, r.status, body, headers);
  };

  /** Checks the merchant's request signature: `METHOD\nURL\ntimestamp\nnonce\nbody\n`. */
  const checkAuth = (req: IncomingMessage, raw: string): ApiResult | { mchid: string } => {
    const a = parseAuthorization(req.headers.authorization);
    const fail = (message: string): ApiResult => ({ status: 401, body: { code: 'SIGN_ERROR', message } });
    if (!a?.mchid || !a.nonce_str || !a.timestamp || !a.serial_no || !a.signature) return fail('Authorization头格式错误或缺少参数');
    if (a.mchid !== wx.mchid) return fail('商户号不存在或与签名不匹配');
    if (a.serial_no !== wx.merchantSerial) return fail('商户证书序列号有误');
    if (Math.abs(Date.now() / 1000 - Number(a.timestamp)) > CLOCK_SKEW_S) return fail('请求时间戳已过期');
    const message = `${req.method}\n${req.url}\n${a.timestamp}\n${a.nonce_str}\n${raw}\n`;
    const ok = createVerify('RSA-SHA256').update(message).verify(wx.merchantPublicKey, a.signature, 'base64');
    return ok ? { mchid: a.mchid } : fail('签名错误，请检查后再试');
  };

  /** POSTs a notification exactly as WeChat Pay v3 does (encrypted resource, signed headers). */
  const notify = (url: string, eventType: string, summary: string, originalType: string, resource: unknown): string => {
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(wx.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from(originalType, 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const body = JSON.stringify({
      id: randomUUID(),
      create_time: rfc3339Cst(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: originalType, nonce },
    });
    send_(url, eventType, body);
    return body;
  };

  const send_ = (url: string, kind: string, body: string) => {
    if (dropNotifications) return;
    deliverer.deliver(url, kind, () => ({ body, headers: { 'Content-Type': 'application/json', ...signedHeaders(body) } }),
      (status) => status >= 200 && status < 300);
  };

  const notifyPaid = (o: Order) => {
    o.notification = notify(o.notifyUrl, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', state.transaction(o));
  };

  const scheduleRefundSuccess = (r: Refund) => {
    const t = setTimeout(() => {
      timers.delete(t);
      r.status = 'SUCCESS';
      r.successTime = new Date();
      const o = state.orders.get(r.outTradeNo) as Order;
      notify(r.notifyUrl, 'REFUND.SUCCESS', '退款成功', 'refund', {
        mchid: o.mchid, out_trade_no: o.outTradeNo, transaction_id: o.transactionId, out_refund_no: r.outRefundNo,
        refund_id: r.refundId, refund_status: 'SUCCESS', success_time: rfc3339Cst(r.successTime),
        user_received_account: '支付用户零钱',
        amount: { total: o.totalFen, refund: r.refundFen, payer_total: o.totalFen, payer_refund: r.refundFen },
      });
    }, opts.refundDelayMs ?? 100);
    timers.add(t);
  };

  const pay = (outTradeNo: string, sendNotification: boolean) => {
    const r = state.pay(outTradeNo);
    if (r.order && !r.alreadyPaid && sendNotification) notifyPaid(r.order);
    return r;
  };

  const code2Session = (q: URLSearchParams) => {
    if (q.get('grant_type') !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (q.get('appid') !== wx.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (q.get('secret') !== wx.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    const openid = sandboxOpenid(q.get('js_code') ?? '');
    if (!openid) return { errcode: 40029, errmsg: 'invalid code' };
    return { session_key: randomBytes(16).toString('base64'), openid };
  };

  const handleV3 = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string) => {
    const auth = checkAuth(req, raw);
    if ('status' in auth) return sendV3(res, auth);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const body = raw ? parseJsonObject(raw) : {};
    if (!body) return sendV3(res, { status: 400, body: { code: 'PARAM_ERROR', message: '请求体不是合法的JSON' } });
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v3/pay/transactions/jsapi') return sendV3(res, state.prepay(body, auth.mchid));
    if (method === 'GET' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path))) {
      return sendV3(res, state.query(decodeURIComponent(m[1]), url.searchParams.get('mchid')));
    }
    if (method === 'POST' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(path))) {
      return sendV3(res, state.close(decodeURIComponent(m[1]), body));
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') {
      const { result, created } = state.refund(body);
      if (created) scheduleRefundSuccess(created);
      return sendV3(res, result);
    }
    if (method === 'GET' && (m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path))) {
      return sendV3(res, state.queryRefund(decodeURIComponent(m[1])));
    }
    if (method === 'GET' && path === '/v3/bill/tradebill') {
      return sendV3(res, state.tradeBill(url.searchParams.get('bill_date'), url.searchParams.get('bill_type'), origin, wx.appId));
    }
    if (method === 'GET' && path === '/v3/billdownload/file') {
      // Like WeChat, the file itself is not signed: the client checks it against hash_value.
      const csv = state.billFile(url.searchParams.get('token'));
      if (csv === undefined) return sendV3(res, { status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '账单文件不存在' } });
      return send(res, 200, csv, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    return sendV3(res, { status: 404, body: { code: 'NOT_FOUND', message: `${method} ${path} 不存在` } });
  };

  const handleCheckout = (res: ServerResponse, url: URL) => {
    const order = state.byPrepay.get(url.searchParams.get('prepay_id') ?? '');
    if (!order) return sendHtml(res, 404, resultPage('微信支付', '订单不存在'));
    const ret = url.searchParams.get('return') ?? '';
    const closedReason =
      order.state === 'SUCCESS' || order.state === 'REFUND' ? '该订单已支付'
      : order.state === 'CLOSED' ? '订单已关闭'
      : order.timeExpire !== undefined && Date.now() > order.timeExpire ? '订单已过期' : undefined;
    sendHtml(res, 200, checkoutPage({
      brand: '微信支付', color: '#07c160', title: order.description, amountFen: order.totalFen,
      merchant: `商户号 ${order.mchid}`, fields: { prepay_id: order.prepayId, return: ret }, closedReason,
      returnUrl: safeReturnUrl(ret, closedReason === '该订单已支付' ? 'paid' : 'cancelled'),
    }));
  };

  const handleCheckoutPost = (res: ServerResponse, action: string, raw: string) => {
    const form = new URLSearchParams(raw);
    const order = state.byPrepay.get(form.get('prepay_id') ?? '');
    if (!order) return sendHtml(res, 404, resultPage('微信支付', '订单不存在'));
    finishCheckout(res, '微信支付', action, form.get('return'), () => pay(order.outTradeNo, true));
  };

  const handleSandbox = (res: ServerResponse, action: string, raw: string) => {
    const body = parseJsonObject(raw) ?? {};
    const outTradeNo = typeof body.out_trade_no === 'string' ? body.out_trade_no : '';
    const json = (status: number, v: unknown) => send(res, status, JSON.stringify(v), { 'Content-Type': 'application/json' });
    if (action === 'pay') {
      const r = pay(outTradeNo, body.notify !== false);
      if (r.error || !r.order) return json(409, { error: r.error });
      return json(200, { trade_state: r.order.state, transaction_id: r.order.transactionId, already_paid: !!r.alreadyPaid });
    }
    if (action === 'notify-again') {
      const o = state.orders.get(outTradeNo);
      if (!o?.notification) return json(409, { error: '该订单没有支付通知' });
      send_(o.notifyUrl, 'TRANSACTION.SUCCESS', o.notification);
      return json(200, { resent: true });
    }
    json(404, { error: 'unknown sandbox action' });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      try {
        const raw = await readBody(req);
        if (req.method === 'GET' && url.pathname === '/sns/jscode2session') {
          return send(res, 200, JSON.stringify(code2Session(url.searchParams)), { 'Content-Type': 'text/plain' });
        }
        if (url.pathname.startsWith('/v3/')) return handleV3(req, res, url, raw);
        if (req.method === 'GET' && url.pathname === '/checkout') return handleCheckout(res, url);
        let m: RegExpExecArray | null;
        if (req.method === 'POST' && (m = /^\/checkout\/(pay|cancel)$/.exec(url.pathname))) return handleCheckoutPost(res, m[1], raw);
        if (req.method === 'POST' && (m = /^\/sandbox\/(pay|notify-again)$/.exec(url.pathname))) return handleSandbox(res, m[1], raw);
        send(res, 404, 'not found');
      } catch {
        if (!res.headersSent) send(res, 500, JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }));
      }
    })();
  });
  origin = await listen(server, opts.port, opts.host);

  return {
    url: origin,
    deliveries: deliverer.log,
    state,
    setDropNotifications(drop) {
      dropNotifications = drop;
    },
    async close() {
      deliverer.stop();
      for (const t of timers) clearTimeout(t);
      await closeServer(server);
    },
  };
}
