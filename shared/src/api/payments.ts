/**
 * Payments: orders and their provider callbacks, refunds, outpatient bills (门诊缴费), inpatient
 * admissions and deposits (住院押金), discharge settlement, the hospital-system (HIS) pushes and
 * the daily reconciliation. Amounts are integer fen; the server computes every amount except a
 * deposit top-up, which it checks against the admission's min/max.
 */
import * as z from 'zod';
import { route } from './contract';
import {
  AdmissionStatus, BillStatus, LedgerEntryType, MAX_AMOUNT, MAX_BILLS_PER_ORDER, OrderStatus, PaymentChannel,
  PaymentPurpose, PaymentResult, RefundStatus,
} from '../payments';
import { IdNumber } from './patients';

const id = (what: string) => z.string().trim().regex(/^[\w-]{1,80}$/, `${what}无效`);
const fen = (what: string) => z.number({ error: `${what}须为整数（分）` }).int(`${what}须为整数（分）`);
const positiveFen = (what: string) => fen(what).min(1, `${what}须大于0`).max(MAX_AMOUNT, `${what}过大`);
const text = (max: number, what: string) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}过长`);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为 YYYY-MM-DD');
const instant = z.iso.datetime({ offset: true, error: '时间须为带时区的 ISO-8601 格式' });
export const OrderNo = z.string().regex(/^[A-Z0-9]{16,32}$/, '订单号无效');

// ---- orders ---------------------------------------------------------------------------------

export const CreatePaymentRequest = z
  .object({
    purpose: PaymentPurpose,
    /** Appointment id, admission id, or one bill id. */
    refId: id('业务单号').optional(),
    /** Several bills of one person, paid together. */
    refIds: z.array(id('账单号')).min(1, '请选择账单').max(MAX_BILLS_PER_ORDER, `一次最多支付${MAX_BILLS_PER_ORDER}张账单`).optional(),
    channel: PaymentChannel,
    /** Fen. Only for a deposit top-up; every other amount is computed by the server. */
    amount: positiveFen('金额').optional(),
    /** H5 (sandbox checkout): the page to come back to, a path of the H5 app. */
    returnPath: z.string().max(300).regex(/^\/[\w\-./?=&%]*$/, '返回页面无效').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.purpose === 'bill') {
      if (!b.refId && !b.refIds) ctx.addIssue({ code: 'custom', path: ['refIds'], message: '请选择账单' });
      if (b.refId && b.refIds) ctx.addIssue({ code: 'custom', path: ['refId'], message: 'refId 与 refIds 只能填一个' });
    } else {
      if (!b.refId) ctx.addIssue({ code: 'custom', path: ['refId'], message: '缺少业务单号' });
      if (b.refIds) ctx.addIssue({ code: 'custom', path: ['refIds'], message: '仅门诊缴费可一次支付多张账单' });
    }
    if (b.amount !== undefined && b.purpose !== 'deposit') {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: '金额由医院计算，无需填写' });
    }
  });

/** `wx.requestPayment` parameters, signed with the merchant key (RSA). */
export const WechatPayParams = z.object({
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});

export const RefundView = z.object({
  refundNo: z.string(),
  amount: z.number().int(),
  status: RefundStatus,
  reason: z.string(),
  createdAt: z.string(),
  succeededAt: z.string().optional(),
});
export type RefundView = z.infer<typeof RefundView>;

export const PaymentOrderView = z.object({
  orderNo: z.string(),
  purpose: PaymentPurpose,
  refIds: z.array(z.string()),
  patientId: z.string().optional(),
  channel: PaymentChannel,
  /** Fen. */
  amount: z.number().int(),
  description: z.string(),
  status: OrderStatus,
  /** What the result page shows; poll while not final (`final: false`). */
  result: PaymentResult,
  resultMessage: z.string(),
  final: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string(),
  paidAt: z.string().optional(),
  refunded: z.number().int(),
  refunds: z.array(RefundView),
  /** While pending: what the client needs to (re)open the payment. */
  pay: z
    .object({
      /** WeChat: `wx.requestPayment(requestPayment)` / `Taro.requestPayment`. */
      requestPayment: WechatPayParams.optional(),
      /** Alipay: `my.tradePay({ tradeNO })` / `Taro.tradePay`. */
      tradeNO: z.string().optional(),
      /** H5 on the local stack: the sandbox checkout page (pay / cancel buttons). */
      checkoutUrl: z.string().optional(),
    })
    .optional(),
});
export type PaymentOrderView = z.infer<typeof PaymentOrderView>;

export const StaffRefundRequest = z.object({
  /** Fen; at most what is left of the order. */
  amount: positiveFen('退款金额'),
  reason: text(80, '退款原因'),
});

// ---- failed refunds (退款异常) ------------------------------------------------------------------

export const RefundKind = z.enum(['effect', 'appointment', 'settlement', 'staff']);
export type RefundKind = z.infer<typeof RefundKind>;
export const REFUND_KIND_LABEL: Record<RefundKind, string> = {
  effect: '支付后业务失效退款',
  appointment: '取消预约/停诊退款',
  settlement: '出院结算退押金',
  staff: '收费处退款',
};

/** A refund the provider refused (or that its query found failed): the money is still with the hospital. */
export const FailedRefundView = z.object({
  refundNo: z.string(),
  orderNo: z.string(),
  purpose: PaymentPurpose,
  channel: PaymentChannel,
  /** Fen. */
  amount: z.number().int(),
  reason: z.string(),
  kind: RefundKind,
  createdAt: z.string(),
  failedAt: z.string(),
  patientName: z.string().optional(),
  /** A deposit refund of this admission: re-issuing it takes the amount off the account again. */
  admissionId: z.string().optional(),
});
export type FailedRefundView = z.infer<typeof FailedRefundView>;

export const RefundNo = z.string().regex(/^[A-Z0-9]{16,32}-[A-Za-z0-9-]{1,40}$/, '退款单号无效');

export const ReissueRefundRequest = z.object({
  /** Why it is sent again (for the record and the provider); the failed refund's reason when absent. */
  reason: text(80, '退款原因').optional(),
});

/** The new refund written for a failed one (status as the provider answered it). */
export const ReissuedRefundView = z.object({
  refundNo: z.string(),
  reissueOf: z.string(),
  orderNo: z.string(),
  channel: PaymentChannel,
  amount: z.number().int(),
  status: RefundStatus,
  admissionId: z.string().optional(),
});
export type ReissuedRefundView = z.infer<typeof ReissuedRefundView>;

// ---- outpatient bills -----------------------------------------------------------------------

const quantity = z.number({ error: '数量须为数字' }).positive('数量须大于0').max(100_000, '数量过大').multipleOf(0.001, '数量最多三位小数');

export const BillLineInput = z.object({
  code: z.string().trim().max(40).optional(),
  name: text(60, '项目名称'),
  category: z.string().trim().max(20).optional(),
  spec: z.string().trim().max(40).optional(),
  unit: z.string().trim().max(10).optional(),
  quantity,
  /** Fen per unit. */
  unitPrice: fen('单价').min(0, '单价不能为负').max(MAX_AMOUNT, '单价过大'),
});

export const BillLine = BillLineInput.extend({ amount: z.number().int() });
export type BillLine = z.infer<typeof BillLine>;

export const BillView = z.object({
  id: z.string(),
  patientName: z.string(),
  deptName: z.string(),
  doctorName: z.string().optional(),
  orgId: z.string(),
  issuedAt: z.string(),
  items: z.array(BillLine),
  /** Fen, the sum of the lines. */
  total: z.number().int(),
  status: BillStatus,
  paidAt: z.string().optional(),
  orderNo: z.string().optional(),
  source: z.string(),
});
export type BillView = z.infer<typeof BillView>;

export const CashierBillRequest = z.object({
  idNumber: IdNumber,
  patientName: text(30, '姓名'),
  deptName: text(40, '科室'),
  doctorName: z.string().trim().max(30).optional(),
  items: z.array(BillLineInput).min(1, '至少一项收费项目').max(50, '收费项目过多'),
  /** The hospital issuing it; needed only by staff of several hospitals. */
  orgId: z.string().trim().min(1).max(120).optional(),
});

/** A bill from the hospital system: lines carry their amounts, which must add up to `total`. */
export const HisBill = z.object({
  billNo: z.string().trim().regex(/^[\w-]{1,40}$/, '账单号无效'),
  idNumber: IdNumber,
  patientName: text(30, '姓名'),
  deptName: text(40, '科室'),
  doctorName: z.string().trim().max(30).optional(),
  issuedAt: instant,
  items: z.array(BillLineInput.extend({ amount: fen('金额').min(0).max(MAX_AMOUNT) })).min(1).max(100),
  total: fen('合计').min(1).max(MAX_AMOUNT),
});
export const HisBillsRequest = z.object({ bills: z.array(HisBill).min(1).max(50) });

// ---- admissions and deposits ----------------------------------------------------------------

export const LedgerEntryView = z.object({
  seq: z.number().int(),
  type: LedgerEntryType,
  /** Signed fen: + deposit / reversal, − charge / refund. */
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  at: z.string(),
  description: z.string(),
  orderNo: z.string().optional(),
  channel: PaymentChannel.optional(),
  refundNo: z.string().optional(),
  refundStatus: RefundStatus.optional(),
  /** A charge: its charge id (what a correction's `reverses` names). */
  chargeId: z.string().optional(),
  /** A charge: how much of it has been reversed (冲红) so far, fen (positive). */
  reversed: z.number().int().optional(),
  /** A charge_reversal: the charge id of the charge it corrects. */
  reverses: z.string().optional(),
});
export type LedgerEntryView = z.infer<typeof LedgerEntryView>;

export const SettlementRefundView = z.object({
  refundNo: z.string(),
  orderNo: z.string(),
  channel: PaymentChannel,
  amount: z.number().int(),
  status: RefundStatus,
});

export const AdmissionView = z.object({
  id: z.string(),
  /** The caller's own person (就诊人) this admission belongs to; absent for staff. */
  patientId: z.string().optional(),
  patientName: z.string(),
  idNumberMasked: z.string(),
  orgId: z.string(),
  hisAdmissionNo: z.string(),
  ward: z.string(),
  bed: z.string(),
  admittedAt: z.string(),
  dischargedAt: z.string().optional(),
  status: AdmissionStatus,
  statusLabel: z.string(),
  /** Fen. `balance` = `totalDeposited` − `totalCharged` − `totalRefunded` = the sum of the ledger. */
  totalDeposited: z.number().int(),
  totalCharged: z.number().int(),
  totalRefunded: z.number().int(),
  balance: z.number().int(),
  lowBalanceThreshold: z.number().int(),
  lowBalance: z.boolean(),
  /** While `awaiting_payment`: what the family still owes. */
  shortfall: z.number().int().optional(),
  deposit: z.object({ min: z.number().int(), max: z.number().int(), presets: z.array(z.number().int()), open: z.boolean() }),
  ledger: z.array(LedgerEntryView).optional(),
  settlement: z.object({ settledAt: z.string().optional(), refunds: z.array(SettlementRefundView) }).optional(),
});
export type AdmissionView = z.infer<typeof AdmissionView>;

const chargeId = z.string().trim().regex(/^[\w-]{1,60}$/, '费用单号无效');

export const ChargeInput = z.object({
  /** The hospital system's id of the charge (deduplicates re-sends); generated when absent. */
  chargeId: chargeId.optional(),
  description: text(60, '费用说明'),
  /** Fen. With `reverses`: how much of that charge is given back (part or all of it). */
  amount: positiveFen('费用'),
  /** The day the charge is for (Beijing date). */
  date: date.optional(),
  /**
   * 冲红: this is a correction of the charge with this id on the same admission (a `charge_reversal`
   * entry that gives `amount` back). Never more than what is left of that charge; a correction
   * cannot itself be corrected. Idempotent by its own `chargeId`, like a charge.
   */
  reverses: z.string().trim().regex(/^[\w-]{1,60}$/, '冲红的原费用单号无效').optional(),
});

export const ChargesRequest = z.object({ charges: z.array(ChargeInput).min(1, '至少一项费用').max(40, '费用项目过多') });
export const SettleRequest = z.object({ charges: z.array(ChargeInput).max(40, '费用项目过多').default([]) });

export const SettlementView = z.object({
  outcome: z.enum(['settled', 'refunding', 'awaiting_payment', 'confirming_payments']),
  message: z.string(),
  refunds: z.array(SettlementRefundView),
  shortfall: z.number().int().optional(),
  admission: AdmissionView,
});

export const HisAdmission = z.object({
  admissionNo: z.string().trim().regex(/^[\w-]{1,40}$/, '住院号无效'),
  idNumber: IdNumber,
  patientName: text(30, '姓名'),
  ward: text(30, '病区'),
  bed: text(10, '床号'),
  admittedAt: instant,
  minDeposit: positiveFen('最低预交金').optional(),
  maxDeposit: positiveFen('最高预交金').optional(),
  lowBalanceThreshold: fen('余额提醒线').min(0).max(MAX_AMOUNT).optional(),
});
export const HisAdmissionsRequest = z.object({ admissions: z.array(HisAdmission).min(1).max(50) });

export const HisChargesRequest = z.object({
  charges: z
    .array(ChargeInput.extend({ admissionNo: z.string().trim().regex(/^[\w-]{1,40}$/, '住院号无效'), chargeId }))
    .min(1)
    .max(200),
});

export const HisPushResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ ref: z.string(), code: z.string(), message: z.string() })),
});

// ---- reconciliation -------------------------------------------------------------------------

export const Mismatch = z.object({
  kind: z.enum(['missing_in_ledger', 'missing_at_provider', 'amount_differs']),
  type: z.enum(['payment', 'refund']),
  ref: z.string(),
  ours: z.number().int().optional(),
  provider: z.number().int().optional(),
});
export type Mismatch = z.infer<typeof Mismatch>;
export const ReconciliationView = z.object({
  date: z.string(),
  channels: z.array(
    z.object({
      channel: PaymentChannel,
      status: z.enum(['matched', 'mismatched', 'no_bill', 'failed']),
      providerRows: z.number().int(),
      ledgerRows: z.number().int(),
      mismatches: z.array(Mismatch),
      checkedAt: z.string(),
    }),
  ),
});
export type ReconciliationView = z.infer<typeof ReconciliationView>;

const PATIENT = ['patient'] as const;
const WARD_STAFF = ['nurse', 'cashier', 'admin'] as const;
const CASHIER = ['cashier', 'admin'] as const;
const SETTLERS = ['cashier', 'nurse'] as const;

export const paymentsRoutes = {
  create: route({
    method: 'POST', path: '/v1/payments', access: PATIENT, person: 'verified', body: CreatePaymentRequest, response: PaymentOrderView, status: 201, idempotency: 'required',
    summary: 'Start paying an appointment, bills or a deposit: the server computes the amount (409 NOT_PAYABLE, HOLD_EXPIRED, ALREADY_PAID, DEPOSIT_CLOSED)',
  }),
  get: route({
    method: 'GET', path: '/v1/payments/{orderNo}', access: ['patient', ...CASHIER], response: PaymentOrderView,
    summary: 'One order: the result page polls it until final (a pending order is checked with the provider)',
  }),
  notifyWechat: route({
    method: 'POST', path: '/v1/payments/notify/wechat', access: 'signature', rawBody: true, response: z.unknown(),
    summary: 'WeChat Pay v3 notifications (TRANSACTION.SUCCESS, REFUND.*): signature + AES-GCM verified; 204 or {code:FAIL}',
  }),
  notifyAlipay: route({
    method: 'POST', path: '/v1/payments/notify/alipay', access: 'signature', rawBody: true, response: z.unknown(),
    summary: 'Alipay async notifications (payment, refund): RSA2 verified; body `success` or `failure`',
  }),
  refund: route({
    method: 'POST', path: '/v1/staff/payments/{orderNo}/refunds', access: CASHIER, body: StaffRefundRequest, response: PaymentOrderView, status: 201, idempotency: 'required',
    summary: 'Refund part or all of a bill/appointment order (deposits are refunded by discharge settlement)',
  }),
  failedRefunds: route({
    method: 'GET', path: '/v1/staff/refunds/failed', access: CASHIER, response: z.object({ items: z.array(FailedRefundView) }),
    summary: 'The 退款异常 worklist: refunds the provider refused, oldest first, until re-issued',
  }),
  reissueRefund: route({
    method: 'POST', path: '/v1/staff/refunds/{refundNo}/reissue', access: CASHIER, body: ReissueRefundRequest, response: ReissuedRefundView, status: 201, idempotency: 'required',
    summary: 'Send a failed refund again under a new number (<refundNo>-R<n>), once (404; 409 NOT_FAILED, NOT_REFUNDABLE, INSUFFICIENT_BALANCE)',
  }),
  myBills: route({
    method: 'GET', path: '/v1/me/bills', access: PATIENT, person: 'verified',
    query: z.object({ patientId: id('就诊人'), status: z.enum(['unpaid', 'paid', 'all']).default('unpaid') }),
    response: z.object({ items: z.array(BillView), unpaidTotal: z.number().int() }),
    summary: 'A person’s outpatient bills with their lines (unpaid by default)',
  }),
  createBill: route({
    method: 'POST', path: '/v1/staff/bills', access: CASHIER, body: CashierBillRequest, response: BillView, status: 201, idempotency: 'required',
    summary: 'A cashier issues an outpatient bill (amounts computed from the lines)',
  }),
  // The HIS routes take raw bodies (the signature covers the bytes); the handler verifies, then
  // validates with HisBillsRequest / HisAdmissionsRequest / HisChargesRequest (400 per field).
  hisBills: route({
    method: 'POST', path: '/v1/integrations/his/bills', access: 'signature', rawBody: true, response: HisPushResult, status: 202,
    summary: 'Outpatient bills from the hospital system (HMAC-SHA256 over timestamp, nonce and body; ±300 s; nonce once)',
  }),
  hisAdmissions: route({
    method: 'POST', path: '/v1/integrations/his/admissions', access: 'signature', rawBody: true, response: HisPushResult, status: 202,
    summary: 'Admissions (ward, bed, deposit limits) from the hospital system; ward/bed changes update',
  }),
  hisCharges: route({
    method: 'POST', path: '/v1/integrations/his/charges', access: 'signature', rawBody: true, response: HisPushResult, status: 202,
    summary: 'Daily inpatient charges from the hospital system (idempotent per chargeId)',
  }),
  myAdmissions: route({
    method: 'GET', path: '/v1/me/admissions', access: PATIENT, person: 'verified', response: z.object({ items: z.array(AdmissionView) }),
    summary: 'Admissions of the people on my account (no ledger)',
  }),
  admission: route({
    method: 'GET', path: '/v1/admissions/{admissionId}', access: ['patient', ...WARD_STAFF], person: 'verified', response: AdmissionView,
    summary: 'One admission with its ledger (a family member only for a person on their account)',
  }),
  staffAdmissions: route({
    method: 'GET', path: '/v1/staff/admissions', access: WARD_STAFF,
    query: z.object({ status: AdmissionStatus.optional() }),
    response: z.object({ items: z.array(AdmissionView) }),
    summary: 'Admissions of my hospital, newest first',
  }),
  postCharges: route({
    method: 'POST', path: '/v1/staff/admissions/{admissionId}/charges', access: SETTLERS, body: ChargesRequest, response: AdmissionView, status: 201, idempotency: 'required',
    summary: 'A cashier or nurse posts charges to an admission',
  }),
  settle: route({
    method: 'POST', path: '/v1/admissions/{admissionId}/settle', access: SETTLERS, body: SettleRequest, response: SettlementView, idempotency: 'required',
    summary: 'Discharge settlement: final charges, then refund the balance newest deposit first, or ask for the shortfall',
  }),
  reconciliation: route({
    method: 'GET', path: '/v1/staff/reconciliation/{date}', access: CASHIER, response: ReconciliationView,
    summary: 'The stored reconciliation of one Beijing day against the providers’ bills',
  }),
  reconcile: route({
    method: 'POST', path: '/v1/staff/reconciliation/{date}', access: ['admin'], response: ReconciliationView,
    summary: 'Run the reconciliation of one day now (the daily job does it at 10:00)',
  }),
};
