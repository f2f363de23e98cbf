import Taro from '@tarojs/taro';
import type { SubscribeOutcome } from './types';

/** Network helpers shared by the two mini-program adapters (both have getNetworkType). */
export async function miniIsOffline(): Promise<boolean> {
  try {
    const res = await Taro.getNetworkType();
    return res.networkType === 'none';
  } catch {
    return false;
  }
}

export function miniOnOnline(cb: () => void): () => void {
  const listener = (res: { isConnected: boolean }) => {
    if (res.isConnected) cb();
  };
  Taro.onNetworkStatusChange(listener);
  return () => {
    // offNetworkStatusChange(listener) exists on WeChat >= 2.9.3 and Alipay; older hosts keep it.
    const off = (Taro as unknown as { offNetworkStatusChange?: (fn: typeof listener) => void }).offNetworkStatusChange;
    off?.(listener);
  };
}

/**
 * `requestSubscribeMessage` on both hosts (WeChat `tmplIds`, Alipay `entityIds`). The result
 * maps each template id to accept / reject / ban / filter; any failure (old host, refused,
 * template not configured) is a refusal, never an error.
 */
export async function miniRequestSubscribe(option: { tmplIds?: string[]; entityIds?: string[] }, ids: readonly string[]): Promise<SubscribeOutcome> {
  if (ids.length === 0) return 'unsupported';
  try {
    const res = (await Taro.requestSubscribeMessage(option as Parameters<typeof Taro.requestSubscribeMessage>[0])) as unknown as Record<string, unknown>;
    return ids.some((id) => res[id] === 'accept') ? 'accepted' : 'rejected';
  } catch {
    return 'rejected';
  }
}

/** WeChat and Alipay: the mini-program's permission page (location, camera, album); after a tap. */
export async function miniOpenSetting(): Promise<'opened' | 'unsupported'> {
  try {
    await Taro.openSetting();
    return 'opened';
  } catch {
    return 'unsupported';
  }
}
