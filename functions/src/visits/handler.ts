import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as clinical from './clinical';
import * as directory from './directory';
import * as rooms from './rooms';
import * as visits from './service';

export const handler = featureHandler(api.visits, {
  create: ({ principal, body }) => visits.create(principal, body),
  get: ({ principal, params }) => visits.get(principal, params.visitId),
  mine: ({ principal, query }) => visits.mine(principal.userId, query.filter),
  staff: ({ principal, query }) => visits.staffDay(principal, query.date),
  join: ({ principal, params }) => visits.join(principal, params.visitId),
  end: ({ principal, params }) => visits.end(principal, params.visitId),
  cancel: ({ principal, params, body }) => visits.cancel(principal, params.visitId, body.reason),
  noShow: ({ principal, params }) => visits.noShow(principal, params.visitId),
  invite: ({ principal, params, body }) => visits.invite(principal, params.visitId, body.doctorId),
  roomTicket: ({ principal, params }) => rooms.ticket(principal, params.visitId),
  roomSession: ({ body }) => rooms.session(body.ticket),
  patientSummary: ({ principal, params }) => clinical.patientSummary(principal, params.visitId),
  addNote: ({ principal, params, body }) => clinical.addNote(principal, params.visitId, body),
  prescribe: ({ principal, params, body }) => clinical.prescribe(principal, params.visitId, body),
  review: ({ principal, params, body }) => clinical.review(principal, params.visitId, params.rxId, body),
  reviewQueue: ({ principal }) => clinical.reviewQueue(principal),
  order: ({ principal, params, body }) => clinical.order(principal, params.visitId, body),
  videoSessions: ({ query }) => directory.videoSessions(query.date),
  invitable: ({ principal }) => directory.invitable(principal.userId),
});
