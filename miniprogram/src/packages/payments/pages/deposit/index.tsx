import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import type { AdmissionView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { useRouteParams } from '../../../../navigation';
import { AdmissionCard } from '../../../../payments/AdmissionCard';
import { Ledger } from '../../../../payments/Ledger';
import { SettlementRefunds } from '../../../../payments/SettlementRefunds';
import { yuan } from '../../../../payments/format';
import { api } from '../../../../services/api';
import { useLive } from '../../../../services/live';
import { useSession } from '../../../../services/session';
import { useApi } from '../../../../services/useApi';
import { usePolling } from '../../../../services/usePolling';
import { ChannelPicker, PayProblem } from '../../components/PayControls';
import { usePay } from '../../components/usePay';
import { isMoving, pickAdmission } from '../../logic/admissions';
import { checkTopUp, yuanInput } from '../../../../payments/amount';
import '../../pay.css';

/**
 * 住院押金: the family's view of a relative's inpatient account — balance, top-up, every
 * deposit / charge / refund, and at discharge what came back (or what is still owed).
 */
export default function InpatientDeposit() {
  const { admissionId } = useRouteParams('inpatientDeposit');
  const list = useApi(api.payments.myAdmissions, undefined, { refreshOnShow: true });
  const [chosen, setChosen] = useState(admissionId);

  return (
    <View className='page pay-page' id='deposit-page'>
      <AsyncView
        state={list}
        isEmpty={(d) => d.items.length === 0}
        emptyText='暂无住院记录'
        emptyAction={<Text className='muted'>家人办理住院登记后，住院记录会显示在这里。请确认住院的家人已添加为就诊人，且身份证号一致。</Text>}
      >
        {(d) => {
          const current = pickAdmission(d.items, chosen);
          if (!current) return null;
          return (
            <View>
              {d.items.length > 1 ? (
                <View className='who' ariaRole='tablist'>
                  {d.items.map((a) => {
                    const on = a.id === current.id;
                    return (
                      <View
                        key={a.id}
                        id={`admission-${a.id}`}
                        className={`who__item ${on ? 'who__item--on' : ''}`}
                        ariaRole='tab'
                        ariaLabel={`${a.patientName} ${a.ward}病区${a.bed}床${on ? '，已选择' : ''}`}
                        onClick={() => setChosen(a.id)}
                      >
                        <Text className='who__name'>{a.patientName}</Text>
                        <Text className='who__sub'>{on ? '已选择' : `${a.ward}-${a.bed}床 · ${a.statusLabel}`}</Text>
                      </View>
                    );
                  })}
                </View>
              ) : null}
              <Account key={current.id} admissionId={current.id} />
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}

function Account({ admissionId }: { admissionId: string }) {
  const adm = useApi(api.payments.admission, { params: { admissionId } }, { refreshOnShow: true });
  const session = useSession();
  // A credited top-up, a posted charge or the cashier's settlement arrive as pushes; polling covers a dropped socket.
  const live = useLive(session?.accessToken, (m) => {
    if (m.type.startsWith('admission.') || m.type.startsWith('payment.')) adm.retry();
  });
  usePolling(adm.retry, live ? 60_000 : 15_000, !!adm.data && isMoving(adm.data));

  return (
    <AsyncView state={adm} loadingText='正在读取住院账户…'>
      {(a) => (
        <View>
          <AdmissionCard admission={a} />
          {a.status === 'active' ? (
            a.deposit.open ? <TopUp admission={a} /> : <Text className='hint'>该住院账户暂不能在线预交，请到住院处收费窗口缴纳。</Text>
          ) : null}
          {a.status === 'awaiting_payment' ? <Shortfall admission={a} /> : null}
          {a.status === 'settling' ? (
            <Text className='hint' id='settling-hint'>
              正在办理出院结算，暂停预交押金。结算完成后，剩余押金将按原支付方式退回。
            </Text>
          ) : null}
          {a.settlement && a.status !== 'active' ? (
            <SettlementRefunds refunds={a.settlement.refunds} shortfall={a.shortfall} settledAt={a.settlement.settledAt} />
          ) : null}
          <Text className='subtitle'>押金与费用明细</Text>
          <Ledger entries={a.ledger ?? []} />
        </View>
      )}
    </AsyncView>
  );
}

/** 预交押金: preset amounts, or one typed in yuan and checked against the admission's limits. */
function TopUp({ admission: a }: { admission: AdmissionView }) {
  const pay = usePay();
  const { min, max, presets } = a.deposit;
  const [text, setText] = useState(() => (presets.length ? yuanInput(presets[0]) : ''));
  const [shown, setShown] = useState(false);
  const check = checkTopUp(text, { min, max });
  const set = (v: string) => {
    setText(v);
    setShown(false);
    pay.clear();
  };
  const submit = () => {
    setShown(true);
    if (check.ok) void pay.start({ purpose: 'deposit', refId: a.id, amount: check.fen });
  };

  return (
    <View className='card' id='top-up'>
      <Text className='card-title'>预交押金</Text>
      <View className='presets' ariaRole='radiogroup' ariaLabel='常用金额'>
        {presets.map((p) => {
          const on = check.ok && check.fen === p;
          return (
            <View
              key={p}
              id={`preset-${p}`}
              className={`preset ${on ? 'preset--on' : ''}`}
              ariaRole='radio'
              ariaLabel={`${yuan(p)}${on ? '，已选择' : ''}`}
              onClick={() => set(yuanInput(p))}
            >
              <Text>{yuan(p)}</Text>
            </View>
          );
        })}
      </View>
      <Text className='field-label'>其他金额（元）</Text>
      <Input
        id='custom-amount'
        className={`amount-input ${shown && !check.ok ? 'amount-input--error' : ''}`}
        type='digit'
        value={text}
        maxlength={12}
        placeholder='请输入金额'
        onInput={(e) => set(e.detail.value)}
        onBlur={() => setShown(true)}
      />
      {shown && !check.ok ? (
        <Text className='error-text' id='amount-error'>
          {check.message}
        </Text>
      ) : null}
      <Text className='limits'>
        单次预交 {yuan(min)} 至 {yuan(max)}
      </Text>
      <ChannelPicker pay={pay} />
      <Btn kind='primary' id='deposit-pay' busy={pay.busy} onTap={submit}>
        {check.ok ? `预交 ${yuan(check.fen)}` : '预交押金'}
      </Btn>
      <PayProblem pay={pay} />
    </View>
  );
}

/** 待补缴: the settlement found more charges than deposits; the hospital computes the amount. */
function Shortfall({ admission: a }: { admission: AdmissionView }) {
  const pay = usePay();
  const due = a.shortfall ?? Math.max(0, -a.balance);
  return (
    <View className='card' id='shortfall'>
      <Text className='card-title'>出院结算需补缴</Text>
      <Text className='big-amount' id='shortfall-amount'>
        {yuan(due)}
      </Text>
      <Text className='muted'>住院费用超出已交押金，补缴后即可结清出院。</Text>
      <ChannelPicker pay={pay} />
      <Btn kind='primary' id='shortfall-pay' busy={pay.busy} onTap={() => void pay.start({ purpose: 'deposit', refId: a.id })}>
        补缴 {yuan(due)}
      </Btn>
      <PayProblem pay={pay} />
    </View>
  );
}
