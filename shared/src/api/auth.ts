import * as z from 'zod';
import { route } from './contract';
import { MembershipSchema, Roles, RoleSchema } from '../roles';

export const LoginProvider = z.enum(['wechat', 'alipay', 'dev']);
export type LoginProvider = z.infer<typeof LoginProvider>;

export const LoginRequest = z.object({
  provider: LoginProvider,
  /** wx.login code, my.getAuthCode authCode, or (dev) a demo user's id. */
  code: z.string().trim().min(1, '登录凭证不能为空').max(128),
  /** 退出其他设备: this login ends every other session of the account (their tokens stop within seconds). */
  signOutEverywhere: z.boolean().optional(),
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

export const LogoutEverywhereRequest = z.object({
  /** Keep the session of the token that asks (退出其他设备); otherwise this one ends too. */
  keepThisSession: z.boolean().default(false),
});

export const authRoutes = {
  login: route({
    method: 'POST',
    path: '/v1/auth/login',
    access: 'public',
    body: LoginRequest,
    response: TokenPair,
    // Codes are single use; the ceiling is for floods (a lobby on one address logs in far less).
    // Per account (after the code is exchanged) in auth/service.ts.
    rateLimit: { rules: [{ per: 'ip', max: 120, windowSeconds: 60 }], message: '登录过于频繁，请稍后再试' },
    summary: 'Log in with a WeChat/Alipay code (or a demo user locally)',
  }),
  refresh: route({
    method: 'POST',
    path: '/v1/auth/refresh',
    access: 'public',
    body: RefreshRequest,
    response: TokenPair,
    // Per account (once the token is verified) in auth/service.ts.
    rateLimit: { rules: [{ per: 'ip', max: 300, windowSeconds: 60 }] },
    summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)',
  }),
  logout: route({
    method: 'POST',
    path: '/v1/auth/logout',
    access: 'public',
    body: RefreshRequest,
    response: z.object({ ok: z.literal(true) }),
    summary: 'End the session behind a refresh token: refresh refused at once, its access tokens within seconds',
  }),
  logoutEverywhere: route({
    method: 'POST',
    path: '/v1/auth/logout-everywhere',
    access: Roles,
    body: LogoutEverywhereRequest,
    response: z.object({ ended: z.number().int() }),
    rateLimit: { rules: [{ per: 'account', max: 10, windowSeconds: 3600 }] },
    summary: '退出所有设备: end every session of the account (or every other one), tokens included',
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
