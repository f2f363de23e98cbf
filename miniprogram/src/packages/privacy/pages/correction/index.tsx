/**
 * 更正申请 (PIPL Art 46): pick a person on the account, what is wrong and what it should say; the
 * hospital checks and corrects it (records and reports are the hospital's to change). Below, my
 * requests with their state in words.
 */
import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { CORRECTION_FIELD_LABEL, RELATION_LABEL, type CorrectionField } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { OPERATOR } from '../../logic/documents';
import { CORRECTION_FIELDS, CORRECTION_STATUS_LABEL, checkCorrection, dayOf, detailPlaceholder, sortCorrections } from '../../logic/correction';
import '../../privacy.css';

function Correction() {
  const people = useApi(api.patients.list);
  const mine = useApi(api.privacy.corrections);
  const send = useAction(api.privacy.requestCorrection);
  const [patientId, setPatientId] = useState<string | undefined>();
  const [field, setField] = useState<CorrectionField | undefined>();
  const [detail, setDetail] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'patientId' | 'field' | 'detail', string>>>({});

  const nameOf = (id: string) => people.data?.items.find((p) => p.id === id)?.name ?? '就诊人';
  const chosen = patientId ?? (people.data?.items.length === 1 ? people.data.items[0].id : undefined);

  const submit = async () => {
    const form = { patientId: chosen, field, detail };
    const e = checkCorrection(form);
    setErrors(e);
    if (Object.keys(e).length || !chosen || !field) return;
    const r = await send.run({ body: { patientId: chosen, field, detail: detail.trim() } });
    if (!r) return;
    setField(undefined);
    setDetail('');
    mine.retry();
    await Taro.showToast({ title: '已提交', icon: 'success' });
  };

  const fieldError = (k: 'patientId' | 'field' | 'detail') => errors[k] ?? send.error?.fieldError(k);

  return (
    <View>
      <View className='hint'>
        <Text>发现就诊人信息、健康档案或报告有误时，请告诉我们。医院核实后会更正，结果显示在下方“我的申请”中，一般在{OPERATOR.answerWithinWorkingDays}个工作日内处理。</Text>
      </View>
      <AsyncView state={people} isEmpty={(d) => d.items.length === 0} emptyText='还没有就诊人'>
        {(d) => (
          <View className='card' id='pv-correction-form'>
            <Text className='pv-field__label'>1. 哪位就诊人</Text>
            <View className='choices'>
              {d.items.map((p) => (
                <View
                  key={p.id}
                  id={`pv-correction-person-${p.id}`}
                  className={`choice ${chosen === p.id ? 'choice--selected' : ''}`}
                  ariaRole='radio'
                  ariaLabel={`${p.name}${chosen === p.id ? '，已选择' : ''}`}
                  onClick={() => setPatientId(p.id)}
                >
                  <Text>
                    {p.name}（{RELATION_LABEL[p.relation]}）{chosen === p.id ? ' ✓' : ''}
                  </Text>
                </View>
              ))}
            </View>
            {fieldError('patientId') ? <Text className='error-text'>{fieldError('patientId')}</Text> : null}

            <Text className='pv-field__label'>2. 需要更正的项目</Text>
            <View className='choices'>
              {CORRECTION_FIELDS.map((f) => (
                <View
                  key={f.value}
                  id={`pv-correction-field-${f.value}`}
                  className={`choice ${field === f.value ? 'choice--selected' : ''}`}
                  ariaRole='radio'
                  ariaLabel={`${f.label}${field === f.value ? '，已选择' : ''}`}
                  onClick={() => setField(f.value)}
                >
                  <Text>
                    {f.label}
                    {field === f.value ? ' ✓' : ''}
                  </Text>
                </View>
              ))}
            </View>
            {fieldError('field') ? <Text className='error-text'>{fieldError('field')}</Text> : null}

            <Text className='pv-field__label'>3. 哪里有误，应当是什么</Text>
            <Textarea
              id='pv-correction-detail'
              className='pv-textarea'
              value={detail}
              maxlength={500}
              placeholder={detailPlaceholder(field)}
              onInput={(e) => setDetail(e.detail.value)}
            />
            {fieldError('detail') ? <Text className='error-text'>{fieldError('detail')}</Text> : null}
            {send.error && !send.error.fields.length ? (
              <Text className='error-text' id='pv-correction-error'>
                {describeError(send.error)}
              </Text>
            ) : null}
            <Btn kind='primary' id='pv-correction-submit' busy={send.loading} onTap={() => void submit()}>
              提交申请
            </Btn>
          </View>
        )}
      </AsyncView>

      <Text className='subtitle'>我的申请</Text>
      <AsyncView state={mine} isEmpty={(d) => d.items.length === 0} emptyText='还没有更正申请'>
        {(d) => (
          <View className='card' id='pv-corrections'>
            {sortCorrections(d.items).map((c) => (
              <View key={c.id} className='pv-request' id={`pv-correction-${c.id}`} data-status={c.status}>
                <View className='pv-request__head'>
                  <Text className='pv-request__what'>
                    {nameOf(c.patientId)} · {CORRECTION_FIELD_LABEL[c.field]}
                  </Text>
                  <Text className={`pv-request__status pv-request__status--${c.status}`}>{CORRECTION_STATUS_LABEL[c.status]}</Text>
                </View>
                <Text className='pv-request__detail'>{c.detail}</Text>
                <Text className='pv-request__date'>提交于 {dayOf(c.createdAt)}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

export default function CorrectionPage() {
  return (
    <View className='page pv-correction-page'>
      <Text className='title'>更正申请</Text>
      <RequireLogin reason='登录后可申请更正您的信息'>{() => <Correction />}</RequireLogin>
    </View>
  );
}
