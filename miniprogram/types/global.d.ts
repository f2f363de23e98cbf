/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** Base URL of the API, without a trailing slash (config/index.ts `defineConstants`). */
declare const API_BASE: string;
/** Origin the H5 build is served from; printed QR codes point at `${H5_ORIGIN}/qr?c=...`. */
declare const H5_ORIGIN: string;
/** The WebSocket API, e.g. `wss://ws.example-hospital.cn/prod` (config/index.ts `defineConstants`). */
declare const WS_BASE: string;

/** Where the SOS page offers an SMS (the region's 120 SMS number, e.g. 12120), `SOS_SMS_TO` at build time. */
declare const SOS_SMS_TO: string;
/** The 120 console's map tiles (`{z}/{x}/{y}` URL, GCJ-02 AMap/Tencent in production); empty: a plain grid drawn locally. */
declare const MAP_TILE_URL: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** The build target; branches on it are removed at build time. */
    TARO_ENV: 'weapp' | 'alipay' | 'h5' | 'swan' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn';
  }
}
