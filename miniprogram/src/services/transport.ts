import Taro from '@tarojs/taro';
import type { Transport, TransportResponse } from './client';

const TIMEOUT_MS = 15_000;

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data ?? null;
  if (data === '') return null;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * `Taro.request` as a `Transport`: resolves for every HTTP status, rejects only when no response
 * arrived. We ask for text and parse JSON ourselves so the three targets behave the same
 * (H5 turns a non-JSON body into null with dataType json; WeChat leaves a string).
 */
export const taroTransport: Transport = (req) =>
  Taro.request({
    url: req.url,
    method: req.method,
    header: req.headers,
    data: req.body,
    dataType: 'text',
    responseType: 'text',
    timeout: TIMEOUT_MS,
  }).then(
    (res): TransportResponse => ({ status: res.statusCode, data: parseBody(res.data) }),
    (err: { status?: number; statusCode?: number; data?: unknown }) => {
      // Alipay's my.request reports 4xx/5xx through `fail` (error 19) with the status and body.
      const status = err?.statusCode ?? err?.status;
      if (typeof status === 'number' && status >= 100) return { status, data: parseBody(err.data) };
      throw err;
    },
  );
