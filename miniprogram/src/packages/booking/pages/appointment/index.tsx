import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { AppointmentView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { PrivacyPopup } from '../../../../components/PrivacyPopup';
import { hospitalDate, monthDay } from '../../../../booking/calendar';
import { STATUS_TONE, statusLabel } from '../../../../booking/text';
import { resolveOurLaunch } from '../../../../launch-handler';
import { useRouteParams } from '../../../../navigation';
import { platform } from '../../../../platform';
import { api } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { useNow, usePolling } from '../../../../services/usePolling';
import { AppointmentSummary } from '../../components/AppointmentSummary';
import { HoldCountdown } from '../../components/HoldCountdown';
import { QueueCard } from '../../components/QueueCard';
import { Refusal } from '../../components/Refusal';
import '../../booking.css';

/** How often the queue is read while the person waits: "within a few seconds". */
const QUEUE_POLL_MS = 3000;

const STATUS_TEXT: Partial<Record<AppointmentView['status'], string>> = {
  completed: '本次就诊已完成，祝您早日康复。',
  cancelled: '预约已取消，号源已释放。',
  expired: '没有在规定时间内完成支付，号源已经释放。',
  no_show: '没有在就诊时段内到院签到，本次预约已记为爽约。如仍需就诊，请重新预约。',
};

/** 预约详情: status, check-in (签到) on the day, the live queue (候诊) and cancelling (退号). */
export default function AppointmentDetail() {
  const { appointmentId = '', qr } = useRouteParams('appointmentDetail');
  const res = useApi(api.booking.get, { params: { appointmentId } }, { refreshOnShow: true });
  const checkIn = useAction(api.booking.checkIn);
  const cancel = useAction(api.booking.cancel);
  const now = useNow(60_000);
  const a = res.data;
  const today = hospitalDate(now);
  // The queue matters on the day: before check-in it shows the number being called, after it mine.
  const live = !!a && (a.status === 'checked_in' || (a.status === 'confirmed' && a.schedule.date === today));
  const queue = useApi(api.queue.status, { params: { scheduleId: a?.schedule.id ?? '' } }, { enabled: live });
  usePolling(
    () => {
      queue.retry();
      // Called and seen: the appointment itself turns 已就诊 when the next patient is called.
      if (a?.status === 'checked_in') res.retry();
    },
    QUEUE_POLL_MS,
    live,
  );

  const doCheckIn = async (code?: string) => {
    const done = await checkIn.run({ params: { appointmentId }, body: code ? { qr: code } : {} });
    if (done) {
      Taro.showToast({ title: `签到成功，${done.queueNumber ?? ''}号`, icon: 'none', duration: 2000 });
      res.retry();
      queue.retry();
    }
  };

  const scanToCheckIn = async () => {
    try {
      const text = await platform.scan();
      if (text === null) return;
      const target = resolveOurLaunch({ scan: text });
      if (!target) {
        await Taro.showModal({ title: '无法识别', content: '请扫描就诊科室张贴的签到二维码。', showCancel: false, confirmText: '知道了' });
        return;
      }
      await doCheckIn(target.code);
    } catch (e) {
      await Taro.showToast({ title: (e as Error).message || '扫码失败', icon: 'none', duration: 2500 });
    }
  };

  const doCancel = async (x: AppointmentView) => {
    const { confirm } = await Taro.showModal({
      title: '取消预约',
      content: `确定取消 ${x.patient.name} ${monthDay(x.schedule.date)} ${x.doctor.name} 的预约吗？${x.paidAt ? '已支付的挂号费将原路退回。' : ''}`,
      confirmText: '确定取消',
      cancelText: '再想想',
      confirmColor: '#b71c1c',
    });
    if (!confirm) return;
    const done = await cancel.run({ params: { appointmentId } });
    if (done) {
      Taro.showToast({ title: '已取消预约', icon: 'none' });
      res.retry();
    }
  };

  const actionError = checkIn.error ?? cancel.error;

  return (
    <View className='page booking appointment'>
      {/* WeChat's privacy agreement for scanning the check-in code (only when WeChat asks). */}
      <PrivacyPopup />
      <AsyncView state={res}>
        {(x) => (
          <View>
            {x.status === 'pending_payment' ? (
              <HoldCountdown appointment={x} onExpired={res.retry} />
            ) : (
              <View className={`banner banner--${STATUS_TONE[x.status]}`}>
                <Text className='banner__title' id='appointment-status'>
                  {statusLabel(x.status)}
                </Text>
                {x.status === 'confirmed' ? (
                  <Text className='banner__text'>
                    {Date.now() >= Date.parse(x.schedule.endsAt)
                      ? '本时段已结束，您没有签到就诊。如仍需就诊，请重新预约。'
                      : x.schedule.date === today
                        ? '请到达后签到，签到后按排队号就诊。'
                        : `请于 ${monthDay(x.schedule.date)} 就诊当天到院签到。`}
                  </Text>
                ) : null}
                {x.status === 'stopped' ? (
                  <Text className='banner__text'>
                    {x.stoppedReason ? `停诊原因：${x.stoppedReason}。` : ''}预约已取消{x.paidAt ? '，挂号费将原路退回' : ''}。
                  </Text>
                ) : null}
                {STATUS_TEXT[x.status] ? <Text className='banner__text'>{STATUS_TEXT[x.status]}</Text> : null}
              </View>
            )}

            {actionError ? <Refusal error={actionError} onRetry={() => void (checkIn.error ? checkIn.retry() : cancel.retry())} onRefresh={res.retry} /> : null}

            {x.canCheckIn ? (
              <View className='card check-in'>
                <Text className='subtitle'>到院签到</Text>
                <Text className='muted'>{qr ? '已扫描科室签到码，请点击下方按钮完成签到。' : '到达诊区后点击签到，领取排队号。'}</Text>
                <Btn kind='primary' id='check-in' busy={checkIn.loading} onTap={() => void doCheckIn(qr)}>
                  签到
                </Btn>
                {platform.canScan && !qr ? (
                  <Btn id='scan-check-in' onTap={scanToCheckIn}>
                    扫科室二维码签到
                  </Btn>
                ) : null}
              </View>
            ) : null}

            {live && queue.data ? <QueueCard queue={queue.data} own={{ id: x.id, queueNumber: x.queueNumber }} /> : null}
            {live && !queue.data && queue.error ? <Refusal error={queue.error} id='queue-error' onRetry={queue.retry} /> : null}

            <AppointmentSummary appointment={x} />

            {x.canCancel ? (
              <Btn kind='danger' id='cancel-appointment' busy={cancel.loading} onTap={() => void doCancel(x)}>
                取消预约
              </Btn>
            ) : null}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
