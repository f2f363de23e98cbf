import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as plans from './service';
import * as supervision from './supervision';

export const handler = featureHandler(api.medication, {
  create: ({ principal, body }) => plans.create(principal, body),
  candidates: ({ principal, query }) => plans.candidates(principal, query.patientId),
  staffList: ({ principal }) => plans.staffList(principal),
  staffGet: ({ principal, params }) => plans.staffGet(principal, params.planId),
  stop: ({ principal, params, body }) => plans.stop(principal, params.planId, body.reason),
  alerts: ({ principal, query }) => plans.alerts(principal, query.open),
  ackAlert: ({ principal, params }) => plans.ack(principal, params.planId, params.alertId),

  mine: ({ principal }) => supervision.mine(principal.userId),
  myPlan: ({ principal, params }) => supervision.myPlan(principal.userId, params.planId),
  selfReport: ({ principal, params, body }) => supervision.selfReport(principal, params.planId, params.doseId, body),
  selfProblem: ({ principal, params, body }) => supervision.selfProblem(principal, params.planId, body),

  supervised: ({ principal }) => supervision.supervised(principal),
  supervisedPlan: ({ principal, params }) => supervision.plan(principal, params.planId),
  respond: ({ principal, params, body }) => supervision.respond(principal, params.planId, body.accept),
  confirm: ({ principal, params, body }) => supervision.confirm(principal, params.planId, params.doseId, body),
  problem: ({ principal, params, body }) => supervision.supervisorProblem(principal, params.planId, body),
});
