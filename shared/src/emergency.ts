/**
 * Emergency help (紧急求助): what happened, how severe it is, and the life of a request from
 * the caller's press to the dispatcher closing it. Pure rules, used by the functions and the
 * mini-program alike.
 */
import * as z from 'zod';

export const Complaint = z.enum(['chest_pain', 'fall_injury', 'breathing', 'allergy', 'other']);
export type Complaint = z.infer<typeof Complaint>;

export const COMPLAINT_LABEL: Record<Complaint, string> = {
  chest_pain: '胸痛',
  fall_injury: '摔伤',
  breathing: '呼吸困难',
  allergy: '过敏',
  other: '其他',
};

/**
 * 1 critical (possible heart attack, airway), 2 urgent, 3 standard. Chest pain and breathing
 * difficulty are immediately life-threatening until proven otherwise; an allergy can become
 * anaphylaxis and a fall on a mountain path a fracture. A press with nothing chosen is urgent:
 * nobody knows yet.
 */
export type EmergencySeverity = 1 | 2 | 3;
const COMPLAINT_SEVERITY: Record<Complaint, EmergencySeverity> = { chest_pain: 1, breathing: 1, allergy: 2, fall_injury: 2, other: 3 };

export function severityOf(complaints: readonly Complaint[]): EmergencySeverity {
  if (complaints.length === 0) return 2;
  return Math.min(...complaints.map((c) => COMPLAINT_SEVERITY[c])) as EmergencySeverity;
}

export const EMERGENCY_SEVERITY_LABEL: Record<EmergencySeverity, string> = { 1: '危重', 2: '紧急', 3: '一般' };

export const EmergencyStatus = z.enum(['received', 'acknowledged', 'dispatched', 'arrived', 'closed', 'false_alarm', 'cancelled', 'merged']);
export type EmergencyStatus = z.infer<typeof EmergencyStatus>;

/** What the caller reads: plain words, not workflow jargon. */
export const EMERGENCY_STATUS_LABEL: Record<EmergencyStatus, string> = {
  received: '求助已收到，正在通知调度员',
  acknowledged: '调度员已接警',
  dispatched: '救援已出发',
  arrived: '救援人员已到达',
  closed: '本次求助已结束',
  false_alarm: '已标记为误报',
  cancelled: '您已取消求助',
  merged: '已合并到您的另一条求助',
};

/** Short labels for the console. */
export const EMERGENCY_STATUS_SHORT: Record<EmergencyStatus, string> = {
  received: '新求助',
  acknowledged: '已接警',
  dispatched: '已派车',
  arrived: '已到达',
  closed: '已结束',
  false_alarm: '误报',
  cancelled: '已取消',
  merged: '已合并',
};

export const OPEN_EMERGENCY_STATUSES = ['received', 'acknowledged', 'dispatched', 'arrived'] as const satisfies readonly EmergencyStatus[];
export const isOpenEmergency = (s: EmergencyStatus) => (OPEN_EMERGENCY_STATUSES as readonly string[]).includes(s);

export const DispatcherAction = z.enum(['acknowledge', 'dispatch', 'arrive', 'close', 'false_alarm']);
export type DispatcherAction = z.infer<typeof DispatcherAction>;
export type EmergencyAction = DispatcherAction | 'cancel';

/**
 * Every allowed move. A dispatcher must take a call (acknowledge or dispatch) before closing
 * it; dispatching again changes the team or ETA; the caller may cancel until help has arrived;
 * a false alarm can be called at any point before the end (even on arrival).
 */
export const EMERGENCY_TRANSITIONS: Record<EmergencyAction, { from: readonly EmergencyStatus[]; to: EmergencyStatus }> = {
  acknowledge: { from: ['received'], to: 'acknowledged' },
  dispatch: { from: ['received', 'acknowledged', 'dispatched'], to: 'dispatched' },
  arrive: { from: ['dispatched'], to: 'arrived' },
  close: { from: ['acknowledged', 'dispatched', 'arrived'], to: 'closed' },
  false_alarm: { from: ['received', 'acknowledged', 'dispatched', 'arrived'], to: 'false_alarm' },
  cancel: { from: ['received', 'acknowledged', 'dispatched'], to: 'cancelled' },
};

/** The status after `action`, or null when the action is not allowed from `from`. */
export function nextEmergencyStatus(from: EmergencyStatus, action: EmergencyAction): EmergencyStatus | null {
  const t = EMERGENCY_TRANSITIONS[action];
  return t.from.includes(from) ? t.to : null;
}

export const EMERGENCY_ACTION_LABEL: Record<EmergencyAction, string> = {
  acknowledge: '接警',
  dispatch: '派车',
  arrive: '已到达',
  close: '结束',
  false_alarm: '误报',
  cancel: '取消求助',
};

/** Repeated presses from the same phone within this window join the open request. */
export const DUPLICATE_WINDOW_SECONDS = 120;

/**
 * Suspected floods of anonymous SOS (never refused: a real caller may be inside one). Each new
 * anonymous request counts against its sources in a fixed window; past a source's threshold its
 * requests are collapsed into one group on the console, below the requests from normal sources,
 * for a dispatcher to review and dismiss in one action. A logged-in caller is never grouped.
 *  - device: the app's own device secret (one phone calling for many numbers), or none at all
 *    (our app always sends one, so many presses without it come from a script);
 *  - ip: the client address as the gateway saw it (carrier NAT shares one among many phones, so
 *    this one is high);
 *  - phone_prefix: the first 7 digits (号段 + block of 10,000 numbers), as generated lists share.
 */
export const FloodSource = z.enum(['device', 'ip', 'phone_prefix']);
export type FloodSource = z.infer<typeof FloodSource>;
export const SOS_FLOOD_WINDOW_SECONDS = 600;
export const SOS_FLOOD_THRESHOLD: Record<FloodSource, number> = { device: 3, ip: 10, phone_prefix: 8 };
export const FLOOD_SOURCE_LABEL: Record<FloodSource, string> = { device: '同一设备', ip: '同一网络地址', phone_prefix: '同一号段' };

/** Topic of one emergency on the WebSocket API (its caller and the console listen). */
export const emergencyTopic = (id: string) => `emergency:${id}`;

/**
 * Accuracy as the phone reported it, honestly: 0 (some hosts report 0 when they do not know) or
 * nothing is 精度未知, never "精度 0 米" as if exact.
 */
export function accuracyText(accuracy: number | undefined): string {
  if (accuracy === undefined || !Number.isFinite(accuracy) || accuracy <= 0) return '精度未知';
  return `精度约 ${Math.max(1, Math.round(accuracy))} 米`;
}

/** Default seconds a new request may wait unacknowledged before the console escalates it (SOS_ESCALATE_AFTER_SECONDS). */
export const DEFAULT_ESCALATE_AFTER_SECONDS = 90;

/**
 * Escalated: still waiting for a dispatcher (status received) `afterSeconds` or more after it was
 * made. The console turns it red and sounds again; taking it (接警) ends the escalation.
 */
export function isEscalated(e: { status: EmergencyStatus; createdAt: string }, nowMs: number, afterSeconds: number): boolean {
  return e.status === 'received' && nowMs - Date.parse(e.createdAt) >= afterSeconds * 1000;
}
