/**
 * Messages the hospital sends to residents (WeChat subscription messages / Alipay template
 * messages in production, an inbox everywhere). The mini-program asks for consent per template
 * (`Taro.requestSubscribeMessage`) before the booking that will trigger it.
 */
import * as z from 'zod';

export const NotificationTemplate = z.enum(['booking_confirmed', 'visit_reminder', 'session_stopped', 'hold_expired', 'report_ready', 'reading_alert', 'contract_decided', 'contract_renewal', 'home_visit_update', 'dose_reminder', 'medication_alert', 'supervisor_invited', 'missed_visit']);
export type NotificationTemplate = z.infer<typeof NotificationTemplate>;

/** The fields every appointment message carries; all are short display strings. */
export interface AppointmentMessageData {
  /** Absent for messages about something else (a report): then `ref` and `page` say what. */
  appointmentId?: string;
  /** `report:<id>`: what the message is about when it is not an appointment. */
  ref?: string;
  /** The mini-program page the platform message opens, when not the appointment's. */
  page?: string;
  patientName: string;
  orgName: string;
  deptName: string;
  doctorName: string;
  /** `2025-06-01 上午 08:00-12:00` */
  time: string;
  note?: string;
}

export const NOTIFICATION_TITLES: Record<NotificationTemplate, string> = {
  booking_confirmed: '预约成功通知',
  visit_reminder: '就诊提醒',
  session_stopped: '停诊通知',
  hold_expired: '预约失效通知',
  report_ready: '检查检验报告提醒',
  reading_alert: '健康监测异常提醒',
  contract_decided: '家庭医生签约结果通知',
  contract_renewal: '家庭医生签约续约提醒',
  home_visit_update: '上门服务安排通知',
  dose_reminder: '服药提醒',
  medication_alert: '督导服药预警',
  supervisor_invited: '服药督导邀请',
  missed_visit: '爽约提醒',
};

const DEFAULT_NOTES: Record<NotificationTemplate, string> = {
  booking_confirmed: '请于就诊当日提前到达并签到候诊',
  visit_reminder: '您明天有预约，请按时就诊，如不能前往请提前取消',
  session_stopped: '医生临时停诊，您的预约已取消，已支付费用将原路退回',
  hold_expired: '未在规定时间内完成支付，号源已释放',
  report_ready: '报告已出，请在“报告查询”中查看',
  reading_alert: '测量结果异常，请关注身体状况，必要时及时就医',
  contract_decided: '请在“家庭医生”中查看签约详情',
  contract_renewal: '签约即将到期，可在“家庭医生”中续约',
  home_visit_update: '请在“家庭医生”中查看上门服务安排',
  dose_reminder: '请按时服药，并由督导人确认',
  medication_alert: '请在“服药督导”中查看并处理',
  supervisor_invited: '请在“服药督导”中确认是否担任督导人',
  missed_visit: '您未按时就诊，本次预约已记为爽约；不能前往时请提前取消',
};

/** The text a resident reads, the same in the inbox and (field by field) in the platform message. */
export function renderNotification(template: NotificationTemplate, d: AppointmentMessageData): { title: string; body: string } {
  const note = d.note ?? DEFAULT_NOTES[template];
  return {
    title: NOTIFICATION_TITLES[template],
    body: `${d.patientName}，${[d.orgName, d.deptName, d.doctorName].filter(Boolean).join(' ')}，${d.time}。${note}`,
  };
}
