/**
 * The 409 reason codes of booking, check-in, cancel and queue calls in plain Chinese, with what
 * the person can do next. The server's messages are Chinese too; these are written for an older
 * person reading them on a small screen, and say what to do.
 */
import { describeError, type ApiError } from '../../../services/client';

/** What the page offers after a refusal. */
export type NextStep = 'other_session' | 'my_appointments' | 'refresh' | 'retry' | 'book_again' | 'none';

export interface Refusal {
  code: string;
  title: string;
  message: string;
  next: NextStep;
}

const KNOWN: Record<string, Omit<Refusal, 'code'>> = {
  SLOT_FULL: { title: '号源已满', message: '这个时段的号已经约完了，请选择其他日期或其他医生。', next: 'other_session' },
  RESERVED_ONLY: {
    title: '仅剩签约居民优先号',
    message: '普通号已经约完，剩下的号留给这位医生团队的签约居民。这位就诊人还没有与该团队签约，请选择其他时段或其他医生。',
    next: 'other_session',
  },
  BOOKING_PAUSED: {
    title: '暂停网上预约',
    message: '这位就诊人近期多次预约后未按时就诊（爽约），暂停期间不能在网上预约。如需就诊，请到医院挂号窗口办理。',
    next: 'none',
  },
  ALREADY_BOOKED: { title: '已有预约', message: '这位就诊人在这个时段已经有预约了，不能重复预约。可在“我的预约”中查看。', next: 'my_appointments' },
  NOT_RELEASED: { title: '还未放号', message: '这个时段还没到放号时间，请在放号时间之后再来预约。', next: 'other_session' },
  BOOKING_CLOSED: { title: '已停止预约', message: '这个时段已经停止预约，请选择其他时段。', next: 'other_session' },
  SESSION_STOPPED: { title: '医生停诊', message: '医生这个时段停诊了，请选择其他时段或其他医生。', next: 'other_session' },
  HOLD_EXPIRED: { title: '支付已超时', message: '没有在规定时间内完成支付，号源已经释放。如仍需就诊，请重新预约。', next: 'book_again' },
  APPOINTMENT_NOT_PAYABLE: { title: '无需支付', message: '这个预约现在不需要支付，请刷新查看最新状态。', next: 'refresh' },
  PAYMENT_REQUIRED: { title: '请先支付', message: '挂号费支付完成后才能签到。', next: 'refresh' },
  CANCEL_CUTOFF_PASSED: { title: '已过退号时间', message: '就诊开始后不能在手机上取消，如有疑问请到医院服务台咨询。', next: 'none' },
  NOT_CANCELLABLE: { title: '不能取消', message: '这个预约现在的状态不能取消，请刷新查看最新状态。', next: 'refresh' },
  NOT_TODAY: { title: '还不能签到', message: '请在就诊当天到达医院后再签到。', next: 'none' },
  SESSION_OVER: { title: '本时段已结束', message: '这个出诊时段已经结束，无法签到。如需就诊请重新预约。', next: 'book_again' },
  NOT_CHECKABLE: { title: '不能签到', message: '这个预约现在的状态不能签到，请刷新查看最新状态。', next: 'refresh' },
  WRONG_PLACE: { title: '签到地点不对', message: '这不是您就诊科室的签到码，请到预约的科室扫码签到。', next: 'none' },
  APPOINTMENT_STATE_CHANGED: { title: '预约状态已变化', message: '预约的状态刚刚发生了变化，请刷新后查看。', next: 'refresh' },
  PATIENT_LIMIT: { title: '就诊人已满', message: '每个账户最多添加5位就诊人，请先删除不再使用的就诊人。', next: 'none' },
  PATIENT_EXISTS: { title: '就诊人已存在', message: '这个身份证号的就诊人已经在您的账户中了，请直接选择。', next: 'none' },
  PATIENT_HAS_APPOINTMENTS: { title: '不能删除', message: '这位就诊人还有未完成的预约，请先取消或完成就诊。', next: 'none' },
  QUEUE_EMPTY: { title: '没有候诊的患者', message: '目前没有已签到等候的患者。', next: 'refresh' },
  QUEUE_CHANGED: { title: '刚刚有人叫过号', message: '其他人刚刚叫了号，已为您刷新，请再试一次。', next: 'refresh' },
  IDEMPOTENCY_IN_PROGRESS: { title: '正在处理', message: '上一次操作还在处理中，请稍候几秒再试。', next: 'retry' },
};

/** Any failure of a booking-related call → what to show. */
export function refusalOf(e: Pick<ApiError, 'kind' | 'status' | 'code' | 'message'> | null | undefined): Refusal {
  if (!e) return { code: 'UNKNOWN', title: '操作失败', message: '出错了，请稍后重试。', next: 'retry' };
  const known = KNOWN[e.code];
  if (known) return { code: e.code, ...known };
  if (e.kind === 'offline') return { code: 'OFFLINE', title: '网络不可用', message: '网络不可用，请检查网络后重试。', next: 'retry' };
  if (e.kind === 'network') return { code: 'NETWORK_ERROR', title: '连接失败', message: '无法连接服务器，请稍后重试。', next: 'retry' };
  return { code: e.code, title: e.status === 404 ? '没有找到' : '操作失败', message: describeError(e), next: e.status >= 500 ? 'retry' : 'none' };
}
