/**
 * WeChat disables a private API (隐私接口) the mini-program's 《用户隐私保护指引》 does not declare,
 * and refuses a getLocation missing from app.json `requiredPrivateInfos`. This test keeps
 * `miniprogram/privacy-guide.json` (what we enter in the WeChat console) and app.config.ts in step
 * with the code:
 *
 * - it scans the BUILT weapp output (`dist/weapp/**\/*.js`, after `npm run build:weapp -w
 *   miniprogram`) — or, when there is no build (or `PRIVACY_GUIDE_SCAN=source`), the source that
 *   reaches the weapp build (`src/**\/*.ts(x)` without tests and `*.h5.*` / `*.alipay.*` files);
 * - it looks for CALLS (`x.getLocation(`, `x["getLocation"](`), not names: Taro's runtime lists
 *   every API name as a string in its API table (`"getLocation","getNetworkType",…`), which is
 *   not a use. A call through our adapter (`platform.getLocation()`) counts too: it ends in one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist/weapp');
const SRC = join(ROOT, 'src');

/**
 * WeChat's private APIs, by the information they process (小程序用户隐私保护指引内容介绍), plus
 * a few we treat the same way to be safe (scanCode, createCameraContext, Wi-Fi, face verification).
 */
export const WECHAT_PRIVATE_APIS: Record<string, readonly string[]> = {
  '你的昵称、头像': ['getUserProfile', 'getUserInfo'],
  '你的位置信息': ['getLocation', 'getFuzzyLocation', 'startLocationUpdate', 'startLocationUpdateBackground', 'onLocationChange', 'moveToLocation'],
  '你选择的位置信息': ['chooseLocation', 'choosePoi'],
  '你的地址': ['chooseAddress'],
  '你的发票信息': ['chooseInvoice', 'chooseInvoiceTitle'],
  '你的微信运动步数': ['getWeRunData'],
  '你的手机号': ['getPhoneNumber', 'getRealtimePhoneNumber'],
  '你的车牌号': ['chooseLicensePlate'],
  '你选中的照片或视频信息': ['chooseImage', 'chooseMedia', 'chooseVideo'],
  '你选中的文件': ['chooseMessageFile'],
  '你的麦克风': ['startRecord', 'getRecorderManager', 'joinVoIPChat'],
  '你的摄像头': ['createCameraContext', 'createVKSession', 'scanCode'],
  '你的蓝牙': ['openBluetoothAdapter', 'createBLEPeripheralServer'],
  '你的相册（仅写入）权限': ['saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum'],
  '你的通讯录（仅写入）权限': ['addPhoneContact'],
  '你的日历（仅写入）权限': ['addPhoneCalendar', 'addPhoneRepeatCalendar'],
  '你的加速传感器': ['startAccelerometer', 'onAccelerometerChange'],
  '你的磁场传感器': ['startCompass', 'onCompassChange'],
  '你的方向传感器': ['startDeviceMotionListening', 'onDeviceMotionChange'],
  '你的陀螺仪传感器': ['startGyroscope', 'onGyroscopeChange'],
  '你的剪切板': ['setClipboardData', 'getClipboardData'],
  '你的Wi-Fi信息': ['startWifi', 'getWifiList', 'getConnectedWifi', 'connectWifi'],
  '你的人脸信息': ['startFacialRecognitionVerify', 'startFacialRecognitionVerifyAndUploadVideo'],
  '授权（scope.*）': ['authorize'],
};
const ALL_APIS = Object.values(WECHAT_PRIVATE_APIS).flat();

/** The APIs app.json `requiredPrivateInfos` must declare when used (and only then). */
export const REQUIRED_PRIVATE_INFOS = ['getLocation', 'getFuzzyLocation', 'onLocationChange', 'startLocationUpdate', 'startLocationUpdateBackground', 'chooseLocation', 'choosePoi', 'chooseAddress'];

/** Private components and button open-types; matched in the source (the built templates list every component). */
const PRIVATE_COMPONENTS: { name: string; pattern: RegExp }[] = [
  { name: 'getPhoneNumber', pattern: /openType=\{?\s*["'`][^"'`]*\bgetPhoneNumber\b/ },
  { name: 'getRealtimePhoneNumber', pattern: /openType=\{?\s*["'`][^"'`]*\bgetRealtimePhoneNumber\b/ },
  { name: 'chooseAvatar', pattern: /openType=\{?\s*["'`]chooseAvatar/ },
  { name: 'getUserInfo', pattern: /openType=\{?\s*["'`](?:getUserInfo|userInfo)/ },
  { name: 'nickname', pattern: /<Input[^>]*type=\{?\s*["'`]nickname/ },
  { name: 'camera', pattern: /<Camera[\s/>]/ },
  { name: 'live-pusher', pattern: /<LivePusher[\s/>]/ },
  { name: 'voip-room', pattern: /<VoipRoom[\s/>]/ },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The private APIs `code` calls: `.name(` or `["name"](`, never a bare name in a list. */
export function callsIn(code: string, names: readonly string[] = ALL_APIS): Set<string> {
  const found = new Set<string>();
  for (const n of names) {
    const call = new RegExp(`(?:\\.\\s*${escape(n)}|\\[\\s*["'\`]${escape(n)}["'\`]\\s*\\])\\s*\\(`);
    if (call.test(code)) found.add(n);
  }
  return found;
}

/** Comments say what a call does without making one (`// Taro.getLocation(...)` is not a use). */
export const stripComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"'`\\])\/\/.*$/gm, '$1');

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

const sourceFiles = () =>
  walk(SRC, (p) => /\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p) && !/\.(h5|alipay)\.tsx?$/.test(p) && !p.endsWith('.d.ts'));

/** `PRIVACY_GUIDE_SCAN=source` checks the source even when a build is there. */
const built = process.env.PRIVACY_GUIDE_SCAN !== 'source' && existsSync(join(DIST, 'app.json'));
const mode = built ? 'the built weapp output (dist/weapp)' : process.env.PRIVACY_GUIDE_SCAN === 'source' ? 'the source (PRIVACY_GUIDE_SCAN=source)' : 'the source (no weapp build found)';

/** Which private APIs the weapp build uses, and in which files. */
function usedApis(): Map<string, string[]> {
  const files = built ? walk(DIST, (p) => p.endsWith('.js')) : sourceFiles();
  const used = new Map<string, string[]>();
  for (const f of files) {
    let code = readFileSync(f, 'utf8');
    if (!built) code = stripComments(code);
    for (const api of callsIn(code)) used.set(api, [...(used.get(api) ?? []), relative(ROOT, f)]);
  }
  // Components are only visible in the source (Taro's base templates name every component).
  for (const f of sourceFiles()) {
    const code = stripComments(readFileSync(f, 'utf8'));
    for (const c of PRIVATE_COMPONENTS) if (c.pattern.test(code)) used.set(c.name, [...(used.get(c.name) ?? []), relative(ROOT, f)]);
  }
  return used;
}

interface GuideEntry {
  info: string;
  feature: string;
  purpose: string;
  usedBy: string[];
}
const guide = JSON.parse(readFileSync(join(ROOT, 'privacy-guide.json'), 'utf8')) as { contract: string; apis: Record<string, GuideEntry> };

type AppJson = { requiredPrivateInfos?: string[]; permission?: Record<string, { desc?: string }> };
async function weappAppConfig(): Promise<AppJson> {
  if (built) return JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8')) as AppJson;
  // No build: evaluate app.config.ts as the weapp build would.
  const g = globalThis as { defineAppConfig?: (c: unknown) => unknown };
  g.defineAppConfig = (c) => c;
  const before = process.env.TARO_ENV;
  process.env.TARO_ENV = 'weapp';
  try {
    return (await import('./app.config')).default as AppJson;
  } finally {
    process.env.TARO_ENV = before;
  }
}

describe('the scanner finds calls, not names', () => {
  it('a call on the Taro object, a bracket call and a call through our adapter count', () => {
    expect([...callsIn('o.default.getLocation({type:"gcj02"})')]).toEqual(['getLocation']);
    expect([...callsIn('u()["chooseImage"]({count:1})')]).toEqual(['chooseImage']);
    expect([...callsIn('platform\n  .scanCode()')]).toEqual(['scanCode']);
  });

  it("Taro's API table (names as strings) and longer names are not calls", () => {
    expect(callsIn('new Set(["getLocation","scanCode","chooseMedia"])').size).toBe(0);
    expect(callsIn('platform.getEmergencyLocation()').size).toBe(0);
    expect(callsIn('x.getLocationFoo()').size).toBe(0);
  });

  it('comments are not calls (source mode)', () => {
    expect(callsIn(stripComments('// Taro.getLocation({})\n/* wx.scanCode() */\nconst a = 1;')).size).toBe(0);
    expect(callsIn(stripComments("const url = 'https://x.cn/a'; Taro.setClipboardData({ data: url });"))).toEqual(new Set(['setClipboardData']));
  });

  it('an undeclared call would fail the check below', () => {
    const used = callsIn('e.n=1,u().getWeRunData({})');
    expect([...used].filter((a) => !(a in guide.apis))).toEqual(['getWeRunData']);
  });
});

describe(`privacy-guide.json matches the private APIs used by ${mode}`, () => {
  const used = usedApis();

  it('finds the calls we know are there (the scan is not looking at nothing)', () => {
    // 紧急求助's position and the home page's 扫一扫 are in every build.
    expect(used.has('getLocation'), 'getLocation').toBe(true);
    expect(used.has('scanCode'), 'scanCode').toBe(true);
  });

  it('every private API the build calls is declared in privacy-guide.json', () => {
    const missing = [...used.keys()].filter((a) => !(a in guide.apis)).map((a) => `${a} (${used.get(a)!.join(', ')})`);
    expect(missing, 'add these to miniprogram/privacy-guide.json and to the WeChat console').toEqual([]);
  });

  it('privacy-guide.json lists no API the build no longer calls', () => {
    const stale = Object.keys(guide.apis).filter((a) => !used.has(a));
    expect(stale, 'remove these from miniprogram/privacy-guide.json (and the WeChat console)').toEqual([]);
  });

  it('each entry says what is collected and what for, in Chinese, for the function that asks', () => {
    const knownApis = new Set([...ALL_APIS, ...PRIVATE_COMPONENTS.map((c) => c.name)]);
    for (const [api, e] of Object.entries(guide.apis)) {
      expect(knownApis.has(api), `${api} is a private API`).toBe(true);
      expect(e.info, api).toMatch(/^你的|^你选/);
      expect(e.purpose, api).toMatch(/[\u4e00-\u9fff]{6,}/);
      expect(e.feature, api).toMatch(/[\u4e00-\u9fff]/);
      expect(e.usedBy.length, api).toBeGreaterThan(0);
    }
  });

  it('app.json requiredPrivateInfos declares exactly the location APIs used, with the reason for the permission', async () => {
    const app = await weappAppConfig();
    const usedLocation = REQUIRED_PRIVATE_INFOS.filter((a) => used.has(a)).sort();
    expect([...(app.requiredPrivateInfos ?? [])].sort()).toEqual(usedLocation);
    if (usedLocation.includes('getLocation')) expect(app.permission?.['scope.userLocation']?.desc).toMatch(/[\u4e00-\u9fff]{4,}/);
  });
});
