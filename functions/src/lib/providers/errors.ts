/** Errors from the payment / login providers. Messages never carry keys, tokens or codes. */
export type ProviderErrorCode =
  /** The login code was rejected (invalid, used, expired): answer 401. */
  | 'INVALID_CODE'
  /** Our own configuration is wrong (appid/secret/keys): a 500, page someone. */
  | 'CONFIG'
  /** A response did not carry a valid provider signature: treat as not received. */
  | 'BAD_RESPONSE_SIGNATURE'
  /** A notification failed verification: change nothing, answer with the provider's failure form. */
  | 'BAD_NOTIFICATION'
  /** The provider answered with a business error; `providerCode` says which (ORDER_NOT_EXIST, ACQ.TRADE_NOT_EXIST…). */
  | 'REJECTED'
  /** Network error, timeout or 5xx: safe to retry later / settle by an active query. */
  | 'UNAVAILABLE';

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: { provider?: 'wechat' | 'wechatpay' | 'alipay' | 'faceid' | 'sms'; providerCode?: string; status?: number } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get providerCode(): string | undefined {
    return this.details.providerCode;
  }
}

export const isProviderError = (e: unknown, code?: ProviderErrorCode): e is ProviderError =>
  e instanceof ProviderError && (code === undefined || e.code === code);
