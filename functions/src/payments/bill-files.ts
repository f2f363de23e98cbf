/**
 * The providers' daily trade bills, reduced to what reconciliation compares: one row per payment
 * (our order number) and per refund (our refund number), in fen. Columns are found by their
 * header names, not positions, so an added column does not shift the reading.
 */
export interface BillRow {
  type: 'payment' | 'refund';
  /** Order number for a payment, refund number for a refund. */
  ref: string;
  amount: number;
}

const toFen = (yuan: string): number | undefined => {
  const m = /^-?(\d{1,10})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : undefined;
};

/** WeChat Pay v3 trade bill (ALL): every data field is prefixed with a backtick. */
export function parseWechatBill(csv: string): BillRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const head = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => head.indexOf(name);
  const [orderNo, state, paid, refundNo, refunded] = ['商户订单号', '交易状态', '应结订单金额', '商户退款单号', '退款金额'].map(col);
  if ([orderNo, state, paid, refundNo, refunded].includes(-1)) throw new Error('WeChat bill header not recognised');
  const rows: BillRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('总交易单数')) break;
    const f = line.split(',').map((v) => v.replace(/^`/, '').trim());
    if (f[state] === 'REFUND') {
      const amount = toFen(f[refunded]);
      if (amount !== undefined && f[refundNo]) rows.push({ type: 'refund', ref: f[refundNo], amount });
    } else if (f[state] === 'SUCCESS') {
      const amount = toFen(f[paid]);
      if (amount !== undefined && f[orderNo]) rows.push({ type: 'payment', ref: f[orderNo], amount });
    }
  }
  return rows;
}

/** Alipay 业务明细 (trade details), as text (the client unzips and decodes Alipay's GBK zip). */
export function parseAlipayBill(csv: string): BillRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const headAt = lines.findIndex((l) => l.startsWith('支付宝交易号'));
  if (headAt === -1) return [];
  const head = lines[headAt].split(',').map((h) => h.trim());
  const col = (name: string) => head.indexOf(name);
  const [orderNo, kind, amountCol, requestNo] = ['商户订单号', '业务类型', '订单金额（元）', '退款批次号/请求号'].map(col);
  if ([orderNo, kind, amountCol, requestNo].includes(-1)) throw new Error('Alipay bill header not recognised');
  const rows: BillRow[] = [];
  for (const line of lines.slice(headAt + 1)) {
    const f = line.split(',').map((v) => v.trim());
    const amount = toFen(f[amountCol] ?? '');
    if (amount === undefined) continue;
    if (f[kind] === '交易' && f[orderNo]) rows.push({ type: 'payment', ref: f[orderNo], amount });
    else if (f[kind] === '退款' && f[requestNo]) rows.push({ type: 'refund', ref: f[requestNo], amount });
  }
  return rows;
}
