import Taro from '@tarojs/taro';

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
