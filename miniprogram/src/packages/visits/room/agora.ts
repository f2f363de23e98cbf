/**
 * The Agora Web SDK (`agora-rtc-sdk-ng`, web-only, ~1.6 MB) is loaded on demand, and only by the
 * H5 room (this module is imported from inside `process.env.TARO_ENV === 'h5'`). The types below
 * are the small part of the SDK the room uses. If the chunk cannot load, `loadAgora()` resolves
 * null and the room shows the local camera preview only.
 */
export interface LocalTrack {
  play(el: HTMLElement | string): void;
  setEnabled(on: boolean): Promise<void>;
  close(): void;
}
export interface CameraTrack extends LocalTrack {
  setDevice(deviceId: string): Promise<void>;
}
export interface RemoteUser {
  uid: number | string;
  videoTrack?: { play(el: HTMLElement | string): void };
  audioTrack?: { play(): void };
}
export interface RtcClient {
  join(appId: string, channel: string, token: string, uid: number): Promise<unknown>;
  leave(): Promise<void>;
  publish(tracks: LocalTrack[]): Promise<void>;
  subscribe(user: RemoteUser, media: 'audio' | 'video'): Promise<unknown>;
  renewToken(token: string): Promise<void>;
  on(event: 'user-published', cb: (u: RemoteUser, media: 'audio' | 'video') => void): void;
  on(event: 'user-unpublished' | 'user-left' | 'user-joined', cb: (u: RemoteUser) => void): void;
  on(event: 'network-quality', cb: (q: { uplinkNetworkQuality: number; downlinkNetworkQuality: number }) => void): void;
  on(event: 'connection-state-change', cb: (cur: string, prev: string) => void): void;
  on(event: 'token-privilege-will-expire' | 'token-privilege-did-expire', cb: () => void): void;
}
export interface AgoraSdk {
  createClient(o: { mode: 'rtc'; codec: 'vp8' | 'h264' }): RtcClient;
  createMicrophoneAndCameraTracks(): Promise<[LocalTrack, CameraTrack]>;
  getCameras(): Promise<{ deviceId: string; label: string }[]>;
}

async function importSdk(): Promise<{ default?: AgoraSdk } & Partial<AgoraSdk>> {
  // A separate chunk, fetched only when a room opens on H5.
  return import(/* webpackChunkName: "agora" */ 'agora-rtc-sdk-ng') as Promise<{ default?: AgoraSdk } & Partial<AgoraSdk>>;
}

let loading: Promise<AgoraSdk | null> | undefined;
export function loadAgora(): Promise<AgoraSdk | null> {
  loading ??= importSdk().then(
    (m) => (m.default ?? (m as AgoraSdk)) || null,
    () => null,
  );
  return loading;
}
