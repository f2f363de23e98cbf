/**
 * Agora RTC tokens (AccessToken2, `agora-token`). App ID and certificate come from configuration:
 * `AGORA_APP_ID` (env) and `AGORA_APP_CERTIFICATE` (env locally; SSM SecureString
 * `agora-app-certificate` in AWS). Both are 32 hex characters. The builder silently returns ""
 * for a malformed one, so both are checked here and an empty token is a configuration error.
 * Tokens are secrets: never log them.
 */
// CommonJS: named imports work in the bundle and under vitest, not in plain Node (scripts run by tsx).
import agoraToken from 'agora-token';
import { config, secret } from '../config';
import { ProviderError } from './errors';

const { RtcRole, RtcTokenBuilder } = agoraToken;
const HEX32 = /^[0-9a-f]{32}$/i;

export interface AgoraCredentials {
  appId: string;
  readonly certificate: string;
}

export type AgoraConfig = { state: 'configured'; credentials: AgoraCredentials } | { state: 'missing' };

/** What the deployment says about video; throws (configuration error) when it is set but malformed. */
export async function agoraConfig(env: Record<string, string | undefined> = process.env): Promise<AgoraConfig> {
  const appId = env.AGORA_APP_ID?.trim();
  let certificate = env.AGORA_APP_CERTIFICATE?.trim();
  if (!appId) {
    if (certificate) throw new ProviderError('CONFIG', 'AGORA_APP_CERTIFICATE is set but AGORA_APP_ID is not');
    return { state: 'missing' };
  }
  if (!certificate && !config.isLocal) certificate = await secret('AGORA_APP_CERTIFICATE', 'agora-app-certificate');
  if (!certificate) throw new ProviderError('CONFIG', 'AGORA_APP_ID is set but AGORA_APP_CERTIFICATE is not');
  if (!HEX32.test(appId)) throw new ProviderError('CONFIG', 'AGORA_APP_ID must be 32 hex characters');
  if (!HEX32.test(certificate)) throw new ProviderError('CONFIG', 'AGORA_APP_CERTIFICATE must be 32 hex characters');
  const credentials = { appId } as AgoraCredentials;
  // Non-enumerable: logging or serialising the credentials never prints the certificate.
  Object.defineProperty(credentials, 'certificate', { value: certificate, enumerable: false });
  return { state: 'configured', credentials };
}

/**
 * A publisher token for `uid` in `channel`, valid `seconds` from now (join and publish
 * audio/video/data privileges expire with it). Returns the token and its expiry (epoch seconds).
 */
export function rtcToken(c: AgoraCredentials, channel: string, uid: number, seconds: number, now = Date.now()): { token: string; expiresAt: number } {
  if (!Number.isInteger(uid) || uid < 1 || uid > 0xffffffff) throw new ProviderError('CONFIG', 'Agora uid must be 1..2^32-1');
  if (!/^[\w-]{1,63}$/.test(channel)) throw new ProviderError('CONFIG', 'Agora channel name is invalid');
  const token = RtcTokenBuilder.buildTokenWithUid(c.appId, c.certificate, channel, uid, RtcRole.PUBLISHER, seconds, seconds);
  if (!token) throw new ProviderError('CONFIG', 'Agora token builder refused the App ID or certificate');
  return { token, expiresAt: Math.floor(now / 1000) + seconds };
}
