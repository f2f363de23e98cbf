/**
 * Local Tencent Cloud sandbox (API 3.0): FaceID 实名核身 (DetectAuth / GetDetectInfoEnhanced, with
 * a tester page standing in for the H5 face check) and SMS (SendSms). Like the real API it takes
 * `POST /` with a JSON body and X-TC-* headers, checks the TC3-HMAC-SHA256 signature exactly as
 * Tencent documents it, and answers `{"Response":{…,"RequestId"}}` with HTTP 200, errors included.
 */
import { createHash, createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen, parseJsonObject, readBody, redirect, resultPage, send, sendHtml } from './common';

/** Fixed local-only credentials (the shapes of a real SecretId / SecretKey, and obviously fake). */
export const SANDBOX_TENCENT_SECRET = { id: 'AKIDsandboxLocalOnlyNotARealKey00000', key: 'sandboxLocalOnlyNotASecretKey000' } as const;
/** The one FaceID rule (业务场景) the sandbox knows; real ones come from the 人脸核身 console. */
export const SANDBOX_FACEID_RULE_ID = '1';
/** The SMS application, approved sign and template the sandbox knows. */
export const SANDBOX_SMS = {
  sdkAppId: '1400000001',
  signName: '互联网医院',
  verifyTemplateId: '100001',
  templates: { '100001': '您的验证码为{1}，{2}分钟内有效。如非本人操作，请忽略。' } as Record<string, string>,
};
/** DetectAuth: "BizToken … 有效时间为7,200秒"; results can be read for 3 days after issue. */
export const BIZ_TOKEN_TTL_MS = 7200_000;
export const FACE_RESULT_TTL_MS = 3 * 86_400_000;
/** The real service's clock window for X-TC-Timestamp (AuthFailure.SignatureExpire beyond it). */
const CLOCK_SKEW_S = 300;

export interface TencentSandboxOptions {
  port: number;
  secretId: string;
  secretKey: string;
  host?: string;
  /** Added to every API answer (provider-timeout tests). */
  delayMs?: number;
  /** How long a BizToken's verification stays open (tests shorten it). */
  bizTokenTtlMs?: number;
  /** Messages per phone per rolling hour before LimitExceeded.PhoneNumberOneHourLimit. */
  smsHourLimit?: number;
}

export type FaceOutcome = 'pass' | 'fail' | 'mismatch' | 'timeout';
export interface SandboxSms { phone: string; templateId: string; params: string[]; at: string; serialNo: string; text: string }

export interface TencentSandbox {
  url: string;
  close(): Promise<void>;
  /** Every SMS "sent": phone, template params, at. */
  sms: SandboxSms[];
  /** Test control: the outcome a BizToken will report (what the tester's button would do). */
  setFaceOutcome(bizToken: string, outcome: FaceOutcome): void;
  setDelay(ms: number): void;
}

const ACTIONS: Record<string, { service: string; version: string }> = {
  DetectAuth: { service: 'faceid', version: '2018-03-01' },
  GetDetectInfoEnhanced: { service: 'faceid', version: '2018-03-01' },
  SendSms: { service: 'sms', version: '2021-01-11' },
};

// ---- TC3-HMAC-SHA256, written from Tencent's signature v3 document (not from the SDK) ----

const sha256hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
/** The credential-scope date: the UTC calendar date of X-TC-Timestamp. */
export const tc3Date = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

export interface Tc3Request {
  secretKey: string;
  service: string;
  timestamp: number;
  /** Lower-case header name → value, for every signed header (at least content-type and host). */
  headers: Record<string, string>;
  body: string;
  method?: string;
}

export function tc3Signature(r: Tc3Request): string {
  const names = Object.keys(r.headers).sort();
  // Header keys and values lower-cased and trimmed, sorted by key, each line ending in \n.
  const canonicalHeaders = names.map((n) => `${n}:${r.headers[n].trim().toLowerCase()}\n`).join('');
  const canonicalRequest = [r.method ?? 'POST', '/', '', canonicalHeaders, names.join(';'), sha256hex(r.body)].join('\n');
  const date = tc3Date(r.timestamp);
  const stringToSign = `TC3-HMAC-SHA256\n${r.timestamp}\n${date}/${r.service}/tc3_request\n${sha256hex(canonicalRequest)}`;
  const kSigning = hmac(hmac(hmac(`TC3${r.secretKey}`, date), r.service), 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/** The Authorization header for a POST with signed headers content-type;host (tests sign by hand with it). */
export function tc3Authorization(secretId: string, r: Tc3Request): string {
  const signed = Object.keys(r.headers).sort().join(';');
  return `TC3-HMAC-SHA256 Credential=${secretId}/${tc3Date(r.timestamp)}/${r.service}/tc3_request, SignedHeaders=${signed}, Signature=${tc3Signature(r)}`;
}

const AUTH_RE = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** An API 3.0 error: answered with HTTP 200 as `{"Response":{"Error":{"Code","Message"},"RequestId"}}`. */
class ApiError {
  constructor(readonly code: string, readonly message: string) {}
}
const apiError = (code: string, message: string) => new ApiError(code, message);
type ApiResult = Record<string, unknown> | ApiError;

// ---- FaceID helpers ----

interface FaceSession {
  ruleId: string; name: string; idCard: string; redirectUrl: string; extra: string;
  createdAt: number; outcome?: FaceOutcome;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckDigit = (first17: string) => '10X98765432'[[...first17].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i], 0) % 11];
/** Another valid 18-digit number: same region and birth date, next sequence number. */
function otherIdCard(id: string): string {
  const seq = String((Number(id.slice(14, 17)) + 1) % 1000).padStart(3, '0');
  const first17 = id.slice(0, 14) + seq;
  return first17 + idCheckDigit(first17);
}
const otherName = (name: string) => (name === '张三' ? '李四' : '张三');

const nulls = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, null]));

/** What GetDetectInfoEnhanced's Text holds (the fields we model; the rest are null like the real one). */
function faceText(s: FaceSession): Record<string, unknown> {
  const base = { ...nulls('OcrNation', 'OcrAddress', 'OcrBirth', 'OcrAuthority', 'OcrValidDate', 'OcrName', 'OcrIdCard', 'OcrGender', 'Location'), Mobile: '', LivenessDetail: [], Extra: s.extra };
  if (!s.outcome || s.outcome === 'timeout') {
    return { ...base, ...nulls('ErrCode', 'ErrMsg', 'IdCard', 'Name', 'LiveStatus', 'LiveMsg', 'Comparestatus', 'Comparemsg', 'Sim') };
  }
  const ok = { ErrCode: 0, ErrMsg: '成功', LiveStatus: 0, LiveMsg: '成功', Comparestatus: 0, Comparemsg: '成功', Sim: '92.37' };
  if (s.outcome === 'pass') return { ...base, ...ok, Name: s.name, IdCard: s.idCard };
  // The verified person is someone else: ErrCode 0, but not the name/number our server sent.
  if (s.outcome === 'mismatch') return { ...base, ...ok, Name: otherName(s.name), IdCard: otherIdCard(s.idCard) };
  // 2016 (Plus 版返回码, billed): the face does not match the ID photo closely enough.
  const msg = '无法判断为同一人，请确认身份后重试（相似度未达到通过阈值）';
  return { ...base, ErrCode: 2016, ErrMsg: msg, Name: s.name, IdCard: s.idCard, LiveStatus: 0, LiveMsg: '成功', Comparestatus: 2016, Comparemsg: msg, Sim: '41.06' };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * RedirectUrl with `BizToken=` appended at its end, as the H5 flow does: in a hash route
 * (`/#/page?x=1`) that is the route's query, where the SPA reads it. Only http(s) targets, so a
 * crafted RedirectUrl cannot become javascript:.
 */
function withBizToken(raw: string, token: string): string | undefined {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const param = `BizToken=${encodeURIComponent(token)}`;
    if (!u.hash) {
      u.searchParams.set('BizToken', token);
      return u.toString();
    }
    return `${u.toString()}${u.hash.includes('?') ? '&' : '?'}${param}`;
  } catch {
    return undefined;
  }
}

function verifyPage(token: string, s: FaceSession): string {
  // Masked like the real page: 王** · 1101**********001X.
  const chars = [...s.name];
  const who = escapeHtml(`${chars[0] ?? ''}${'*'.repeat(Math.max(chars.length - 1, 1))} · ${s.idCard.slice(0, 4)}**********${s.idCard.slice(-4)}`);
  const button = (outcome: FaceOutcome, label: string, cls: string) =>
    `<button class="btn ${cls}" type="submit" name="outcome" value="${outcome}" data-testid="face-${outcome}">${label}</button>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>模拟人脸核验 · 本地沙箱</title>
<style>
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f5f5;color:#222}
.bar{background:#0052d9;color:#fff;padding:14px 18px;font-size:18px}
.card{background:#fff;margin:16px;border-radius:10px;padding:20px 18px;text-align:center}
.who{font-size:22px;margin:8px 0}.note{color:#666;font-size:15px}
.btn{display:block;width:calc(100% - 32px);margin:12px 16px;padding:18px 0;font-size:22px;border-radius:8px;border:0;color:#fff}
.pass{background:#07c160}.fail{background:#e34d59}.mismatch{background:#ed7b2f}.timeout{background:#888}
</style></head><body>
<div class="bar">模拟人脸核验 · 本地沙箱</div>
<div class="card"><div class="note">核验对象</div><div class="who" data-testid="face-who">${who}</div>
<p class="note">这里没有摄像头，也不采集人脸：请选择一次真实核验可能得到的结果。</p></div>
<form method="post" action="/faceid/verify"><input type="hidden" name="token" value="${escapeHtml(token)}">
${button('pass', '通过', 'pass')}${button('fail', '不通过', 'fail')}
${button('mismatch', '姓名不一致', 'mismatch')}${button('timeout', '超时未完成', 'timeout')}
</form></body></html>`;
}

// ---- SMS helpers ----

/** E.164 for a mainland mobile number given as +86…, 0086…, 86… or 11 digits; undefined otherwise. */
export function mainlandE164(raw: string): string | undefined {
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(raw.trim());
  return m ? `+86${m[1]}` : undefined;
}
const placeholders = (template: string) => Math.max(0, ...[...template.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])));
const render = (template: string, params: string[]) => template.replace(/\{(\d+)\}/g, (_, n) => params[Number(n) - 1] ?? '');
const serialNo = () => `5000:${Array.from({ length: 28 }, () => randomInt(10)).join('')}`;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export async function startTencentSandbox(opts: TencentSandboxOptions): Promise<TencentSandbox> {
  const faces = new Map<string, FaceSession>();
  const sms: SandboxSms[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const ttl = opts.bizTokenTtlMs ?? BIZ_TOKEN_TTL_MS;
  const hourLimit = opts.smsHourLimit ?? 10;
  let delayMs = opts.delayMs ?? 0;
  let origin = '';

  /** Unfinished past the verification window, or any token past the 3-day result window. */
  const expired = (s: FaceSession, now = Date.now()) =>
    now - s.createdAt > FACE_RESULT_TTL_MS || ((!s.outcome || s.outcome === 'timeout') && now - s.createdAt > ttl);

  const checkAuth = (req: IncomingMessage, raw: string, service: string): ApiError | undefined => {
    const m = AUTH_RE.exec(req.headers.authorization ?? '');
    if (!m) return apiError('AuthFailure.InvalidAuthorization', 'Authorization header is missing or not in the TC3-HMAC-SHA256 format.');
    const [, secretId, date, scopeService, signedHeaders, signature] = m;
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isSafeInteger(timestamp)) return apiError('MissingParameter', 'The request is missing a valid X-TC-Timestamp header.');
    if (Math.abs(Date.now() / 1000 - timestamp) > CLOCK_SKEW_S) {
      return apiError('AuthFailure.SignatureExpire', 'Signature expired. Timestamp and server time cannot differ by more than five minutes.');
    }
    if (secretId !== opts.secretId) return apiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const names = signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host')) {
      return apiError('AuthFailure.InvalidAuthorization', 'SignedHeaders must include content-type and host.');
    }
    const headers: Record<string, string> = {};
    for (const n of names) {
      // The real hosts have no port; a client signs the host name alone.
      const v = n === 'host' ? (req.headers.host ?? '').replace(/:\d+$/, '') : req.headers[n];
      headers[n] = Array.isArray(v) ? v.join(',') : (v ?? '');
    }
    const expected = tc3Signature({ secretKey: opts.secretKey, service, timestamp, headers, body: raw, method: req.method });
    const ok = date === tc3Date(timestamp) && scopeService === service && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    return ok ? undefined : apiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
  };

  const detectAuth = (p: Record<string, unknown>): ApiResult => {
    const ruleId = str(p.RuleId);
    if (!ruleId) return apiError('MissingParameter', 'The request is missing a required parameter `RuleId`.');
    if (ruleId !== SANDBOX_FACEID_RULE_ID) return apiError('InvalidParameterValue.RuleIdNotExist', 'RuleId不存在，请到人脸核身控制台申请。');
    const name = str(p.Name);
    const idCard = str(p.IdCard)?.toUpperCase();
    const redirectUrl = str(p.RedirectUrl);
    // Optional in the real API (the H5 page then asks for them); our server always sends them.
    for (const [k, v] of [['Name', name], ['IdCard', idCard], ['RedirectUrl', redirectUrl]] as const) {
      if (!v) return apiError('MissingParameter', `The request is missing a required parameter \`${k}\`.`);
    }
    if (!/^\d{17}[\dX]$/.test(idCard!)) return apiError('InvalidParameterValue', 'IdCard 格式错误。');
    if (!withBizToken(redirectUrl!, 'x') || redirectUrl!.length > 1024) return apiError('InvalidParameterValue', 'RedirectUrl 须为不超过 1024 字符的 http(s) 地址。');
    const extra = str(p.Extra) ?? '';
    if (extra.length > 1000) return apiError('InvalidParameterValue', 'Extra 超过 1000 个字符。');
    const token = randomUUID().toUpperCase();
    faces.set(token, { ruleId, name: name!, idCard: idCard!, redirectUrl: redirectUrl!, extra, createdAt: Date.now() });
    return { Url: `${origin}/faceid/verify?token=${token}`, BizToken: token };
  };

  const getDetectInfo = (p: Record<string, unknown>): ApiResult => {
    const token = str(p.BizToken);
    if (!token) return apiError('MissingParameter', 'The request is missing a required parameter `BizToken`.');
    if (!str(p.RuleId)) return apiError('MissingParameter', 'The request is missing a required parameter `RuleId`.');
    const s = faces.get(token);
    if (!s) return apiError('InvalidParameterValue.BizTokenIllegal', 'BizToken不合法。');
    if (p.RuleId !== s.ruleId) return apiError('InvalidParameterValue.RuleIdNotExist', 'RuleId不存在，请到人脸核身控制台申请。');
    if (expired(s)) return apiError('InvalidParameterValue.BizTokenExpired', 'BizToken过期。');
    const infoType = str(p.InfoType) ?? '0';
    const wantsText = infoType.includes('0') || infoType.includes('1');
    const rest = nulls('IdCardData', 'BestFrame', 'VideoData', 'Encryption', 'IntentionVerifyData', 'IntentionQuestionResult', 'IntentionActionResult', 'EncryptedBody');
    return { Text: wantsText ? faceText(s) : null, ...rest };
  };

  const sendSms = (p: Record<string, unknown>): ApiResult => {
    const appId = str(p.SmsSdkAppId);
    if (!appId) return apiError('MissingParameter', 'The request is missing a required parameter `SmsSdkAppId`.');
    if (appId !== SANDBOX_SMS.sdkAppId) return apiError('UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verify fail.');
    const phones = p.PhoneNumberSet;
    if (!Array.isArray(phones) || phones.length === 0) return apiError('MissingParameter.EmptyPhoneNumberSet', 'the number of phone numbers is 0.');
    if (phones.length > 200) return apiError('LimitExceeded.PhoneNumberCountLimit', 'the number of phone numbers exceeds 200.');
    if (str(p.SignName) !== SANDBOX_SMS.signName) {
      return apiError('FailedOperation.SignatureIncorrectOrUnapproved', 'signature format is incorrect or signature is not approved.');
    }
    const templateId = str(p.TemplateId) ?? '';
    const template = Object.hasOwn(SANDBOX_SMS.templates, templateId) ? SANDBOX_SMS.templates[templateId] : undefined;
    if (!template) return apiError('FailedOperation.TemplateIncorrectOrUnapproved', 'template is not approved or template content does not match.');
    const params = p.TemplateParamSet ?? [];
    if (!Array.isArray(params) || !params.every((v) => typeof v === 'string')) return apiError('InvalidParameter', 'TemplateParamSet must be an array of strings.');
    // Verification templates: every variable 0–6 digits.
    if (templateId === SANDBOX_SMS.verifyTemplateId && !params.every((v) => /^\d{0,6}$/.test(v))) {
      return apiError('InvalidParameterValue.TemplateParameterFormatError', 'verification code template parameter format error.');
    }
    const now = Date.now();
    const status = (phone: string, Code: string, Message: string, SerialNo = '', Fee = 0) =>
      ({ SerialNo, PhoneNumber: phone, Fee, SessionContext: str(p.SessionContext) ?? '', Code, Message, IsoCode: 'CN' });
    const SendStatusSet = phones.map((raw) => {
      const phone = typeof raw === 'string' ? mainlandE164(raw) : undefined;
      if (!phone) return status(String(raw), 'InvalidParameterValue.IncorrectPhoneNumber', 'incorrect phone number format.');
      if (params.length !== placeholders(template)) {
        return status(phone, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'request content does not match the approved template content.');
      }
      const lastHour = sms.filter((m) => m.phone === phone && now - Date.parse(m.at) < 3600_000).length;
      if (lastHour >= hourLimit) {
        const why = 'the number of sms messages sent from a single mobile number within 1 hour exceeds the upper limit.';
        return status(phone, 'LimitExceeded.PhoneNumberOneHourLimit', why);
      }
      const text = `【${SANDBOX_SMS.signName}】${render(template, params)}`;
      const rec = { phone, templateId, params: [...params], at: new Date(now).toISOString(), serialNo: serialNo(), text };
      sms.push(rec);
      return status(phone, 'Ok', 'send success', rec.serialNo, 1);
    });
    return { SendStatusSet };
  };

  const handlers: Record<string, (p: Record<string, unknown>) => ApiResult> = { DetectAuth: detectAuth, GetDetectInfoEnhanced: getDetectInfo, SendSms: sendSms };

  const answer = async (res: ServerResponse, r: ApiResult) => {
    if (delayMs > 0) await new Promise<void>((resolve) => { const t = setTimeout(() => (timers.delete(t), resolve()), delayMs); timers.add(t); });
    const RequestId = randomUUID();
    const body = r instanceof ApiError ? { Error: { Code: r.code, Message: r.message }, RequestId } : { ...r, RequestId };
    send(res, 200, JSON.stringify({ Response: body }), { 'Content-Type': 'application/json' });
  };

  const handleApi = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const action = str(req.headers['x-tc-action']) ?? '';
    const spec = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!spec) return answer(res, apiError('InvalidAction', `The action \`${action}\` is not found in this sandbox.`));
    const authError = checkAuth(req, raw, spec.service);
    if (authError) return answer(res, authError);
    if (req.headers['x-tc-version'] !== spec.version) return answer(res, apiError('NoSuchVersion', `Version must be ${spec.version} for ${action}.`));
    const params = parseJsonObject(raw);
    if (!params) return answer(res, apiError('InvalidParameter', 'The request body is not a JSON object.'));
    return answer(res, handlers[action](params));
  };

  const faceFor = (token: string | null): FaceSession | undefined => (token ? faces.get(token) : undefined);

  const handleVerifyPage = (res: ServerResponse, url: URL) => {
    const token = url.searchParams.get('token');
    const s = faceFor(token);
    if (!s) return sendHtml(res, 404, resultPage('人脸核验', '核验链接无效'));
    if (s.outcome) return sendHtml(res, 409, resultPage('人脸核验', '本次核验已完成'));
    if (expired(s)) return sendHtml(res, 410, resultPage('人脸核验', '核验链接已过期，请返回重新发起'));
    sendHtml(res, 200, verifyPage(token!, s));
  };

  const handleChoice = (res: ServerResponse, raw: string) => {
    const form = new URLSearchParams(raw);
    const token = form.get('token');
    const outcome = form.get('outcome') as FaceOutcome;
    const s = faceFor(token);
    if (!s) return sendHtml(res, 404, resultPage('人脸核验', '核验链接无效'));
    if (!['pass', 'fail', 'mismatch', 'timeout'].includes(outcome)) return sendHtml(res, 400, resultPage('人脸核验', '未知的选择'));
    if (s.outcome) return sendHtml(res, 409, resultPage('人脸核验', '本次核验已完成'));
    if (expired(s)) return sendHtml(res, 410, resultPage('人脸核验', '核验链接已过期，请返回重新发起'));
    s.outcome = outcome;
    const to = withBizToken(s.redirectUrl, token!);
    return to ? redirect(res, to) : sendHtml(res, 200, resultPage('人脸核验', '核验结束'));
  };

  /** What a tester would read on their phone: the messages to one number, newest first. */
  const handleSmsList = (res: ServerResponse, url: URL) => {
    const phone = mainlandE164(url.searchParams.get('phone') ?? '');
    const json = (status: number, v: unknown) =>
      send(res, status, JSON.stringify(v), { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    if (!phone) return json(400, { error: 'phone must be an 11-digit mainland mobile number' });
    json(200, sms.filter((m) => m.phone === phone).reverse());
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      try {
        const raw = await readBody(req);
        if (req.method === 'POST' && url.pathname === '/') return await handleApi(req, res, raw);
        if (req.method === 'GET' && url.pathname === '/faceid/verify') return handleVerifyPage(res, url);
        if (req.method === 'POST' && url.pathname === '/faceid/verify') return handleChoice(res, raw);
        if (req.method === 'GET' && url.pathname === '/sandbox/sms') return handleSmsList(res, url);
        send(res, 404, 'not found');
      } catch {
        if (!res.headersSent) send(res, 500, 'sandbox error');
      }
    })();
  });
  origin = await listen(server, opts.port, opts.host);

  return {
    url: origin,
    sms,
    setFaceOutcome(bizToken, outcome) {
      const s = faces.get(bizToken);
      if (!s) throw new Error('unknown BizToken');
      s.outcome = outcome;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeServer(server);
    },
  };
}

/**
 * Everything the FaceID / SMS clients need to talk to the sandbox at `url`. The endpoints are
 * `faceid.localhost` / `sms.localhost` on the sandbox's port, not the IP: the SDK signs for the
 * service named by the endpoint's first label, and the clients send `*.localhost` to 127.0.0.1.
 */
export function tencentSandboxEnv(url: string, o: { secretId?: string; secretKey?: string } = {}): Record<string, string> {
  const port = new URL(url).port;
  return {
    TENCENTCLOUD_SECRET_ID: o.secretId ?? SANDBOX_TENCENT_SECRET.id,
    TENCENTCLOUD_SECRET_KEY: o.secretKey ?? SANDBOX_TENCENT_SECRET.key,
    TENCENTCLOUD_REGION: 'ap-guangzhou',
    FACEID_RULE_ID: SANDBOX_FACEID_RULE_ID,
    FACEID_ENDPOINT: `http://faceid.localhost:${port}`,
    SMS_SDK_APP_ID: SANDBOX_SMS.sdkAppId,
    SMS_SIGN_NAME: SANDBOX_SMS.signName,
    SMS_TEMPLATE_ID_VERIFY: SANDBOX_SMS.verifyTemplateId,
    SMS_ENDPOINT: `http://sms.localhost:${port}`,
  };
}
