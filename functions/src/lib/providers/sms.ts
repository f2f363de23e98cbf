/**
 * Verification SMS through Tencent Cloud SMS (API 3.0, the official sms.v20210111 client).
 * Real vs sandbox is only the endpoint and keys; phones and codes are sent, never logged.
 */
import { sms } from 'tencentcloud-sdk-nodejs-sms';
import { need, rejection, tencentCall, tencentClientConfig, tencentCloudConfig, tencentFailure, type TencentCloudConfig } from './faceid';

type Env = Record<string, string | undefined>;

export interface SmsConfig extends TencentCloudConfig {
  /** SmsSdkAppId of the SMS application (短信控制台 › 应用管理). */
  sdkAppId: string;
  /** The approved sign's text (not its id), e.g. 互联网医院. */
  signName: string;
  /** Approved template, e.g. `您的验证码为{1}，{2}分钟内有效。如非本人操作，请忽略。` */
  templateIdVerify: string;
}

export interface SmsSender {
  /** SendSms with the verification template; params are the template's {1},{2}… values. */
  send(input: { phone: string; templateParams: string[] }): Promise<{ serialNo: string }>;
}

export function smsConfig(env: Env = process.env): SmsConfig {
  return Object.assign(tencentCloudConfig(env, 'sms'), {
    sdkAppId: need(env, 'SMS_SDK_APP_ID'),
    signName: need(env, 'SMS_SIGN_NAME'),
    templateIdVerify: need(env, 'SMS_TEMPLATE_ID_VERIFY'),
  });
}

/** E.164: an 11-digit mainland number gets +86; anything else goes as given (Tencent validates). */
const e164 = (phone: string) => (/^1\d{10}$/.test(phone.trim()) ? `+86${phone.trim()}` : phone.trim());

export function smsSender(env: Env = process.env): SmsSender {
  const cfg = smsConfig(env);
  const client = new sms.v20210111.Client(tencentClientConfig(cfg));

  return {
    async send({ phone, templateParams }) {
      const r = await tencentCall('sms', 'SendSms', () =>
        client.SendSms({
          SmsSdkAppId: cfg.sdkAppId,
          SignName: cfg.signName,
          TemplateId: cfg.templateIdVerify,
          PhoneNumberSet: [e164(phone)],
          TemplateParamSet: templateParams,
        }),
      );
      // A request can succeed while the message for a number fails (limits, bad number): per-number Code.
      const s = r?.SendStatusSet?.[0];
      if (!s?.Code) throw tencentFailure('sms', 'SendSms', undefined);
      if (s.Code !== 'Ok') throw rejection('sms', 'SendSms', s.Code, r.RequestId);
      if (!s.SerialNo) throw tencentFailure('sms', 'SendSms', undefined);
      return { serialNo: s.SerialNo };
    },
  };
}
