import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { RoleNames, type TokenPair } from '@hospital/shared';
import { AsyncView } from '../../components/AsyncView';
import { Btn } from '../../components/Btn';
import { openUrl, useRouteParams } from '../../navigation';
import { routeUrl } from '../../routes';
import { platform } from '../../platform';
import { api } from '../../services/api';
import { describeError } from '../../services/client';
import { acceptanceAfterLogin } from '../../services/privacy-gate';
import { setSession } from '../../services/session';
import { useAction, useApi } from '../../services/useApi';
import { useState } from 'react';
import './index.css';

async function finish(pair: TokenPair, next: string | undefined) {
  setSession(pair);
  Taro.showToast({ title: '登录成功', icon: 'success', duration: 1200 });
  // 用户协议 / 隐私政策 not accepted yet (or updated since): that page first, then `next`.
  // A dispatcher's place is the 120 console, not the patients' home page.
  const landing = next ?? (pair.user.roles.includes('dispatcher') ? routeUrl('dispatchConsole') : undefined);
  if (await acceptanceAfterLogin(landing)) return;
  await openUrl(landing);
}

/** WeChat / Alipay: the host app vouches for the person with a one-time code. */
function NativeLogin({ next }: { next?: string }) {
  const login = useAction(api.auth.login);
  const [platformError, setPlatformError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    setPlatformError(null);
    setBusy(true);
    try {
      const { provider, code } = await platform.getLoginCode();
      const pair = await login.run({ body: { provider, code } });
      if (pair) await finish(pair, next);
    } catch (e) {
      setPlatformError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const error = platformError ?? (login.error ? describeError(login.error) : null);
  return (
    <View className='card'>
      <Text className='login__lead'>使用{platform.label}账号登录。我们只用它确认您的身份，不会获取您的聊天或支付信息。</Text>
      {error ? (
        <Text className='error-text' id='login-error'>
          {error}
        </Text>
      ) : null}
      <Btn kind='primary' id='login-native' busy={busy || login.loading} onTap={start}>
        {platform.label}一键登录
      </Btn>
    </View>
  );
}

/**
 * H5 on the local stack: no host app, so the person picks a demo user of any role.
 * The server offers `GET /v1/auth/dev-users` only when the stage is local.
 */
function DevLogin({ next }: { next?: string }) {
  const users = useApi(api.auth.devUsers);
  const login = useAction(api.auth.login);
  const [picked, setPicked] = useState<string | null>(null);

  const pick = async (id: string) => {
    if (login.loading) return;
    setPicked(id);
    const pair = await login.run({ body: { provider: 'dev', code: id } });
    if (pair) await finish(pair, next);
  };

  return (
    <View>
      <View className='card'>
        <Text className='login__lead'>网页版（本地演示环境）：请选择一位演示用户登录。</Text>
      </View>
      {login.error ? (
        <Text className='error-text' id='login-error'>
          {describeError(login.error)}
        </Text>
      ) : null}
      <AsyncView state={users} isEmpty={(d) => d.users.length === 0} emptyText='暂无演示用户'>
        {(d) => (
          <View className='dev-users' id='dev-users'>
            {d.users.map((u) => (
              <View
                key={u.id}
                id={`dev-user-${u.id}`}
                className={`dev-user ${picked === u.id && login.loading ? 'dev-user--busy' : ''}`}
                data-user-id={u.id}
                hoverClass='btn--pressed'
                ariaRole='button'
                ariaLabel={`以${u.name}登录`}
                onClick={() => pick(u.id)}
              >
                <Text className='dev-user__name'>
                  {u.name}
                  {picked === u.id && login.loading ? '（登录中…）' : ''}
                </Text>
                <Text className='dev-user__roles'>{u.roles.map((r) => RoleNames[r]).join('、')}</Text>
                <Text className='dev-user__desc'>{u.description}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

export default function Login() {
  const { next } = useRouteParams('login');
  return (
    <View className='page login'>
      <Text className='title'>登录互联网医院</Text>
      {platform.loginMode === 'dev' ? <DevLogin next={next} /> : <NativeLogin next={next} />}
    </View>
  );
}
