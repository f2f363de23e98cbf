/**
 * Just enough of `@tarojs/taro` for unit tests of modules that import it: in-memory storage and
 * recorded navigation. The real page hooks need a running app, so they are no-ops here.
 */
const storage = new Map<string, unknown>();
export const navigations: { api: string; url: string }[] = [];
const nav = (api: string) => (opts: { url: string }) => {
  navigations.push({ api, url: opts.url });
  return Promise.resolve({ errMsg: `${api}:ok` });
};

const Taro = {
  getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
  navigateTo: nav('navigateTo'),
  redirectTo: nav('redirectTo'),
  switchTab: nav('switchTab'),
  reLaunch: nav('reLaunch'),
  navigateBack: () => Promise.resolve({ errMsg: 'navigateBack:ok' }),
  getCurrentPages: () => [] as unknown[],
  getCurrentInstance: () => ({ router: null }),
  useRouter: () => ({ params: {} }),
};

export const useDidShow = (_cb: unknown) => {};
export const useLaunch = (_cb: unknown) => {};
export const useRouter = Taro.useRouter;
export const resetShim = () => {
  storage.clear();
  navigations.length = 0;
};
export default Taro;
