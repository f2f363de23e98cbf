/**
 * Edit the self-reported part of the 健康档案. What a doctor verified is not here: it cannot be
 * changed by the family. Empty rows are dropped; each wrong field is shown under its input.
 */
import { useEffect, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { SelfReportedRecord } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { back, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { describeError } from '../../../../services/client';
import { useAction, useApi } from '../../../../services/useApi';
import '../../../../components/reports/reports.css';
import '../../records.css';

type Form = {
  bloodType: SelfReportedRecord['bloodType'];
  rh: SelfReportedRecord['rh'];
  allergies: { substance: string; reaction: string; severity?: 'mild' | 'moderate' | 'severe' }[];
  conditions: { name: string; since: string }[];
  medications: { name: string; dose: string; frequency: string }[];
  emergencyContacts: { name: string; relation: string; phone: string }[];
  notes: string;
};

const BLOOD: [Form['bloodType'], string][] = [['A', 'A型'], ['B', 'B型'], ['AB', 'AB型'], ['O', 'O型'], ['unknown', '不详']];
const RH: [Form['rh'], string][] = [['positive', 'Rh阳性'], ['negative', 'Rh阴性'], ['unknown', '不详']];
const SEVERITY: ['mild' | 'moderate' | 'severe', string][] = [['mild', '轻度'], ['moderate', '中度'], ['severe', '严重']];

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** The form → the request: rows the person left empty are not sent. */
function toBody(f: Form): SelfReportedRecord {
  return {
    bloodType: f.bloodType,
    rh: f.rh,
    allergies: f.allergies.filter((a) => a.substance.trim()).map((a) => ({ substance: a.substance.trim(), reaction: opt(a.reaction), severity: a.severity })),
    conditions: f.conditions.filter((c) => c.name.trim()).map((c) => ({ name: c.name.trim(), since: opt(c.since) })),
    medications: f.medications.filter((m) => m.name.trim()).map((m) => ({ name: m.name.trim(), dose: opt(m.dose), frequency: opt(m.frequency) })),
    emergencyContacts: f.emergencyContacts.filter((c) => c.name.trim() || c.phone.trim()).map((c) => ({ name: c.name.trim(), relation: c.relation.trim(), phone: c.phone.trim() })),
    notes: opt(f.notes),
  };
}

function Field({ label, value, onInput, error, id, type }: { label: string; value: string; onInput: (v: string) => void; error?: string; id: string; type?: 'text' | 'number' }) {
  return (
    <View className='form-row'>
      <Text className='form-label'>{label}</Text>
      <Input id={id} className={`form-input ${error ? 'form-input--error' : ''}`} type={type ?? 'text'} value={value} placeholder={`请输入${label}`} onInput={(e) => onInput(e.detail.value)} />
      {error ? <Text className='error-text'>{error}</Text> : null}
    </View>
  );
}

export default function RecordEdit() {
  const { patientId = '' } = useRouteParams('recordEdit');
  const record = useApi(api.records.getRecord, { params: { patientId } });
  const save = useAction(api.records.putRecord);
  const [form, setForm] = useState<Form | null>(null);

  useEffect(() => {
    const r = record.data;
    if (!r || form) return;
    setForm({
      bloodType: r.bloodType,
      rh: r.rh,
      allergies: r.allergies.map((a) => ({ substance: a.substance, reaction: a.reaction ?? '', severity: a.severity })),
      conditions: r.conditions.map((c) => ({ name: c.name, since: c.since ?? '' })),
      medications: r.medications.map((m) => ({ name: m.name, dose: m.dose ?? '', frequency: m.frequency ?? '' })),
      emergencyContacts: r.emergencyContacts.map((c) => ({ ...c })),
      notes: r.notes ?? '',
    });
  }, [record.data, form]);

  const err = (path: string) => save.error?.fieldError(path);
  const update = (f: (x: Form) => Form) => {
    setForm((x) => (x ? f(x) : x));
    save.reset();
  };
  const onSave = async () => {
    if (!form) return;
    const ok = await save.run({ params: { patientId }, body: toBody(form) });
    if (ok) {
      await Taro.showToast({ title: '已保存', icon: 'success' });
      await back();
    }
  };

  return (
    <View className='page record-edit'>
      <AsyncView state={{ ...record, data: form ?? undefined }}>
        {(f) => (
          <View>
            <View className='card'>
              <Text className='record-section__title'>血型</Text>
              <View className='chips'>
                {BLOOD.map(([k, t]) => (
                  <View key={k} id={`blood-${k}`} className={`chip ${f.bloodType === k ? 'chip--on' : ''}`} ariaRole='radio' onClick={() => update((x) => ({ ...x, bloodType: k }))}>
                    <Text>{t}</Text>
                  </View>
                ))}
              </View>
              <View className='chips'>
                {RH.map(([k, t]) => (
                  <View key={k} id={`rh-${k}`} className={`chip ${f.rh === k ? 'chip--on' : ''}`} ariaRole='radio' onClick={() => update((x) => ({ ...x, rh: k }))}>
                    <Text>{t}</Text>
                  </View>
                ))}
              </View>
            </View>

            <View className='card'>
              <Text className='record-section__title'>过敏史</Text>
              {f.allergies.map((a, i) => (
                <View key={i}>
                  <Field id={`allergy-${i}`} label='过敏物' value={a.substance} error={err(`allergies.${i}.substance`)} onInput={(v) => update((x) => ({ ...x, allergies: x.allergies.map((y, j) => (j === i ? { ...y, substance: v } : y)) }))} />
                  <Field id={`allergy-reaction-${i}`} label='过敏表现' value={a.reaction} onInput={(v) => update((x) => ({ ...x, allergies: x.allergies.map((y, j) => (j === i ? { ...y, reaction: v } : y)) }))} />
                  <View className='chips'>
                    {SEVERITY.map(([k, t]) => (
                      <View key={k} className={`chip ${a.severity === k ? 'chip--on' : ''}`} ariaRole='radio' onClick={() => update((x) => ({ ...x, allergies: x.allergies.map((y, j) => (j === i ? { ...y, severity: k } : y)) }))}>
                        <Text>{t}</Text>
                      </View>
                    ))}
                  </View>
                  <View className='row-remove' ariaRole='button' onClick={() => update((x) => ({ ...x, allergies: x.allergies.filter((_, j) => j !== i) }))}>
                    <Text>删除这条</Text>
                  </View>
                </View>
              ))}
              <Btn id='add-allergy' onTap={() => update((x) => ({ ...x, allergies: [...x.allergies, { substance: '', reaction: '' }] }))}>
                添加过敏
              </Btn>
            </View>

            <View className='card'>
              <Text className='record-section__title'>慢性病</Text>
              {f.conditions.map((c, i) => (
                <View key={i}>
                  <Field id={`condition-${i}`} label='疾病名称' value={c.name} error={err(`conditions.${i}.name`)} onInput={(v) => update((x) => ({ ...x, conditions: x.conditions.map((y, j) => (j === i ? { ...y, name: v } : y)) }))} />
                  <Field id={`condition-since-${i}`} label='患病年份' value={c.since} onInput={(v) => update((x) => ({ ...x, conditions: x.conditions.map((y, j) => (j === i ? { ...y, since: v } : y)) }))} />
                  <View className='row-remove' ariaRole='button' onClick={() => update((x) => ({ ...x, conditions: x.conditions.filter((_, j) => j !== i) }))}>
                    <Text>删除这条</Text>
                  </View>
                </View>
              ))}
              <Btn id='add-condition' onTap={() => update((x) => ({ ...x, conditions: [...x.conditions, { name: '', since: '' }] }))}>
                添加慢性病
              </Btn>
            </View>

            <View className='card'>
              <Text className='record-section__title'>正在用药</Text>
              {f.medications.map((m, i) => (
                <View key={i}>
                  <Field id={`medication-${i}`} label='药品名称' value={m.name} error={err(`medications.${i}.name`)} onInput={(v) => update((x) => ({ ...x, medications: x.medications.map((y, j) => (j === i ? { ...y, name: v } : y)) }))} />
                  <Field id={`medication-dose-${i}`} label='剂量' value={m.dose} onInput={(v) => update((x) => ({ ...x, medications: x.medications.map((y, j) => (j === i ? { ...y, dose: v } : y)) }))} />
                  <Field id={`medication-frequency-${i}`} label='用法' value={m.frequency} onInput={(v) => update((x) => ({ ...x, medications: x.medications.map((y, j) => (j === i ? { ...y, frequency: v } : y)) }))} />
                  <View className='row-remove' ariaRole='button' onClick={() => update((x) => ({ ...x, medications: x.medications.filter((_, j) => j !== i) }))}>
                    <Text>删除这条</Text>
                  </View>
                </View>
              ))}
              <Btn id='add-medication' onTap={() => update((x) => ({ ...x, medications: [...x.medications, { name: '', dose: '', frequency: '' }] }))}>
                添加用药
              </Btn>
            </View>

            <View className='card'>
              <Text className='record-section__title'>紧急联系人</Text>
              {f.emergencyContacts.map((c, i) => (
                <View key={i}>
                  <Field id={`contact-${i}`} label='姓名' value={c.name} error={err(`emergencyContacts.${i}.name`)} onInput={(v) => update((x) => ({ ...x, emergencyContacts: x.emergencyContacts.map((y, j) => (j === i ? { ...y, name: v } : y)) }))} />
                  <Field id={`contact-relation-${i}`} label='关系' value={c.relation} error={err(`emergencyContacts.${i}.relation`)} onInput={(v) => update((x) => ({ ...x, emergencyContacts: x.emergencyContacts.map((y, j) => (j === i ? { ...y, relation: v } : y)) }))} />
                  <Field id={`contact-phone-${i}`} type='number' label='电话' value={c.phone} error={err(`emergencyContacts.${i}.phone`)} onInput={(v) => update((x) => ({ ...x, emergencyContacts: x.emergencyContacts.map((y, j) => (j === i ? { ...y, phone: v } : y)) }))} />
                  <View className='row-remove' ariaRole='button' onClick={() => update((x) => ({ ...x, emergencyContacts: x.emergencyContacts.filter((_, j) => j !== i) }))}>
                    <Text>删除这条</Text>
                  </View>
                </View>
              ))}
              {f.emergencyContacts.length < 5 ? (
                <Btn id='add-contact' onTap={() => update((x) => ({ ...x, emergencyContacts: [...x.emergencyContacts, { name: '', relation: '', phone: '' }] }))}>
                  添加紧急联系人
                </Btn>
              ) : null}
            </View>

            <View className='card'>
              <Text className='record-section__title'>备注</Text>
              <Textarea className='form-input' value={f.notes} maxlength={500} placeholder='其他需要医生知道的情况' onInput={(e) => update((x) => ({ ...x, notes: e.detail.value }))} />
            </View>

            {save.error ? <Text className='error-text' id='record-save-error'>{describeError(save.error)}</Text> : null}
            <Btn kind='primary' id='record-save' busy={save.loading} onTap={onSave}>
              保存
            </Btn>
          </View>
        )}
      </AsyncView>
    </View>
  );
}
