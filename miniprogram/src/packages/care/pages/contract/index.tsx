import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AGREEMENT_TITLE, AGREEMENT_VERSION, HOME_VISIT_STATUS_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { dateText, instantText } from '../../../../care/format';
import { useCareLive } from '../../../../care/live';
import { Badge, Line } from '../../../../care/widgets';
import '../../../../care/care.css';
import { navigate, useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { ContractCard } from '../../components/ContractCard';

/** One contract: the card with the team's contacts, messages, home visits, renewal and cancellation. */
export default function Contract() {
  const { id = '' } = useRouteParams('careContract');
  const contract = useApi(api.care.get, { params: { contractId: id } }, { refreshOnShow: true });
  const visits = useApi(api.care.homeVisits, { params: { contractId: id } }, { refreshOnShow: true });
  const threads = useApi(api.messages.myThreads, undefined, { refreshOnShow: true });
  const cancel = useAction(api.care.cancel);
  const renew = useAction(api.care.renew);
  useCareLive(() => {
    contract.retry();
    threads.retry();
  }, ['care.contract', 'care.message']);
  const unread = threads.data?.items.find((t) => t.contractId === id)?.unread ?? 0;

  const onCancel = async (pending: boolean) => {
    const ok = await Taro.showModal({
      title: pending ? '撤回签约申请' : '解除签约',
      content: pending ? '确定撤回这份签约申请吗？' : '解约后团队将不能再查看您的健康档案，确定解约吗？',
      confirmText: pending ? '撤回' : '解约',
      cancelText: '再想想',
    });
    if (!ok.confirm) return;
    if (await cancel.run({ params: { contractId: id }, body: {} })) contract.retry();
  };

  const onRenew = async () => {
    const ok = await Taro.showModal({ title: '续约一年', content: `续约即表示您再次同意《${AGREEMENT_TITLE}》（版本 ${AGREEMENT_VERSION}）。`, confirmText: '同意并续约', cancelText: '取消' });
    if (!ok.confirm) return;
    if (await renew.run({ params: { contractId: id }, body: { agreementVersion: AGREEMENT_VERSION, accepted: true } })) contract.retry();
  };

  return (
    <View className='page care-contract' id='care-contract-page'>
      <AsyncView state={contract}>
        {(c) => (
          <View>
            <ContractCard c={c} unread={unread} full />
            {c.status === 'active' ? (
              <Btn id='contract-home-visit' onTap={() => navigate('careHomeVisit', { contractId: c.id })}>
                申请上门服务
              </Btn>
            ) : null}
            {c.canRenew ? (
              <Btn kind='primary' id='contract-renew' busy={renew.loading} onTap={onRenew}>
                续约一年
              </Btn>
            ) : null}
            {renew.error ? <Text className='error-text'>{describeError(renew.error)}</Text> : null}

            {c.status === 'active' ? (
              <View>
                <Text className='subtitle'>上门服务申请</Text>
                <AsyncView state={visits} isEmpty={(d) => d.items.length === 0} emptyText='还没有上门服务申请'>
                  {(d) => (
                    <View>
                      {d.items.map((v) => (
                        <View className='care-card' key={v.id} id={`visit-${v.id}`}>
                          <View className='care-card__head'>
                            <Text>
                              {dateText(v.preferredDate)} {v.slot === 'am' ? '上午' : '下午'}
                            </Text>
                            <Badge tone={v.status === 'scheduled' ? 'ok' : v.status === 'requested' ? 'wait' : 'off'}>{HOME_VISIT_STATUS_LABEL[v.status]}</Badge>
                          </View>
                          <Line>{v.reason}</Line>
                          {v.scheduledAt ? <Line>上门时间：{instantText(v.scheduledAt)}</Line> : null}
                          {v.note ? <Line>团队说明：{v.note}</Line> : null}
                        </View>
                      ))}
                    </View>
                  )}
                </AsyncView>
              </View>
            ) : null}

            <Text className='subtitle'>签约记录</Text>
            <Line>申请时间：{instantText(c.requestedAt)}</Line>
            <Line>
              同意协议：{instantText(c.consent.acceptedAt)}（版本 {c.consent.agreementVersion}）
            </Line>
            {c.decidedAt ? (
              <Line>
                团队审核：{instantText(c.decidedAt)} {c.decidedByName ?? ''}
              </Line>
            ) : null}
            {c.cancelledAt ? <Line>解约时间：{instantText(c.cancelledAt)}</Line> : null}

            {c.canCancel ? (
              <Btn kind='danger' id='contract-cancel' busy={cancel.loading} onTap={() => onCancel(c.status === 'pending')}>
                {c.status === 'pending' ? '撤回申请' : '解除签约'}
              </Btn>
            ) : null}
            {cancel.error ? <Text className='error-text'>{describeError(cancel.error)}</Text> : null}
            {c.endDate && c.status === 'active' ? <Text className='muted'>服务期至 {dateText(c.endDate)}，到期前30天可续约。</Text> : null}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
