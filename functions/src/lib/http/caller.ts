/**
 * Bearer token → the caller, for one route. An access token works on every route its roles
 * allow; a room token (the H5 video room's, lib/tokens.ts) only on the routes the contract marks
 * `roomToken`, and only for the visit it names — elsewhere 403 `ROOM_TOKEN_SCOPE`, which the
 * client shows rather than treating the room's session as ended. Either kind is refused once its
 * session was ended (lib/sessions.ts).
 */
import { HttpError } from '../errors';
import { assertSessionLive } from '../sessions';
import { tokenKind, verifyAccessToken, verifyRoomToken, type Principal } from '../tokens';
import type { HttpState } from './types';

export async function callerOf(token: string, s: Pick<HttpState, 'route' | 'params'>): Promise<Principal> {
  if (tokenKind(token) === 'room') {
    const p = await verifyRoomToken(token);
    if (!s.route.roomToken || s.params.visitId !== p.room.visitId) {
      throw new HttpError(403, 'ROOM_TOKEN_SCOPE', '该凭证只能用于本次视频问诊的诊室');
    }
    await assertSessionLive(p);
    return p;
  }
  const p = await verifyAccessToken(token);
  await assertSessionLive(p);
  return p;
}
