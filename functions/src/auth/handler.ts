import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as auth from './service';

export const handler = featureHandler(api.auth, {
  login: ({ body }) => auth.login(body),
  refresh: ({ body }) => auth.refresh(body.refreshToken),
  logout: ({ body }) => auth.logout(body.refreshToken),
  logoutEverywhere: ({ principal, body }) => auth.logoutEverywhere(principal, body.keepThisSession),
  me: ({ principal }) => auth.me(principal.userId),
  devUsers: () => auth.devUsers(),
});
