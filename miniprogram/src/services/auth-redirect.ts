import Taro from '@tarojs/taro';
import { routes, routeUrl, routeOfPath } from '../routes';
import { currentPageUrl } from '../navigation';

let redirecting = false;

/**
 * The session ended (refresh refused, or a call needed a login): open the login page once,
 * however many calls fail together, and come back to the current page afterwards.
 */
export function authRequiredHandler(): void {
  if (redirecting) return;
  const here = currentPageUrl();
  if (here && routeOfPath(here) === 'login') return;
  redirecting = true;
  Taro.navigateTo({ url: routeUrl('login', here ? { next: here } : {}) })
    .catch(() => Taro.reLaunch({ url: routes.login.path }))
    .catch(() => undefined)
    .finally(() => {
      setTimeout(() => {
        redirecting = false;
      }, 800);
    });
}
