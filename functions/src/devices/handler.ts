import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import { ingest } from './ingest';
import * as kiosks from './kiosks';
import * as devices from './service';

export const handler = featureHandler(api.devices, {
  ingest: ({ headers, rawBody }) => ingest(headers, rawBody),
  createKiosk: ({ principal, body }) => kiosks.create(principal, body),
  listKiosks: ({ principal, query }) => kiosks.list(principal, query.orgId),
  rotateSecret: ({ principal, params }) => kiosks.rotate(principal, params.kioskId),
  kioskCode: ({ headers, rawBody }) => kiosks.kioskCode(headers, rawBody),
  kioskSession: ({ principal, params }) => kiosks.sessionOf(principal, params.kioskId),
  openSession: ({ principal, params, body }) => kiosks.open(principal, params.kioskId, body.patientId, body.code),
  renewSession: ({ principal, params }) => kiosks.renew(principal, params.kioskId),
  endSession: ({ principal, params }) => kiosks.end(principal, params.kioskId),
  readings: ({ principal, params, query }) => devices.ownReadings(principal.userId, params.patientId, query),
  latest: ({ principal, params }) => devices.ownLatest(principal.userId, params.patientId),
  waveform: ({ principal, params }) => devices.ownWaveform(principal.userId, params.patientId, params.readingId),
  alerts: ({ principal, params }) => devices.ownAlerts(principal.userId, params.patientId),
  staffReadings: ({ principal, params, query }) => devices.staffReadings(principal, params.patientId, query),
  staffAlerts: ({ principal }) => devices.staffAlerts(principal),
  unassigned: ({ principal }) => devices.unassigned(principal),
  assign: ({ principal, params, body }) => devices.assign(principal, params.pushId, body),
});
