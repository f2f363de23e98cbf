import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { RELATION_LABEL, type BillView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { PeopleView } from '../../../../components/PeopleView';
import { Btn } from '../../../../components/Btn';
import { useRouteParams } from '../../../../navigation';
import { dayOf, yuan } from '../../../../payments/format';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { ChannelPicker, PayProblem } from '../../components/PayControls';
import { usePay } from '../../components/usePay';
import { keepSelectable, quantityText, selectAll, selectionTotal, toggle } from '../../logic/bills';
import '../../pay.css';

/** 门诊缴费: a person's unpaid outpatient bills with their lines; tick one or several and pay. */
export default function OutpatientPayment() {
  const { patientId } = useRouteParams('outpatientPayment');
  const people = useApi(api.patients.list, undefined, { refreshOnShow: true });
  const [chosen, setChosen] = useState(patientId);

  return (
    <View className='page pay-page' id='outpatient-page'>
      <PeopleView state={people} addId='add-patient'>
        {(d) => {
          const current = d.items.find((p) => p.id === chosen) ?? d.items[0];
          return (
            <View>
              <Text className='field-label'>就诊人</Text>
              <View className='who' ariaRole='tablist'>
                {d.items.map((p) => {
                  const on = p.id === current.id;
                  return (
                    <View
                      key={p.id}
                      id={`person-${p.id}`}
                      className={`who__item ${on ? 'who__item--on' : ''}`}
                      ariaRole='tab'
                      ariaLabel={`${p.name}${on ? '，已选择' : ''}`}
                      onClick={() => setChosen(p.id)}
                    >
                      <Text className='who__name'>{p.name}</Text>
                      <Text className='who__sub'>{on ? '已选择' : RELATION_LABEL[p.relation]}</Text>
                    </View>
                  );
                })}
              </View>
              <Bills key={current.id} patientId={current.id} />
            </View>
          );
        }}
      </PeopleView>
    </View>
  );
}

function Bills({ patientId }: { patientId: string }) {
  const [tab, setTab] = useState<'unpaid' | 'paid'>('unpaid');
  const bills = useApi(api.payments.myBills, { query: { patientId, status: tab } }, { refreshOnShow: true });
  // null: nothing touched yet, so every unpaid bill is ticked.
  const [ticked, setTicked] = useState<string[] | null>(null);
  const pay = usePay();
  const items = bills.data?.items ?? [];
  const selected = ticked === null ? selectAll(items) : keepSelectable(ticked, items);
  const { count, total } = selectionTotal(selected, items);
  const unpaid = tab === 'unpaid';

  return (
    <View>
      <View className='seg' ariaRole='tablist'>
        {(['unpaid', 'paid'] as const).map((t) => (
          <View
            key={t}
            id={`bills-tab-${t}`}
            className={`seg__item ${tab === t ? 'seg__item--on' : ''}`}
            ariaRole='tab'
            ariaLabel={`${t === 'unpaid' ? '待缴费' : '已缴费'}${tab === t ? '，已选择' : ''}`}
            onClick={() => setTab(t)}
          >
            <Text>{t === 'unpaid' ? '待缴费' : '已缴费'}</Text>
          </View>
        ))}
      </View>
      <AsyncView
        state={bills}
        isEmpty={(d) => d.items.length === 0}
        emptyText={unpaid ? '没有待缴费用' : '暂无已缴费记录'}
        emptyAction={unpaid ? <Text className='muted'>医生开具检查、药品等费用后，账单会显示在这里。</Text> : undefined}
        loadingText='正在读取账单…'
      >
        {(d) => (
          <View id='bills'>
            {d.items.map((b) => (
              <BillCard
                key={b.id}
                bill={b}
                selectable={unpaid && b.status === 'unpaid'}
                on={selected.includes(b.id)}
                onToggle={() => {
                  setTicked(toggle(selected, b.id));
                  pay.clear();
                }}
              />
            ))}
          </View>
        )}
      </AsyncView>
      {unpaid && items.length > 0 ? <ChannelPicker pay={pay} /> : null}
      {unpaid && items.length > 0 ? (
        <View className='pay-bar' id='bills-pay-bar'>
          <View className='pay-bar__total'>
            <Text>已选 {count} 张，合计</Text>
            <Text className='pay-bar__sum' id='bills-total'>
              {yuan(total)}
            </Text>
          </View>
          <Btn
            kind='primary'
            id='bills-pay'
            busy={pay.busy}
            disabled={count === 0}
            onTap={() => void pay.start({ purpose: 'bill', refIds: selected })}
          >
            {count === 0 ? '请选择要缴纳的账单' : `立即缴费 ${yuan(total)}`}
          </Btn>
          <PayProblem pay={pay} />
        </View>
      ) : null}
    </View>
  );
}

function BillCard({ bill: b, selectable, on, onToggle }: { bill: BillView; selectable: boolean; on: boolean; onToggle: () => void }) {
  return (
    <View className={`card bill ${on && selectable ? 'bill--on' : ''}`} id={`bill-${b.id}`}>
      <View
        className='bill__head'
        ariaRole={selectable ? 'checkbox' : undefined}
        ariaLabel={selectable ? `${b.deptName} ${yuan(b.total)}${on ? '，已选择' : '，未选择'}` : undefined}
        onClick={selectable ? onToggle : undefined}
      >
        {selectable ? (
          <View className='bill__check'>{on ? <View className='bill__tick' /> : null}</View>
        ) : null}
        <View className='bill__title'>
          <Text className='bill__dept'>
            {b.deptName}
            {b.doctorName ? ` · ${b.doctorName}` : ''}
          </Text>
          <Text className='bill__meta'>
            开单日期 {dayOf(b.issuedAt)}
            {b.status === 'paid' && b.paidAt ? ` · 已缴费 ${dayOf(b.paidAt)}` : ''}
            {b.status === 'cancelled' ? ' · 已作废' : ''}
          </Text>
          {selectable ? <Text className='bill__meta'>{on ? '已选择' : '点此选择'}</Text> : null}
        </View>
        <Text className='bill__total'>{yuan(b.total)}</Text>
      </View>
      {b.items.map((l, i) => (
        <View className='bill-line' key={`${l.code ?? ''}-${i}`}>
          <View>
            <Text className='bill-line__name'>{l.name}</Text>
            <Text className='bill-line__meta'>
              {[l.category, l.spec].filter(Boolean).join(' · ')}
              {l.category || l.spec ? ' · ' : ''}
              {quantityText(l)} × {yuan(l.unitPrice)}
            </Text>
          </View>
          <Text className='bill-line__amount'>{yuan(l.amount)}</Text>
        </View>
      ))}
    </View>
  );
}
