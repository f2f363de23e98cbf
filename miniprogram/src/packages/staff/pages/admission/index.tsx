import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { sumFen, type AdmissionView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { useRouteParams } from '../../../../navigation';
import { AdmissionCard } from '../../../../payments/AdmissionCard';
import { Ledger } from '../../../../payments/Ledger';
import { SettlementRefunds } from '../../../../payments/SettlementRefunds';
import { parseYuan, settlementPreview, yuanInput } from '../../../../payments/amount';
import { checkReversal, reversibleCharges, type Reversible } from '../../../../payments/corrections';
import { yuan } from '../../../../payments/format';
import { api } from '../../../../services/api';
import { describeError, uuid } from '../../../../services/client';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import '../../../../payments/payments.css';
import '../../staff.css';

interface FinalCharge {
  chargeId: string;
  description: string;
  amount: number;
}

/**
 * One admission's account for the cashier / ward nurse, and 出院结账: optional last charges,
 * a confirmation that says what will happen (refund newest deposit first, or the shortfall),
 * then the settlement. A repeated tap or retry is the same settlement (Idempotency-Key, and
 * each last charge carries its own id so it is never posted twice).
 */
export default function StaffAdmission() {
  const { admissionId = '' } = useRouteParams('staffAdmission');
  const adm = useApi(api.payments.admission, { params: { admissionId } }, { refreshOnShow: true });
  const settle = useAction(api.payments.settle);
  const session = useSession();
  const canSettle = !!session?.user.roles.some((r) => r === 'cashier' || r === 'nurse');
  const [charges, setCharges] = useState<FinalCharge[]>([]);
  const [confirming, setConfirming] = useState(false);

  const run = async () => {
    const out = await settle.run({
      params: { admissionId },
      body: { charges: charges.map((c) => ({ chargeId: c.chargeId, description: c.description, amount: c.amount })) },
    });
    if (out) {
      setConfirming(false);
      setCharges([]);
      adm.retry();
    }
  };

  return (
    <View className='page' id='staff-admission'>
      <AsyncView state={adm} loadingText='正在读取住院账户…'>
        {(a) => (
          <View>
            <AdmissionCard admission={a} />
            {settle.data ? (
              <View className={`pay-note settle-outcome--${settle.data.outcome}`} id='settle-outcome' ariaRole='alert'>
                <Text>{settle.data.message}</Text>
              </View>
            ) : null}
            {a.settlement && a.status !== 'active' ? (
              <SettlementRefunds refunds={a.settlement.refunds} shortfall={a.shortfall} settledAt={a.settlement.settledAt} />
            ) : null}
            {canSettle && a.status !== 'settled' ? (
              confirming ? (
                <Confirm admission={a} charges={charges} busy={settle.loading} onConfirm={() => void run()} onCancel={() => setConfirming(false)} />
              ) : (
                <View className='card' id='settle-panel'>
                  <Text className='subtitle'>出院结账</Text>
                  <FinalCharges charges={charges} onChange={setCharges} />
                  <Btn kind='primary' id='settle-start' onTap={() => setConfirming(true)}>
                    {a.status === 'active' ? '办理出院结账' : '继续结算'}
                  </Btn>
                </View>
              )
            ) : null}
            {settle.error ? (
              <View className='async-banner async-error' id='settle-error' ariaRole='alert'>
                <Text>{describeError(settle.error)}</Text>
                {settle.error.kind !== 'http' || settle.error.status >= 500 ? (
                  <View className='async-banner__retry async-retry' ariaRole='button' onClick={() => void settle.retry()}>
                    <Text>重试</Text>
                  </View>
                ) : null}
              </View>
            ) : null}
            {canSettle && a.status !== 'settled' && !confirming ? <Corrections admission={a} onDone={adm.retry} /> : null}
            <Text className='subtitle'>押金与费用明细</Text>
            <Ledger entries={a.ledger ?? []} />
          </View>
        )}
      </AsyncView>
    </View>
  );
}

/**
 * 费用冲红: a wrong charge is corrected by a reversing entry that names it (part or all of it), never
 * by editing it. The correction's id is kept until it is posted, so a retry is the same correction.
 */
function Corrections({ admission: a, onDone }: { admission: AdmissionView; onDone: () => void }) {
  const post = useAction(api.payments.postCharges);
  const charges = reversibleCharges(a.ledger ?? []);
  const [picked, setPicked] = useState<Reversible | null>(null);
  const [amount, setAmount] = useState('');
  const [shown, setShown] = useState(false);
  const [correctionId, setCorrectionId] = useState(() => `rev-${uuid()}`);
  if (charges.length === 0) return null;
  const pick = (c: Reversible) => {
    setPicked(c);
    setAmount(yuanInput(c.left));
    setShown(false);
    setCorrectionId(`rev-${uuid()}`);
  };
  const check = picked ? checkReversal(amount, picked.left) : null;
  const submit = async () => {
    setShown(true);
    if (!picked || !check?.ok) return;
    const out = await post.run({
      params: { admissionId: a.id },
      body: { charges: [{ chargeId: correctionId, reverses: picked.chargeId, description: picked.description, amount: check.fen }] },
    });
    if (out) {
      setPicked(null);
      setAmount('');
      setShown(false);
      setCorrectionId(`rev-${uuid()}`);
      onDone();
    }
  };
  return (
    <View className='card' id='corrections'>
      <Text className='subtitle'>费用冲红</Text>
      <Text className='muted'>选择记错的费用，冲红全部或部分金额（退回押金余额）。</Text>
      <View ariaRole='radiogroup' ariaLabel='要冲红的费用'>
        {charges.map((c) => {
          const on = picked?.chargeId === c.chargeId;
          return (
            <View
              key={c.chargeId}
              className={`ledger-entry__row final-charge reverse-pick ${on ? 'reverse-pick--on' : ''}`}
              id={`reverse-${c.seq}`}
              ariaRole='radio'
              ariaLabel={`${c.description} ${yuan(c.left)}${on ? '，已选择' : ''}`}
              onClick={() => pick(c)}
            >
              <Text>
                {c.date ? `${c.date} ` : ''}
                {c.description}
              </Text>
              <Text className='ledger-entry__amount'>{c.left === c.charged ? yuan(c.charged) : `余 ${yuan(c.left)}`}</Text>
            </View>
          );
        })}
      </View>
      {picked ? (
        <View>
          <Text className='reverse-label'>冲红金额（元），最多 {yuan(picked.left)}</Text>
          <Input id='reverse-amount' className='pay-input' type='digit' value={amount} maxlength={12} onInput={(e) => setAmount(e.detail.value)} />
          {shown && check && !check.ok ? (
            <Text className='error-text' id='reverse-error'>
              {check.message}
            </Text>
          ) : null}
          {post.error ? (
            <Text className='error-text' id='reverse-failed'>
              {describeError(post.error)}
            </Text>
          ) : null}
          <Btn kind='danger' id='reverse-submit' busy={post.loading} onTap={() => void submit()}>
            确认冲红
          </Btn>
        </View>
      ) : null}
    </View>
  );
}

/** 出院前费用 not yet posted by the hospital system (optional). */
function FinalCharges({ charges, onChange }: { charges: FinalCharge[]; onChange: (c: FinalCharge[]) => void }) {
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const fen = parseYuan(amount);
    if (!description.trim()) return setError('请填写费用说明');
    if (description.trim().length > 60) return setError('费用说明不超过60字');
    if (fen === null || fen <= 0) return setError('请填写正确的金额（元，最多两位小数）');
    setError(null);
    onChange([...charges, { chargeId: `settle-${uuid()}`, description: description.trim(), amount: fen }]);
    setDescription('');
    setAmount('');
  };
  return (
    <View id='final-charges'>
      <Text className='muted'>如有医院系统尚未上传的出院前费用，请先添加；没有可直接结账。</Text>
      {charges.map((c) => (
        <View key={c.chargeId} className='ledger-entry__row final-charge'>
          <Text>{c.description}</Text>
          <View className='ledger-entry__row'>
            <Text className='ledger-entry__amount'>{yuan(c.amount)}</Text>
            <View className='link-btn' ariaRole='button' onClick={() => onChange(charges.filter((x) => x.chargeId !== c.chargeId))}>
              <Text>删除</Text>
            </View>
          </View>
        </View>
      ))}
      <Input id='charge-description' className='pay-input' value={description} maxlength={60} placeholder='费用说明，如：出院带药' onInput={(e) => setDescription(e.detail.value)} />
      <Input id='charge-amount' className='pay-input' type='digit' value={amount} maxlength={12} placeholder='金额（元）' onInput={(e) => setAmount(e.detail.value)} />
      {error ? (
        <Text className='error-text' id='charge-error'>
          {error}
        </Text>
      ) : null}
      <Btn id='charge-add' onTap={add}>
        添加费用
      </Btn>
    </View>
  );
}

function Confirm({ admission: a, charges, busy, onConfirm, onCancel }: { admission: AdmissionView; charges: FinalCharge[]; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const extra = sumFen(charges.map((c) => c.amount));
  const p = settlementPreview(a.balance, extra);
  return (
    <View className='card settle-confirm' id='settle-confirm' ariaRole='alertdialog'>
      <Text className='subtitle'>确认出院结账</Text>
      <Text className='settlement__line'>
        {a.patientName}（{a.ward}-{a.bed}床，住院号 {a.hisAdmissionNo}）
      </Text>
      <Text className='settlement__line'>当前余额 {yuan(a.balance)}</Text>
      {extra > 0 ? <Text className='settlement__line'>出院前费用 {yuan(extra)}</Text> : null}
      <Text className='settlement__line settle-confirm__result' id='settle-preview'>
        {p.refund > 0
          ? `结账后退回押金 ${yuan(p.refund)}，按原支付方式退回（最近一笔预交优先）`
          : p.shortfall > 0
            ? `押金不足，结账后需家属补缴 ${yuan(p.shortfall)}`
            : '押金与费用正好结清，无需退款'}
      </Text>
      <Text className='muted'>结账后不能再预交押金。以医院系统最终费用为准。</Text>
      <Btn kind='danger' id='settle-confirm-btn' busy={busy} onTap={onConfirm}>
        确认结账
      </Btn>
      <Btn id='settle-cancel' onTap={onCancel}>
        取消
      </Btn>
    </View>
  );
}
