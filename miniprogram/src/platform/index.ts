export { platform } from './adapter';
export { PlatformError, type PlatformAdapter, type DeviceLocation, type LiveSocket } from './types';
