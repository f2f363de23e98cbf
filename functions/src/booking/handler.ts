import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as booking from './service';

export const handler = featureHandler(api.booking, {
  book: ({ principal, body }) => booking.book(principal.userId, body),
  mine: ({ principal, query }) => booking.mine(principal.userId, query.filter),
  get: ({ principal, params }) => booking.get(principal.userId, params.appointmentId),
  cancel: ({ principal, params }) => booking.cancel(principal.userId, params.appointmentId),
  checkIn: ({ principal, params, body }) => booking.checkIn(principal.userId, params.appointmentId, body.qr),
});
