import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { RoleNames, StaffRoles } from '@hospital/shared';
import { AsyncView } from '../../components/AsyncView';
import { Btn } from '../../components/Btn';
import { PrivacySection } from '../../components/PrivacySection';
import { RequireLogin } from '../../components/RequireLogin';
import { navigate } from '../../navigation';
import { platform } from '../../platform';
import { api } from '../../services/api';
import { clearSession, useSession, type Session } from '../../services/session';
import { useAction, useApi } from '../../services/useApi';
import './index.css';

function Profile({ session }: { session: Session }) {
  // The stored user shows at once (also offline); /v1/auth/me confirms the session is still valid.
  const me = useApi(api.auth.me, undefined, { refreshOnShow: true });
  const logout = useAction(api.auth.logout);
  const everywhere = useAction(api.auth.logoutEverywhere);

  const onLogout = async () => {
    const { confirm } = await Taro.showModal({
      title: '退出登录',
      content: '确定要退出登录吗？',
      confirmText: '退出',
      cancelText: '取消',
    });
    if (!confirm) return;
    // End the server session when we can; the local session ends either way.
    await logout.run({ body: { refreshToken: session.refreshToken } });
    clearSession();
    await Taro.showToast({ title: '已退出登录', icon: 'none' });
  };

  // A lost or shared phone: every session of the account ends, this one too (others within seconds).
  const onLogoutEverywhere = async () => {
    const { confirm } = await Taro.showModal({
      title: '退出所有设备',
      content: '您在其他手机、电脑上的登录都将退出（几秒内生效），本机也需重新登录。确定吗？',
      confirmText: '全部退出',
      cancelText: '取消',
    });
    if (!confirm) return;
    // Only when the server ended them: otherwise the other devices would still be logged in.
    if (!(await everywhere.run({ body: {} }))) {
      await Taro.showToast({ title: '未能退出其他设备，请稍后重试', icon: 'none' });
      return;
    }
    clearSession();
    await Taro.showToast({ title: '已退出所有设备', icon: 'none' });
  };

  return (
    <AsyncView state={{ ...me, data: me.data ?? session.user }}>
      {(user) => {
        const isStaff = user.roles.some((r) => (StaffRoles as readonly string[]).includes(r));
        return (
          <View>
            <View className='card me__card'>
              <Text className='me__name' id='me-name'>
                {user.name}
              </Text>
              <Text className='me__roles' id='me-roles'>
                身份：{user.roles.map((r) => RoleNames[r]).join('、')}
              </Text>
              <Text className='muted me__platform'>登录方式：{platform.label}</Text>
            </View>
            {isStaff ? (
              <Btn id='me-staff' onTap={() => navigate('staff')}>
                医护工作台
              </Btn>
            ) : null}
            <PrivacySection loggedIn />
            <Btn kind='danger' id='btn-logout' busy={logout.loading} onTap={onLogout}>
              退出登录
            </Btn>
            <Btn id='btn-logout-everywhere' busy={everywhere.loading} onTap={onLogoutEverywhere}>
              退出所有设备
            </Btn>
          </View>
        );
      }}
    </AsyncView>
  );
}

/** Tab 我的: who is logged in, their roles, 隐私与授权, logout. */
export default function Me() {
  const session = useSession();
  return (
    <View className='page me'>
      <RequireLogin reason='登录后可查看您的姓名、身份和就诊信息'>
        {(session) => <Profile key={session.user.id} session={session} />}
      </RequireLogin>
      {session ? null : <PrivacySection loggedIn={false} />}
    </View>
  );
}
