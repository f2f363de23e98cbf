import { useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { DRUG_FREQUENCY_LABEL, DRUG_ROUTE_LABEL, FORMULARY, isFinishedVisit, TEST_CATALOGUE, type DrugFrequency, type DrugRoute } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import { doctorsLine, kindText, statusText, usage, visitTime, yuan } from '../../../../visits/text';
import { useEvery } from '../../../../visits/useEvery';
import { isHostOf } from '../../../../services/authority';
import { VisitRecord } from '../../../../visits/VisitRecord';
import '../../../../visits/visits.css';

function Chips<T extends string>({ items, value, onPick, prefix }: { items: { key: T; label: string }[]; value: T | undefined; onPick: (k: T) => void; prefix: string }) {
  return (
    <View className='visit-chips'>
      {items.map((i) => (
        <View key={i.key} id={`${prefix}-${i.key}`} className={`visit-chip ${value === i.key ? 'visit-chip--on' : ''}`} ariaRole='button' onClick={() => onPick(i.key)}>
          <Text>{i.label}</Text>
        </View>
      ))}
    </View>
  );
}

/** The patient's health summary: read through consent/audit (an active visit is the basis). */
function PatientSummary({ visitId }: { visitId: string }) {
  const s = useApi(api.visits.patientSummary, { params: { visitId } });
  return (
    <AsyncView state={s}>
      {(p) => (
        <View className='card' id='patient-summary'>
          <Text className='visit-title'>
            {p.name} {p.sex ?? ''} {p.age !== undefined ? `${p.age}岁` : ''}
          </Text>
          <Text className='visit-line'>血型：{p.bloodType}</Text>
          <Text className='visit-line'>过敏：{p.allergies.join('、') || '无记录'}</Text>
          <Text className='visit-line'>疾病：{p.conditions.join('、') || '无记录'}</Text>
          <Text className='visit-line'>用药：{p.medications.join('、') || '无记录'}</Text>
        </View>
      )}
    </AsyncView>
  );
}

function NoteForm({ visitId, onDone }: { visitId: string; onDone: () => void }) {
  const add = useAction(api.visits.addNote);
  const [n, setN] = useState({ complaint: '', diagnosis: '', advice: '' });
  const submit = async () => {
    const done = await add.run({ params: { visitId }, body: { complaint: n.complaint || undefined, diagnosis: n.diagnosis || undefined, advice: n.advice || undefined } });
    if (done) {
      setN({ complaint: '', diagnosis: '', advice: '' });
      onDone();
    }
  };
  return (
    <View className='card' id='note-form'>
      <Text className='visit-title'>书写病历 / 会诊意见</Text>
      <Text className='visit-form__label'>主诉</Text>
      <Input id='note-complaint' className='visit-input' value={n.complaint} onInput={(e) => setN({ ...n, complaint: e.detail.value })} />
      <Text className='visit-form__label'>诊断</Text>
      <Input id='note-diagnosis' className='visit-input' value={n.diagnosis} onInput={(e) => setN({ ...n, diagnosis: e.detail.value })} />
      <Text className='visit-form__label'>处理意见</Text>
      <Textarea id='note-advice' className='visit-textarea' value={n.advice} maxlength={2000} onInput={(e) => setN({ ...n, advice: e.detail.value })} />
      {add.error ? <Text className='visit-field-error'>{add.error.message}</Text> : null}
      <Btn kind='primary' id='note-submit' busy={add.loading} onTap={() => void submit()}>
        保存病历
      </Btn>
    </View>
  );
}

interface Line {
  drug: string;
  dose: string;
  route: DrugRoute;
  frequency: DrugFrequency;
  days: number;
  quantity: number;
}

function PrescriptionForm({ visitId, onDone }: { visitId: string; onDone: () => void }) {
  const prescribe = useAction(api.visits.prescribe);
  const [diagnosis, setDiagnosis] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [drug, setDrug] = useState<string | undefined>();
  const [dose, setDose] = useState('1片');
  const [route, setRoute] = useState<DrugRoute>('oral');
  const [frequency, setFrequency] = useState<DrugFrequency>('qd');
  const [days, setDays] = useState('7');
  const [quantity, setQuantity] = useState('1');
  const picked = FORMULARY.find((d) => d.code === drug);
  const addLine = () => {
    if (!picked) return void Taro.showToast({ title: '请先选择药品', icon: 'none' });
    setLines([...lines.filter((l) => l.drug !== picked.code), { drug: picked.code, dose, route, frequency, days: Number(days) || 0, quantity: Number(quantity) || 0 }]);
    setDrug(undefined);
  };
  const submit = async () => {
    const done = await prescribe.run({ params: { visitId }, body: { diagnosis, items: lines } });
    if (done) {
      setLines([]);
      setDiagnosis('');
      onDone();
    }
  };
  return (
    <View className='card' id='rx-form'>
      <Text className='visit-title'>开具电子处方</Text>
      <Text className='visit-form__label'>诊断</Text>
      <Input id='rx-diagnosis' className='visit-input' value={diagnosis} onInput={(e) => setDiagnosis(e.detail.value)} />
      {prescribe.error?.fieldError('diagnosis') ? <Text className='visit-field-error'>{prescribe.error.fieldError('diagnosis')}</Text> : null}
      <Text className='visit-form__label'>药品（互联网处方目录）</Text>
      <Chips
        prefix='rx-drug'
        items={FORMULARY.map((d) => ({ key: d.code, label: `${d.name} ${d.strength}` }))}
        value={drug}
        onPick={(k) => {
          setDrug(k);
          setRoute(FORMULARY.find((d) => d.code === k)!.routes[0]);
        }}
      />
      {picked ? (
        <View>
          <Text className='visit-form__label'>单次剂量</Text>
          <Input id='rx-dose' className='visit-input' value={dose} onInput={(e) => setDose(e.detail.value)} />
          <Text className='visit-form__label'>用法</Text>
          <Chips prefix='rx-route' items={picked.routes.map((r) => ({ key: r, label: DRUG_ROUTE_LABEL[r] }))} value={route} onPick={setRoute} />
          <Text className='visit-form__label'>频次</Text>
          <Chips prefix='rx-freq' items={(Object.keys(DRUG_FREQUENCY_LABEL) as DrugFrequency[]).map((f) => ({ key: f, label: DRUG_FREQUENCY_LABEL[f] }))} value={frequency} onPick={setFrequency} />
          <Text className='visit-form__label'>天数（不超过30天）</Text>
          <Input id='rx-days' className='visit-input' type='number' value={days} onInput={(e) => setDays(e.detail.value)} />
          <Text className='visit-form__label'>数量（{picked.unit}，{picked.pack}）</Text>
          <Input id='rx-quantity' className='visit-input' type='number' value={quantity} onInput={(e) => setQuantity(e.detail.value)} />
          <Btn id='rx-add' onTap={addLine}>
            加入处方
          </Btn>
        </View>
      ) : null}
      {lines.map((l, i) => {
        const d = FORMULARY.find((x) => x.code === l.drug)!;
        return (
          <View key={l.drug} className='visit-rx__item'>
            <Text className='visit-rx__drug'>
              {d.name} {d.strength} × {l.quantity}
              {d.unit} · {yuan(d.price * l.quantity)}
            </Text>
            <Text className='visit-line muted'>{usage(l)}</Text>
            {prescribe.error?.fieldError(`items.${i}.days`) ? <Text className='visit-field-error'>{prescribe.error.fieldError(`items.${i}.days`)}</Text> : null}
          </View>
        );
      })}
      {prescribe.error && !prescribe.error.fieldError('diagnosis') ? <Text className='visit-field-error'>{prescribe.error.message}</Text> : null}
      <Btn kind='primary' id='rx-submit' disabled={lines.length === 0} busy={prescribe.loading} onTap={() => void submit()}>
        提交药师审核
      </Btn>
    </View>
  );
}

function OrderForm({ visitId, onDone }: { visitId: string; onDone: () => void }) {
  const order = useAction(api.visits.order);
  const [tests, setTests] = useState<string[]>([]);
  const submit = async () => {
    if (await order.run({ params: { visitId }, body: { tests } })) {
      setTests([]);
      onDone();
    }
  };
  return (
    <View className='card' id='order-form'>
      <Text className='visit-title'>检查检验医嘱</Text>
      <View className='visit-chips'>
        {TEST_CATALOGUE.map((t) => {
          const on = tests.includes(t.code);
          return (
            <View key={t.code} id={`order-${t.code}`} className={`visit-chip ${on ? 'visit-chip--on' : ''}`} ariaRole='checkbox' ariaLabel={on ? '已选' : '未选'} onClick={() => setTests(on ? tests.filter((x) => x !== t.code) : [...tests, t.code])}>
              <Text>
                {t.name} {yuan(t.price)}
              </Text>
            </View>
          );
        })}
      </View>
      {order.error ? <Text className='visit-field-error'>{order.error.message}</Text> : null}
      <Btn kind='primary' id='order-submit' disabled={tests.length === 0} busy={order.loading} onTap={() => void submit()}>
        开具医嘱
      </Btn>
    </View>
  );
}

/** 会诊工作台: the patient's summary, the room, and the notes/prescription/order forms. */
export default function StaffVisit() {
  const { id = '' } = useRouteParams('staffVisit');
  const res = useApi(api.visits.get, { params: { visitId: id } }, { enabled: !!id, refreshOnShow: true });
  const end = useAction(api.visits.end);
  const me = useSession()?.user.id;
  useEvery(15_000, res.retry, !!res.data && !isFinishedVisit(res.data.status));
  const onEnd = async () => {
    const { confirm } = await Taro.showModal({ title: '结束问诊', content: '结束后患者将看到病历和处方，确定结束吗？', confirmText: '结束', cancelText: '取消' });
    if (confirm && (await end.run({ params: { visitId: id } }))) res.retry();
  };
  return (
    <View className='page staff-visit'>
      <AsyncView state={res}>
        {(v) => {
          const writable = ['waiting', 'in_progress', 'ended'].includes(v.status);
          return (
            <View id='staff-visit'>
              <View className='card'>
                <View className='visit-row'>
                  <Text className='visit-title'>
                    {kindText(v)} · {v.patient.name}
                  </Text>
                  <Text className={`tag visit-status--${v.status}`} id='staff-visit-status'>
                    {statusText(v)}
                  </Text>
                </View>
                <Text className='visit-line'>{visitTime(v)}</Text>
                <Text className='visit-line'>参与医生：{doctorsLine(v)}</Text>
                <Text className='visit-line'>事由：{v.reason}</Text>
              </View>
              <PatientSummary visitId={v.id} />
              {v.canJoin ? (
                <Btn kind='primary' id='staff-visit-join' onTap={() => navigate('visitRoom', { id: v.id })}>
                  {v.status === 'in_progress' ? '进入诊室' : '开始问诊（进入诊室）'}
                </Btn>
              ) : null}
              {/* Only the host ends it; an invited specialist leaves, and the consultation goes on. */}
              {(v.status === 'waiting' || v.status === 'in_progress') && isHostOf(v, me) ? (
                <Btn kind='danger' id='staff-visit-end' busy={end.loading} onTap={() => void onEnd()}>
                  结束问诊
                </Btn>
              ) : null}
              {(v.status === 'waiting' || v.status === 'in_progress') && !isHostOf(v, me) ? (
                <Btn id='staff-visit-leave' onTap={() => void Taro.navigateBack().catch(() => navigate('staffVisits', {}))}>
                  离开会诊（由发起医生结束）
                </Btn>
              ) : null}
              {end.error ? <Text className='visit-field-error'>{end.error.message}</Text> : null}
              {writable ? (
                <View>
                  <NoteForm visitId={v.id} onDone={res.retry} />
                  <PrescriptionForm visitId={v.id} onDone={res.retry} />
                  <OrderForm visitId={v.id} onDone={res.retry} />
                </View>
              ) : (
                <Text className='visit-hint'>问诊开始（医生进入诊室）后可以书写病历、开具处方和医嘱。</Text>
              )}
              <VisitRecord visit={v} />
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
