import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import * as homeVisits from './home-visits';
import * as contracts from './service';
import * as teams from './teams';

export const handler = featureHandler(api.care, {
  packages: ({ query }) => teams.publicPackages(query.orgId),
  teams: ({ query }) => teams.publicTeams(query.orgId),
  adminTeams: ({ principal }) => teams.adminTeams(principal),
  createTeam: ({ principal, body }) => teams.saveTeam(principal, undefined, body),
  updateTeam: ({ principal, params, body }) => teams.saveTeam(principal, params.teamId, body),
  adminPackages: ({ principal }) => teams.adminPackages(principal),
  createPackage: ({ principal, body }) => teams.savePackage(principal, undefined, body),
  updatePackage: ({ principal, params, body }) => teams.savePackage(principal, params.packageId, body),

  sign: ({ principal, body }) => contracts.sign(principal.userId, body),
  mine: ({ principal }) => contracts.mine(principal.userId),
  get: ({ principal, params }) => contracts.get(principal.userId, params.contractId),
  cancel: ({ principal, params, body }) => contracts.cancel(principal.userId, params.contractId, body),
  renew: ({ principal, params, body }) => contracts.renew(principal.userId, params.contractId, body),

  staffList: ({ principal, query }) => contracts.staffList(principal, query),
  staffGet: ({ principal, params }) => contracts.staffGet(principal, params.contractId),
  decide: ({ principal, params, body }) => contracts.decide(principal, params.contractId, body),
  terminate: ({ principal, params, body }) => contracts.terminate(principal, params.contractId, body),
  myTeams: ({ principal }) => teams.myTeams(principal.userId),

  requestHomeVisit: ({ principal, params, body }) => homeVisits.request(principal.userId, params.contractId, body),
  homeVisits: ({ principal, params }) => homeVisits.list(principal.userId, params.contractId),
  staffHomeVisits: ({ principal, query }) => homeVisits.staffList(principal, query.status),
  decideHomeVisit: ({ principal, params, body }) => homeVisits.decide(principal, params.visitId, body),
});
