/**
 * The video room, H5 only (WeChat and Alipay open this same page in a <web-view>). Imported from
 * inside `process.env.TARO_ENV === 'h5'`, so none of it (nor the Agora SDK) reaches the
 * mini-program packages.
 *
 * With credentials (join returns appId + token) and the SDK loaded: Agora RTC — local preview,
 * remote tiles by uid, mute, camera on/off, switch camera, network quality, automatic reconnect
 * (the SDK's own, and a fresh join after a drop or a token about to expire). Without them: the
 * local camera preview through getUserMedia, and a plain explanation of what video needs.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { isFinishedVisit, type JoinResponse, type VisitView } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { back } from '../../../navigation';
import { api, call, describeError } from '../../../services/api';
import { roleText } from '../../../visits/text';
import { useEvery } from '../../../visits/useEvery';
import { loadAgora, type CameraTrack, type LocalTrack, type RtcClient } from './agora';

const JOIN_TIMEOUT_MS = 10_000;

type Permission = 'asking' | 'granted' | 'denied' | 'nodevice' | 'busy' | 'insecure' | 'error';
type Link = 'local' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

const PERMISSION_TEXT: Record<Exclude<Permission, 'granted'>, string> = {
  asking: '正在请求使用摄像头和麦克风，请在弹出的提示中点击「允许」。',
  denied: '您没有允许本页面使用摄像头或麦克风。请在浏览器（或微信、支付宝）的设置中允许后，点「重试」。',
  nodevice: '没有找到摄像头或麦克风。请检查设备后点「重试」。',
  busy: '摄像头或麦克风正被其他应用使用。请关闭其他视频通话后点「重试」。',
  insecure: '当前网页不是安全连接（https），浏览器不允许使用摄像头。请通过医院官方链接进入。',
  error: '无法打开摄像头或麦克风，请点「重试」。',
};

const QUALITY: Record<number, { text: string; cls: string }> = {
  1: { text: '网络极好', cls: 'good' },
  2: { text: '网络良好', cls: 'good' },
  3: { text: '网络一般', cls: 'poor' },
  4: { text: '网络较差', cls: 'poor' },
  5: { text: '网络很差', cls: 'down' },
  6: { text: '网络已断开', cls: 'down' },
};

function permissionOf(e: unknown): Permission {
  const name = (e as { name?: string; code?: string })?.name ?? '';
  const code = (e as { code?: string })?.code ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || code === 'PERMISSION_DENIED') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || code === 'DEVICE_NOT_FOUND') return 'nodevice';
  if (name === 'NotReadableError' || name === 'AbortError' || code === 'NOT_READABLE') return 'busy';
  return 'error';
}

/** A <video> for a MediaStream inside a tile (Taro's View renders a real element with this id on H5). */
function attachStream(tileId: string, stream: MediaStream) {
  const tile = document.getElementById(tileId);
  if (!tile) return;
  let video = tile.querySelector('video');
  if (!video) {
    video = document.createElement('video');
    video.className = 'room__video';
    video.id = `${tileId}-video`;
    video.autoplay = true;
    video.muted = true;
    video.playsInline = true;
    tile.prepend(video);
  }
  video.srcObject = stream;
  void video.play().catch(() => {});
}

interface Live {
  stream?: MediaStream;
  client?: RtcClient;
  mic?: LocalTrack;
  cam?: CameraTrack;
  cameras?: string[];
  cameraIndex: number;
  facing: 'user' | 'environment';
  left: boolean;
}

export function RoomH5({ visitId }: { visitId: string }) {
  const [visit, setVisit] = useState<VisitView | null>(null);
  const [join, setJoin] = useState<JoinResponse | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [permission, setPermission] = useState<Permission>('asking');
  const [link, setLink] = useState<Link>('local');
  const [quality, setQuality] = useState<number | null>(null);
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  const [notice, setNotice] = useState<string | null>(null);
  const [micOn, setMicOn] = useState(true);
  const [camOn, setCamOn] = useState(true);
  const [present, setPresent] = useState<Record<string, boolean>>({});
  const live = useRef<Live>({ cameraIndex: 0, facing: 'user', left: false });
  const rejoinRef = useRef<() => Promise<void>>(async () => {});

  const stopAll = useCallback(async () => {
    const l = live.current;
    l.stream?.getTracks().forEach((t) => t.stop());
    l.mic?.close();
    l.cam?.close();
    await l.client?.leave().catch(() => {});
    live.current = { cameraIndex: 0, facing: l.facing, left: l.left };
  }, []);

  const refreshVisit = useCallback(async () => {
    try {
      const v = await call(api.visits.get, { params: { visitId } });
      setVisit(v);
      if (isFinishedVisit(v.status)) {
        setNotice('医生已结束本次问诊，可以查看问诊小结。');
        await stopAll();
      }
    } catch {
      // The status poll is best effort; the room keeps working.
    }
  }, [visitId, stopAll]);

  const startLocal = useCallback(async (facing: 'user' | 'environment') => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setPermission(window.isSecureContext ? 'nodevice' : 'insecure');
      return;
    }
    setPermission('asking');
    try {
      live.current.stream?.getTracks().forEach((t) => t.stop());
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: facing }, audio: true });
      live.current.stream = stream;
      stream.getAudioTracks().forEach((t) => (t.enabled = micOn));
      stream.getVideoTracks().forEach((t) => (t.enabled = camOn));
      attachStream('room-tile-local', stream);
      setPermission('granted');
    } catch (e) {
      setPermission(permissionOf(e));
    }
  }, [micOn, camOn]);

  const startAgora = useCallback(async (j: JoinResponse) => {
    const sdk = await loadAgora();
    if (!sdk || !j.appId || !j.token) return false;
    const client = sdk.createClient({ mode: 'rtc', codec: 'vp8' });
    live.current.client = client;
    client.on('user-published', async (u, media) => {
      await client.subscribe(u, media);
      if (media === 'video') u.videoTrack?.play(`room-tile-${u.uid}`);
      else u.audioTrack?.play();
      setPresent((p) => ({ ...p, [String(u.uid)]: true }));
    });
    client.on('user-joined', (u) => setPresent((p) => ({ ...p, [String(u.uid)]: true })));
    client.on('user-left', (u) => setPresent((p) => ({ ...p, [String(u.uid)]: false })));
    client.on('network-quality', (q) => setQuality(Math.max(q.uplinkNetworkQuality, q.downlinkNetworkQuality)));
    client.on('connection-state-change', (cur) => {
      setLink(cur === 'CONNECTED' ? 'connected' : cur === 'RECONNECTING' ? 'reconnecting' : cur === 'DISCONNECTED' ? 'disconnected' : 'connecting');
      // A drop the SDK gave up on: join again (a new token, maybe a fresh room) after a pause.
      if (cur === 'DISCONNECTED' && !live.current.left) setTimeout(() => void rejoinRef.current(), 3000);
    });
    client.on('token-privilege-will-expire', async () => {
      const next = await call(api.visits.join, { params: { visitId } }).catch(() => null);
      if (next?.token && next.channel === j.channel) await client.renewToken(next.token);
      else if (next) void rejoinRef.current();
    });
    setLink('connecting');
    // The person sees themself while the room connects; publishing waits for the join.
    setPermission('asking');
    let tracks: [LocalTrack, CameraTrack] | undefined;
    try {
      const [mic, cam] = await sdk.createMicrophoneAndCameraTracks();
      Object.assign(live.current, { mic, cam, cameras: (await sdk.getCameras()).map((c) => c.deviceId) });
      cam.play('room-tile-local');
      setPermission('granted');
      tracks = [mic, cam];
    } catch (e) {
      setPermission(permissionOf(e));
    }
    // An unreachable video service must not leave the room spinning: give up and show why.
    await Promise.race([
      client.join(j.appId, j.channel, j.token, j.uid),
      new Promise((_, reject) => setTimeout(() => reject(new Error('join timed out')), JOIN_TIMEOUT_MS)),
    ]);
    if (tracks) await client.publish(tracks);
    return true;
  }, [visitId]);

  const rejoin = useCallback(async () => {
    await stopAll();
    setFailure(null);
    try {
      const j = await call(api.visits.join, { params: { visitId } });
      setJoin(j);
      const withVideo = await startAgora(j).catch(() => false);
      if (!withVideo) {
        await stopAll();
        setLink('local');
        setNotice(
          j.token
            ? '暂时无法连接视频服务，当前仅显示本地画面，对方看不到您。请检查网络后点“重新连接”。'
            : (j.videoHint ?? '视频服务未配置：视频通话需要 AGORA_APP_ID 和 AGORA_APP_CERTIFICATE。'),
        );
        await startLocal(live.current.facing);
      }
    } catch (e) {
      setFailure(describeError(e as never));
    }
  }, [visitId, startAgora, startLocal, stopAll]);
  rejoinRef.current = rejoin;

  useEffect(() => {
    void refreshVisit();
    void rejoin();
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      live.current.left = true;
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
      void stopAll();
    };
    // Once per visit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visitId]);

  useEvery(10_000, () => void refreshVisit(), !visit || !isFinishedVisit(visit.status));

  const toggleMic = async () => {
    const next = !micOn;
    setMicOn(next);
    live.current.stream?.getAudioTracks().forEach((t) => (t.enabled = next));
    await live.current.mic?.setEnabled(next);
  };
  const toggleCam = async () => {
    const next = !camOn;
    setCamOn(next);
    live.current.stream?.getVideoTracks().forEach((t) => (t.enabled = next));
    await live.current.cam?.setEnabled(next);
  };
  const switchCamera = async () => {
    const l = live.current;
    if (l.cam && l.cameras && l.cameras.length > 1) {
      l.cameraIndex = (l.cameraIndex + 1) % l.cameras.length;
      await l.cam.setDevice(l.cameras[l.cameraIndex]);
      return;
    }
    l.facing = l.facing === 'user' ? 'environment' : 'user';
    if (l.stream) await startLocal(l.facing);
  };
  const leave = async () => {
    live.current.left = true;
    await stopAll();
    // Back to where the room was opened from (the visit, or the doctor's workbench).
    await back();
  };

  const me = join?.uid;
  const others = (visit?.participants ?? []).filter((p) => p.uid !== me);
  const mine = visit?.participants.find((p) => p.uid === me);
  const q = quality ? QUALITY[quality] : undefined;
  const linkText = !online
    ? '网络已断开'
    : link === 'reconnecting' || link === 'disconnected'
      ? '网络中断，正在自动重连…'
      : link === 'connecting'
        ? '正在连接…'
        : link === 'connected'
          ? (q?.text ?? '已连接')
          : '未连接视频服务（仅本地画面）';
  const linkCls = !online || link === 'disconnected' ? 'down' : link === 'reconnecting' ? 'poor' : (q?.cls ?? 'good');

  if (failure) {
    return (
      <View className='room' id='room'>
        <Text className='room__notice' id='room-failure'>
          {failure}
        </Text>
        <Btn kind='primary' onTap={() => void rejoin()}>
          重试
        </Btn>
        <Btn onTap={() => void leave()}>返回</Btn>
      </View>
    );
  }

  return (
    <View className='room' id='room'>
      <View className='room__bar'>
        <Text>{visit ? `${visit.patient.name} · ${visit.reason}` : '视频诊室'}</Text>
        <Text className={`room__quality--${linkCls}`} id='room-network'>
          {linkText}
        </Text>
      </View>
      {notice ? (
        <Text className='room__notice' id='room-notice'>
          {notice}
        </Text>
      ) : null}
      {permission !== 'granted' ? (
        <View>
          <Text className='room__notice' id='room-permission'>
            {PERMISSION_TEXT[permission]}
          </Text>
          {permission !== 'asking' && permission !== 'insecure' ? <Btn onTap={() => void rejoin()}>重试</Btn> : null}
        </View>
      ) : null}
      <View className='room__grid'>
        <View className={`room__tile ${others.length === 0 ? 'room__tile--solo' : ''}`} id='room-tile-local'>
          <Text className='room__name'>
            我{mine ? `（${mine.name} · ${roleText(mine.role)}）` : ''}
            {micOn ? '' : ' · 已静音'}
          </Text>
        </View>
        {others.map((p) => (
          <View key={p.uid} className='room__tile' id={`room-tile-${p.uid}`}>
            {present[String(p.uid)] ? null : <Text className='room__absent'>{link === 'local' ? '需开通视频服务' : '尚未进入'}</Text>}
            <Text className='room__name'>
              {p.name} · {roleText(p.role)}
            </Text>
          </View>
        ))}
      </View>
      <View className='room__controls'>
        <View className={`room__control ${micOn ? '' : 'room__control--off'}`} id='room-mic' ariaRole='button' onClick={() => void toggleMic()}>
          <Text>{micOn ? '静音' : '取消静音'}</Text>
        </View>
        <View className={`room__control ${camOn ? '' : 'room__control--off'}`} id='room-camera' ariaRole='button' onClick={() => void toggleCam()}>
          <Text>{camOn ? '关闭摄像头' : '打开摄像头'}</Text>
        </View>
        <View className='room__control' id='room-switch' ariaRole='button' onClick={() => void switchCamera()}>
          <Text>切换摄像头</Text>
        </View>
        <View className='room__control' id='room-rejoin' ariaRole='button' onClick={() => void rejoin()}>
          <Text>重新连接</Text>
        </View>
        <View className='room__control room__control--leave' id='room-leave' ariaRole='button' onClick={() => void leave()}>
          <Text>{visit && isFinishedVisit(visit.status) ? '查看问诊小结' : '离开诊室'}</Text>
        </View>
      </View>
    </View>
  );
}
