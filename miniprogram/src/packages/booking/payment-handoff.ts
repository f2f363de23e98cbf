/**
 * EXTENSION POINT (payments): paying a held appointment (`pending_payment`). The payments
 * feature replaces the body with its checkout (create the order for purpose 'appointment' and
 * this appointment id, then requestPayment / tradePay / the H5 cashier). Until those pages
 * exist it says so plainly, and how long the place is kept.
 */
import Taro from '@tarojs/taro';
import type { AppointmentView } from '@hospital/shared';
import { clock } from '../../booking/calendar';
import { feeText } from '../../booking/text';

export async function startAppointmentPayment(a: AppointmentView): Promise<void> {
  await Taro.showModal({
    title: '在线支付即将上线',
    content: `暂时还不能在手机上支付挂号费 ${feeText(a.fee)}。号源为您保留到 ${clock(a.holdExpiresAt ?? '')}，逾期自动释放。如需就诊，可选择免费时段，或到医院挂号窗口办理。`,
    showCancel: false,
    confirmText: '知道了',
  });
}
