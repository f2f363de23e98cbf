import * as z from 'zod';
import { route } from './contract';
import { MembershipSchema, Roles, RoleSchema } from '../roles';

export const LoginProvider = z.enum(['wechat', 'alipay', 'dev']);
export type LoginProvider = z.infer<typeof LoginProvider>;

export const LoginRequest = z.object({
  provider: LoginProvider,
  /** wx.login code, my.getAuthCode authCode, or (dev) a demo user's id. */
  code: z.string().trim().min(1, '登录凭证不能为空').max(128),
});

export const UserView = z.object({
  id: z.string(),
  name: z.string(),
  /** Every role the user holds anywhere (what the pages offer); the server decides per organisation. */
  roles: z.array(RoleSchema),
  /** Staff: the organisations the user belongs to and the roles in each. */
  memberships: z.array(MembershipSchema).optional(),
  /** The first membership's organisation: the default a page starts from (never an authority). */
  orgId: z.string().optional(),
});
export type UserView = z.infer<typeof UserView>;

export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** ISO time the access token expires. */
  expiresAt: z.string(),
  user: UserView,
});
export type TokenPair = z.infer<typeof TokenPair>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1) });

export const DevUser = UserView.extend({ description: z.string() });

export const authRoutes = {
  login: route({
    method: 'POST',
    path: '/v1/auth/login',
    access: 'public',
    body: LoginRequest,
    response: TokenPair,
    summary: 'Log in with a WeChat/Alipay code (or a demo user locally)',
  }),
  refresh: route({
    method: 'POST',
    path: '/v1/auth/refresh',
    access: 'public',
    body: RefreshRequest,
    response: TokenPair,
    summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)',
  }),
  logout: route({
    method: 'POST',
    path: '/v1/auth/logout',
    access: 'public',
    body: RefreshRequest,
    response: z.object({ ok: z.literal(true) }),
    summary: 'End the session behind a refresh token',
  }),
  me: route({
    method: 'GET',
    path: '/v1/auth/me',
    access: Roles,
    response: UserView,
    summary: 'Who the token belongs to',
  }),
  devUsers: route({
    method: 'GET',
    path: '/v1/auth/dev-users',
    access: 'public',
    localOnly: true,
    response: z.object({ users: z.array(DevUser) }),
    summary: 'Demo users to pick from (local stage only)',
  }),
};
