import { api } from '@hospital/shared';
import { requireOrgRole } from '#lib/authority';
import { HttpError } from '#lib/errors';
import { merchantOrg } from './config';
import { featureHandler } from '#lib/http/index';
import * as admissions from './admissions';
import * as bills from './bills';
import * as his from './his';
import * as notify from './notify';
import * as orders from './orders';
import { reconcile, report } from './reconcile';
import * as reissue from './reissue';

const day = (d: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new HttpError(400, 'VALIDATION_FAILED', '日期无效', [{ path: 'params.date', message: 'YYYY-MM-DD' }]);
  return d;
};

export const handler = featureHandler(api.payments, {
  create: ({ principal, body }) => orders.create(principal, body),
  get: ({ principal, params }) => orders.get(principal, params.orderNo),
  notifyWechat: ({ headers, rawBody }) => notify.wechat(headers, rawBody),
  notifyAlipay: ({ rawBody }) => notify.alipay(rawBody),
  refund: ({ principal, params, body, headers }) => orders.staffRefund(principal, params.orderNo, body.amount, body.reason, headers['idempotency-key'] ?? ''),
  failedRefunds: ({ principal }) => reissue.failedList(principal),
  reissueRefund: ({ principal, params, body }) => reissue.reissue(principal, params.refundNo, body.reason),
  myBills: ({ principal, query }) => bills.mine(principal.userId, query.patientId, query.status),
  createBill: ({ principal, body }) => bills.cashierBill(principal, body),
  hisBills: ({ headers, rawBody }) => his.bills(headers, rawBody),
  hisAdmissions: ({ headers, rawBody }) => his.admissions(headers, rawBody),
  hisCharges: ({ headers, rawBody }) => his.charges(headers, rawBody),
  myAdmissions: ({ principal }) => admissions.mine(principal.userId),
  admission: ({ principal, params }) => admissions.get(principal, params.admissionId),
  staffAdmissions: ({ principal, query }) => admissions.staffList(principal, query.status),
  postCharges: ({ principal, params, body }) => admissions.staffCharges(principal, params.admissionId, body.charges),
  settle: ({ principal, params, body }) => admissions.staffSettle(principal, params.admissionId, body.charges),
  reconciliation: async ({ principal, params }) => {
    requireOrgRole(principal, merchantOrg(), ['cashier', 'admin'], '该日尚未对账');
    const r = await report(day(params.date));
    if (!r) throw new HttpError(404, 'NOT_FOUND', '该日尚未对账');
    return r;
  },
  reconcile: ({ principal, params }) => {
    requireOrgRole(principal, merchantOrg(), ['admin'], '该日尚未对账');
    return reconcile(day(params.date));
  },
});
