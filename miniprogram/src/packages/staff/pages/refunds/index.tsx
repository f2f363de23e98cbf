/**
 * 退款异常 (cashier / admin): refunds WeChat Pay or Alipay refused, oldest first. The money is
 * still with the hospital (back on the order, or on the inpatient account for a deposit). The
 * cashier finds out why (the payer's card closed, the merchant balance short…) and sends the
 * refund again, once: it then leaves this list; if the provider refuses it again it comes back.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PAYMENT_CHANNEL_LABEL, PAYMENT_PURPOSE_LABEL, REFUND_KIND_LABEL, type FailedRefundView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { whenText, yuan } from '../../../../payments/format';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import '../../../../payments/payments.css';
import '../../staff.css';

/** A DOM-safe id for a refund number (letters, digits and `-` already; kept explicit). */
const rowId = (refundNo: string) => `refund-${refundNo.replace(/[^\w-]/g, '')}`;

function FailedRow({ item, onReissued }: { item: FailedRefundView; onReissued: (item: FailedRefundView, status: string) => void }) {
  const reissue = useAction(api.payments.reissueRefund);
  const confirmAndSend = async () => {
    const { confirm } = await Taro.showModal({
      title: '重新退款',
      content: `将按原支付方式（${PAYMENT_CHANNEL_LABEL[item.channel]}）重新退款 ${yuan(item.amount)}${item.patientName ? `给${item.patientName}` : ''}。请确认已核实失败原因，每笔失败的退款只能重新发起一次。`,
      confirmText: '重新退款',
      cancelText: '取消',
    });
    if (!confirm) return;
    const out = await reissue.run({ params: { refundNo: item.refundNo }, body: {} });
    if (out) onReissued(item, out.status);
  };
  const id = rowId(item.refundNo);
  return (
    <View id={id} className='card failed-refund'>
      <View className='adm-card__head'>
        <Text className='staff-menu__title'>
          {yuan(item.amount)} · {PAYMENT_CHANNEL_LABEL[item.channel]}
        </Text>
        <Text className='pay-tag refund--failed'>退款失败</Text>
      </View>
      {item.patientName ? <Text className='muted'>患者 {item.patientName}</Text> : null}
      <Text className='muted'>
        {PAYMENT_PURPOSE_LABEL[item.purpose]} · {REFUND_KIND_LABEL[item.kind]}
        {item.admissionId ? ' · 住院押金（重新退款将从住院账户余额扣回）' : ''}
      </Text>
      <Text className='muted'>订单号 {item.orderNo}</Text>
      <Text className='muted'>退款单号 {item.refundNo}</Text>
      <Text className='muted'>原因 {item.reason}</Text>
      <Text className='muted'>
        申请于 {whenText(item.createdAt)} · 失败于 {whenText(item.failedAt)}
      </Text>
      <Btn id={`${id}-reissue`} kind='primary' className='refund-reissue' busy={reissue.loading} onTap={() => void confirmAndSend()}>
        重新退款
      </Btn>
      {reissue.error ? (
        <View id={`${id}-error`} className='error-text refund-reissue-error' ariaRole='alert'>
          <Text>{describeError(reissue.error)}</Text>
        </View>
      ) : null}
    </View>
  );
}

export default function StaffRefunds() {
  const list = useApi(api.payments.failedRefunds, undefined, { refreshOnShow: true });
  /** Re-issued on this screen: hidden at once, without waiting for a reload. */
  const [done, setDone] = useState<string[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const open = (items: FailedRefundView[]) => items.filter((r) => !done.includes(r.refundNo));
  const onReissued = (item: FailedRefundView, status: string) => {
    setDone((d) => [...d, item.refundNo]);
    setNote(
      status === 'failed'
        ? `${yuan(item.amount)} 的重新退款又被支付渠道拒绝，已重新列入本页，请进一步核实`
        : status === 'succeeded'
          ? `${yuan(item.amount)} 已重新退款成功`
          : `${yuan(item.amount)} 已重新发起退款，支付渠道处理中`,
    );
    if (status === 'failed') list.retry();
  };
  return (
    <View className='page staff-refunds' id='refunds-page'>
      <Text className='muted'>第三方支付（微信支付、支付宝）拒绝或处理失败的退款，最早的在前。款项仍在医院账上，核实原因后可重新退款。</Text>
      {note ? (
        <View id='refund-note' className='pay-note' ariaRole='alert'>
          <Text>{note}</Text>
        </View>
      ) : null}
      <AsyncView state={list} isEmpty={(d) => open(d.items).length === 0} emptyText='没有失败的退款' loadingText='正在读取失败的退款…'>
        {(d) => (
          <View id='refund-list'>
            {open(d.items).map((r) => (
              <FailedRow key={r.refundNo} item={r} onReissued={onReissued} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
