import Taro from '@tarojs/taro';
import { redirect } from '../../../navigation';
import { routeOfPath, type ParamsArg, type RouteName } from '../../../routes';

/**
 * Back to the page the payment started from when it is right below (it refreshes on show),
 * else open it in place of this one (H5 after the checkout: the result page is a fresh load).
 */
export async function backTo<N extends RouteName>(name: N, ...params: ParamsArg<N>): Promise<void> {
  const pages = Taro.getCurrentPages() as { route?: string; path?: string }[];
  const below = pages[pages.length - 2];
  if (below && routeOfPath(below.route ?? below.path ?? '') === name) {
    await Taro.navigateBack();
    return;
  }
  await redirect(name, ...params);
}
