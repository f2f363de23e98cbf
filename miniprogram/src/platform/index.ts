export { platform } from './adapter';
export { PlatformError, type PlatformAdapter } from './types';
