import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { Relation, RELATION_LABEL } from '@hospital/shared';
import { Btn } from '../../../../components/Btn';
import { back } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useAction } from '../../../../services/useApi';
import { Refusal } from '../../components/Refusal';
import { rememberAddedPatient } from '../../logic/added-patient';
import { checkPatient, serverFieldErrors, type FieldErrors, type PatientField, type PatientInput } from '../../logic/patient-form';
import '../../booking.css';

const RELATIONS = Relation.options;

function Field({ field, label, error, children }: { field: PatientField; label: string; error?: string; children: React.ReactNode }) {
  return (
    <View className={`field ${error ? 'field--error' : ''}`} id={`field-${field}`}>
      <Text className='field__label'>{label}</Text>
      {children}
      {error ? (
        <Text className='error-text' id={`error-${field}`}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/**
 * 添加就诊人: name, relation, phone, ID card number. Every field is checked here with the
 * server's own rules (GB 11643 for the ID number) and each problem shown under its field.
 */
export default function PatientForm() {
  const [form, setForm] = useState<PatientInput>({ name: '', relation: '', phone: '', idNumber: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useAction(api.patients.create);

  const set = (field: PatientField, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    create.reset();
  };

  const save = async () => {
    const checked = checkPatient(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const person = await create.run({ body: checked.value });
    if (person) {
      rememberAddedPatient(person.id);
      await back();
    }
  };

  const shown: FieldErrors = { ...serverFieldErrors(create.error), ...Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) };
  const refusal = create.error && Object.keys(serverFieldErrors(create.error)).length === 0 ? create.error : null;

  return (
    <View className='page booking patient-form'>
      <Text className='hint'>请填写就诊人的真实信息。身份证号仅用于实名就医，保存后只显示部分号码。</Text>
      <Field field='name' label='姓名' error={shown.name}>
        <Input id='patient-name' className='field__input' value={form.name} maxlength={30} placeholder='请输入姓名' onInput={(e) => set('name', e.detail.value)} />
      </Field>
      <Field field='relation' label='与您的关系' error={shown.relation}>
        <View className='choices' id='patient-relation'>
          {RELATIONS.map((r) => (
            <View
              key={r}
              id={`relation-${r}`}
              className={`choice ${form.relation === r ? 'choice--selected' : ''}`}
              ariaRole='radio'
              ariaLabel={`${RELATION_LABEL[r]}${form.relation === r ? ' 已选择' : ''}`}
              onClick={() => set('relation', r)}
            >
              <Text>{RELATION_LABEL[r]}</Text>
            </View>
          ))}
        </View>
      </Field>
      <Field field='phone' label='手机号' error={shown.phone}>
        <Input id='patient-phone' className='field__input' type='number' value={form.phone} maxlength={11} placeholder='11位手机号' onInput={(e) => set('phone', e.detail.value)} />
      </Field>
      <Field field='idNumber' label='身份证号' error={shown.idNumber}>
        <Input id='patient-id-number' className='field__input' type='idcard' value={form.idNumber} maxlength={18} placeholder='18位身份证号' onInput={(e) => set('idNumber', e.detail.value)} />
      </Field>
      {refusal ? <Refusal error={refusal} onRetry={() => void create.retry()} /> : null}
      <Btn kind='primary' id='save-patient' busy={create.loading} onTap={save}>
        保存
      </Btn>
    </View>
  );
}
