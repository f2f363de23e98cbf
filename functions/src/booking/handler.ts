import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as booking from './service';

/**
 * `book` handles its Idempotency-Key itself (the appointment id is derived from it, see
 * service.ts), so the shared layer's idempotency record — two extra writes per request — is
 * not added on release mornings. The contract still declares the key as required.
 */
const routes = { ...api.booking, book: { ...api.booking.book, idempotency: undefined } };

export const handler = featureHandler(routes, {
  book: ({ principal, body, headers, admission }) => booking.book(principal.userId, body, headers, admission),
  mine: ({ principal, query }) => booking.mine(principal.userId, query.filter),
  get: ({ principal, params }) => booking.get(principal.userId, params.appointmentId),
  cancel: ({ principal, params }) => booking.cancel(principal.userId, params.appointmentId),
  checkIn: ({ principal, params, body }) => booking.checkIn(principal.userId, params.appointmentId, body.qr),
});
