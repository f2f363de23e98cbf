import type { ReactNode } from 'react';
import { useSession, type Session } from '../services/session';
import { currentPageUrl, navigate } from '../navigation';
import { Btn } from './Btn';
import { StatusBlock } from './StatusBlock';

/** Renders `children(session)` for a logged-in person, else a clear 请先登录 card. */
export function RequireLogin({ children, reason }: { children: (session: Session) => ReactNode; reason?: string }) {
  const session = useSession();
  if (session) return <>{children(session)}</>;
  return (
    <StatusBlock kind='require-login' icon='i' title='请先登录' message={reason ?? '登录后可查看您的个人信息'}>
      <Btn kind='primary' id='require-login-btn' onTap={() => navigate('login', { next: currentPageUrl() })}>
        登录
      </Btn>
    </StatusBlock>
  );
}
