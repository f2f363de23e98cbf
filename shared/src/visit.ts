/**
 * Video visits (视频问诊) and remote consultations (远程会诊): the state machine, the join window,
 * and the small formulary and test catalogue the e-prescription (电子处方) and doctor's orders
 * (医嘱) are priced from — a price never comes from the client.
 *
 *   scheduled ──patient joins──▶ waiting ──doctor joins──▶ in_progress ──end──▶ ended
 *      │  └────────doctor joins───────────────────────────▲      (rejoin keeps in_progress)
 *      ├──no_show (doctor, after the start; the patient never came)──▶ no_show
 *      └──cancel (doctor) ──▶ cancelled          waiting ──end|cancel──▶ ended|cancelled
 *
 * The server applies a transition as ONE conditional write ("status is one of `from`"), so a
 * doctor ending the visit and a patient joining at the same moment cannot both win.
 */
import * as z from 'zod';

export const VisitStatus = z.enum(['scheduled', 'waiting', 'in_progress', 'ended', 'no_show', 'cancelled']);
export type VisitStatus = z.infer<typeof VisitStatus>;

export const VISIT_STATUS_LABEL: Record<VisitStatus, string> = {
  scheduled: '待开始',
  waiting: '候诊中',
  in_progress: '问诊中',
  ended: '已结束',
  no_show: '患者未到',
  cancelled: '已取消',
};

/** `video`: a resident booked a video session; `consultation`: staff started a remote consultation. */
export const VisitKind = z.enum(['video', 'consultation']);
export type VisitKind = z.infer<typeof VisitKind>;
export const VISIT_KIND_LABEL: Record<VisitKind, string> = { video: '视频问诊', consultation: '远程会诊' };

export type VisitEvent = 'patient_join' | 'doctor_join' | 'end' | 'no_show' | 'cancel';

export const VISIT_TRANSITIONS: Record<VisitEvent, { from: readonly VisitStatus[]; to: VisitStatus }> = {
  patient_join: { from: ['scheduled'], to: 'waiting' },
  doctor_join: { from: ['scheduled', 'waiting'], to: 'in_progress' },
  // A doctor may close a visit held by phone after the patient waited: waiting → ended too.
  end: { from: ['waiting', 'in_progress'], to: 'ended' },
  no_show: { from: ['scheduled'], to: 'no_show' },
  cancel: { from: ['scheduled', 'waiting'], to: 'cancelled' },
};

export const canApplyVisit = (status: VisitStatus, event: VisitEvent) => VISIT_TRANSITIONS[event].from.includes(status);
export const isFinishedVisit = (s: VisitStatus) => s === 'ended' || s === 'no_show' || s === 'cancelled';

/** The room opens this long before the scheduled start… */
export const JOIN_EARLY_MINUTES = 15;
/** …and stays open this long after the scheduled end (a visit that runs over, a dropped call). */
export const JOIN_GRACE_MINUTES = 30;
/** An Agora token lives at most this long; the client asks for a new one before it expires. */
export const TOKEN_MAX_SECONDS = 2 * 3600;
/** A room (channel) is used at most this long; a later join gets a fresh channel. */
export const ROOM_MAX_SECONDS = 4 * 3600;

export function joinWindow(v: { scheduledAt: string; endsAt: string }) {
  return {
    opensAt: Date.parse(v.scheduledAt) - JOIN_EARLY_MINUTES * 60_000,
    closesAt: Date.parse(v.endsAt) + JOIN_GRACE_MINUTES * 60_000,
  };
}

export type JoinRefusal = 'TOO_EARLY' | 'TOO_LATE' | 'VISIT_FINISHED';
export const JOIN_REFUSAL_LABEL: Record<JoinRefusal, string> = {
  TOO_EARLY: `诊室在预约时间前${JOIN_EARLY_MINUTES}分钟开放，请稍后再进入`,
  TOO_LATE: '已超过本次问诊时间，无法进入诊室',
  VISIT_FINISHED: '本次问诊已结束',
};

/** Why a participant may not join now, or null. */
export function joinRefusal(v: { status: VisitStatus; scheduledAt: string; endsAt: string }, now = Date.now()): JoinRefusal | null {
  if (isFinishedVisit(v.status)) return 'VISIT_FINISHED';
  const w = joinWindow(v);
  if (now < w.opensAt) return 'TOO_EARLY';
  if (now >= w.closesAt) return 'TOO_LATE';
  return null;
}

/** Seconds an Agora token issued now should live: to the window's close, at most TOKEN_MAX_SECONDS. */
export function tokenSeconds(closesAt: number, roomExpiresAt: number, now = Date.now()): number {
  const until = Math.min(closesAt, roomExpiresAt) - now;
  return Math.max(60, Math.min(TOKEN_MAX_SECONDS, Math.floor(until / 1000)));
}

// ---- e-prescription -------------------------------------------------------------------------

export const DrugRoute = z.enum(['oral', 'sublingual', 'inhaled', 'topical', 'sc', 'im', 'iv']);
export type DrugRoute = z.infer<typeof DrugRoute>;
export const DRUG_ROUTE_LABEL: Record<DrugRoute, string> = {
  oral: '口服',
  sublingual: '舌下含服',
  inhaled: '吸入',
  topical: '外用',
  sc: '皮下注射',
  im: '肌内注射',
  iv: '静脉滴注',
};

export const DrugFrequency = z.enum(['qd', 'bid', 'tid', 'qid', 'qn', 'q8h', 'q12h', 'prn']);
export type DrugFrequency = z.infer<typeof DrugFrequency>;
export const DRUG_FREQUENCY_LABEL: Record<DrugFrequency, string> = {
  qd: '每日1次',
  bid: '每日2次',
  tid: '每日3次',
  qid: '每日4次',
  qn: '每晚1次',
  q8h: '每8小时1次',
  q12h: '每12小时1次',
  prn: '必要时',
};

/** Pharmacist review (药师审方): a doctor never approves their own prescription. */
export const PrescriptionStatus = z.enum(['pending_review', 'approved', 'rejected']);
export type PrescriptionStatus = z.infer<typeof PrescriptionStatus>;
export const PRESCRIPTION_STATUS_LABEL: Record<PrescriptionStatus, string> = {
  pending_review: '药师审核中',
  approved: '审核通过',
  rejected: '审核未通过',
};

/**
 * Online prescriptions are for common and chronic conditions (复诊), never narcotics or
 * psychotropics, and at most 30 days' supply. Prices in fen per pack.
 */
export interface FormularyDrug {
  code: string;
  name: string;
  strength: string;
  /** What one pack holds, e.g. 7片/盒. */
  pack: string;
  unit: string;
  price: number;
  routes: readonly DrugRoute[];
}

export const FORMULARY: readonly FormularyDrug[] = [
  { code: 'amlodipine-5', name: '苯磺酸氨氯地平片', strength: '5mg', pack: '7片/盒', unit: '盒', price: 2150, routes: ['oral'] },
  { code: 'nifedipine-30', name: '硝苯地平控释片', strength: '30mg', pack: '7片/盒', unit: '盒', price: 3320, routes: ['oral'] },
  { code: 'metoprolol-47.5', name: '琥珀酸美托洛尔缓释片', strength: '47.5mg', pack: '7片/盒', unit: '盒', price: 2030, routes: ['oral'] },
  { code: 'aspirin-100', name: '阿司匹林肠溶片', strength: '100mg', pack: '30片/盒', unit: '盒', price: 1560, routes: ['oral'] },
  { code: 'atorvastatin-20', name: '阿托伐他汀钙片', strength: '20mg', pack: '7片/盒', unit: '盒', price: 2480, routes: ['oral'] },
  { code: 'nitroglycerin-0.5', name: '硝酸甘油片', strength: '0.5mg', pack: '100片/瓶', unit: '瓶', price: 1850, routes: ['sublingual'] },
  { code: 'metformin-500', name: '盐酸二甲双胍片', strength: '0.5g', pack: '20片/盒', unit: '盒', price: 1200, routes: ['oral'] },
  { code: 'acetazolamide-250', name: '乙酰唑胺片', strength: '0.25g', pack: '24片/盒', unit: '盒', price: 1680, routes: ['oral'] },
  { code: 'ibuprofen-300', name: '布洛芬缓释胶囊', strength: '0.3g', pack: '20粒/盒', unit: '盒', price: 1450, routes: ['oral'] },
  { code: 'amoxicillin-250', name: '阿莫西林胶囊', strength: '0.25g', pack: '24粒/盒', unit: '盒', price: 980, routes: ['oral'] },
  { code: 'loratadine-10', name: '氯雷他定片', strength: '10mg', pack: '6片/盒', unit: '盒', price: 1820, routes: ['oral'] },
  { code: 'salbutamol-inh', name: '硫酸沙丁胺醇吸入气雾剂', strength: '100μg/揿', pack: '200揿/支', unit: '支', price: 2690, routes: ['inhaled'] },
];

export const drugByCode = (code: string) => FORMULARY.find((d) => d.code === code);

export const PRESCRIPTION_MAX_DAYS = 30;

// ---- doctor's orders (tests to do) ----------------------------------------------------------

export interface OrderableTest {
  code: string;
  name: string;
  category: '检验' | '检查';
  price: number;
}

export const TEST_CATALOGUE: readonly OrderableTest[] = [
  { code: 'cbc', name: '血常规', category: '检验', price: 2500 },
  { code: 'urine', name: '尿常规', category: '检验', price: 1500 },
  { code: 'lft', name: '肝功能', category: '检验', price: 6000 },
  { code: 'rft', name: '肾功能', category: '检验', price: 4500 },
  { code: 'lipids', name: '血脂四项', category: '检验', price: 4000 },
  { code: 'fpg', name: '空腹血糖', category: '检验', price: 800 },
  { code: 'hba1c', name: '糖化血红蛋白', category: '检验', price: 7000 },
  { code: 'ecg', name: '常规心电图', category: '检查', price: 3000 },
  { code: 'abpm', name: '24小时动态血压', category: '检查', price: 15000 },
  { code: 'echo', name: '心脏彩超', category: '检查', price: 20000 },
  { code: 'cxr', name: '胸部X线正位片', category: '检查', price: 6000 },
  { code: 'head-ct', name: '头颅CT平扫', category: '检查', price: 22000 },
];

export const testByCode = (code: string) => TEST_CATALOGUE.find((t) => t.code === code);
