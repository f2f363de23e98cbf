import { useEffect, useState, type ComponentType } from 'react';
import { Text, View, WebView } from '@tarojs/components';
import { StatusBlock } from '../../../../components/StatusBlock';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { back, useRouteParams } from '../../../../navigation';
import { api, call, describeError } from '../../../../services/api';
import { getSession, setSession } from '../../../../services/session';
import '../../../../visits/visits.css';

/**
 * H5: the room itself, loaded on demand (RoomH5 and, through it, the Agora SDK are a separate
 * chunk that never reaches weapp/alipay). WeChat/Alipay: the same H5 page inside <web-view>,
 * entered with a one-time ticket (60 s) that the H5 page exchanges for a short session — a
 * long-lived token never travels in a URL. The H5 origin must be a business domain (业务域名).
 */
function H5Room({ id, ticket }: { id: string; ticket?: string }) {
  const [Room, setRoom] = useState<ComponentType<{ visitId: string }> | null>(null);
  const [ready, setReady] = useState(!ticket);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5') {
      void import('../../room/RoomH5').then((m) => setRoom(() => m.RoomH5));
    }
  }, []);
  useEffect(() => {
    if (!ticket) return;
    call(api.visits.roomSession, { body: { ticket } }).then(
      (s) => {
        // A short session for this web-view only: no refresh token.
        setSession({ accessToken: s.accessToken, refreshToken: '', expiresAt: s.expiresAt, user: s.user });
        setReady(true);
      },
      (e: unknown) => (getSession() ? setReady(true) : setError(describeError(e as never))),
    );
  }, [ticket]);
  if (error) return <StatusBlock kind='async-error' icon='!' title='无法进入诊室' message={error} />;
  if (!ready || !Room) return <StatusBlock kind='async-loading' title='正在打开诊室…' />;
  if (!getSession()) return <RequireLogin reason='登录后进入视频诊室'>{() => null}</RequireLogin>;
  return <Room visitId={id} />;
}

function MiniRoom({ id }: { id: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = () => {
    setError(null);
    call(api.visits.roomTicket, { params: { visitId: id } }).then(
      (t) => setUrl(t.url),
      (e: unknown) => setError(describeError(e as never)),
    );
  };
  useEffect(open, [id]);
  if (error) {
    return (
      <View className='page'>
        <StatusBlock kind='async-error' icon='!' title='无法进入诊室' message={error}>
          <Btn kind='primary' onTap={open}>
            重试
          </Btn>
          <Btn onTap={() => void back()}>返回</Btn>
        </StatusBlock>
      </View>
    );
  }
  if (!url) return <StatusBlock kind='async-loading' title='正在打开诊室…' />;
  return <WebView src={url} />;
}

export default function VisitRoom() {
  const { id, ticket } = useRouteParams('visitRoom');
  if (!id) {
    return (
      <View className='page'>
        <Text>缺少问诊编号</Text>
      </View>
    );
  }
  if (process.env.TARO_ENV === 'h5') return <H5Room id={id} ticket={ticket} />;
  return (
    <RequireLogin reason='登录后进入视频诊室'>
      {() => <MiniRoom id={id} />}
    </RequireLogin>
  );
}
