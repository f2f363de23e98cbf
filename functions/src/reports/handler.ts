import { api } from '@hospital/shared';
import { featureHandler } from '#lib/http/index';
import { ingest } from './ingest';
import * as reports from './service';

export const handler = featureHandler(api.reports, {
  ingest: ({ headers, rawBody }) => ingest(headers, rawBody),
  mine: ({ principal, query }) => reports.myReports(principal.userId, query.patientId, query.type),
  trend: ({ principal, query }) => reports.myTrend(principal.userId, query.patientId, query.code),
  detail: ({ principal, params, query }) => reports.reportDetail(principal, params.reportId, query),
  staffList: ({ principal, params, query }) => reports.staffReports(principal, params.patientId, query.purpose, query.type),
  staffTrend: ({ principal, params, query }) => reports.staffTrend(principal, params.patientId, query.purpose, query.code),
  held: ({ principal }) => reports.heldReports(principal),
  match: ({ principal, params, body }) => reports.matchReport(principal, params.reportId, body),
});
