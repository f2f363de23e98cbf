/**
 * 化验报告待认领 (doctor / nurse / admin of the receiving hospital): lab reports that no registered
 * person matched — no ID number on the report, an ID number nobody registered, or a different
 * name — wait here, oldest first, never dropped and never guessed. Staff check the person's ID
 * card and give the report to them by ID number; the person's family is then told. When the
 * report's name is not the person's, the server refuses; staff may then override it with a
 * reason, which goes into the person's access log.
 */
import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { HELD_REASON_LABEL, REPORT_TYPE_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { checkIdNumber, checkOverrideReason, heldLines, isNameMismatch, type HeldReport } from '../../logic/held';
import '../../../../components/reports/reports.css';
import '../../staff.css';

function HeldRow({ report, onMatched }: { report: HeldReport; onMatched: (r: HeldReport) => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [checkError, setCheckError] = useState<string | null>(null);
  /** The reason for filing it anyway, asked once the server said the names disagree. */
  const [override, setOverride] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const match = useAction(api.reports.match);
  const asking = override !== null || isNameMismatch(match.error);
  const submit = async () => {
    const c = checkIdNumber(idNumber);
    if (!c.ok) {
      match.reset();
      setCheckError(c.message);
      return;
    }
    setCheckError(null);
    let nameOverride: { reason: string } | undefined;
    if (asking) {
      const o = checkOverrideReason(override ?? '');
      if (!o.ok) return setReasonError(o.message);
      nameOverride = { reason: o.reason };
    }
    setReasonError(null);
    const r = await match.run({ params: { reportId: report.id }, body: { idNumber: c.idNumber, ...(nameOverride ? { nameOverride } : {}) } });
    if (r) onMatched(report);
  };
  const serverField = match.error?.fieldError('idNumber');
  const fieldError = checkError ?? serverField;
  const rowError = match.error && !serverField ? describeError(match.error) : null;
  return (
    <View id={`held-${report.id}`} className='card report-card held-report'>
      <View className='report-card__head'>
        <Text className='report-card__title'>{report.title}</Text>
        <Text className='report-card__type'>{REPORT_TYPE_LABEL[report.type]}</Text>
      </View>
      <Text className={`badge badge--info held-reason held-reason--${report.reason}`}>{HELD_REASON_LABEL[report.reason]}</Text>
      {heldLines(report).map((l) => (
        <Text key={l.label} className='report-card__meta'>
          {l.label}：{l.value}
        </Text>
      ))}
      <Text className='held-form__label'>就诊人身份证号</Text>
      <Input
        id={`held-id-${report.id}`}
        className={`held-form__input${fieldError ? ' held-form__input--invalid' : ''}`}
        type='idcard'
        maxlength={18}
        value={idNumber}
        placeholder='核对身份证后输入18位号码'
        onInput={(e) => {
          setIdNumber(e.detail.value);
          setCheckError(null);
          if (match.error) match.reset();
        }}
      />
      {fieldError ? (
        <Text id={`held-id-error-${report.id}`} className='error-text held-field-error'>
          {fieldError}
        </Text>
      ) : null}
      {asking ? (
        <>
          <Text className='held-form__label'>姓名不一致的原因（将记入就诊人的访问记录）</Text>
          <Input
            id={`held-reason-${report.id}`}
            className={`held-form__input${reasonError ? ' held-form__input--invalid' : ''}`}
            maxlength={200}
            value={override ?? ''}
            placeholder='如：录入错字、已改名，已核对身份证原件'
            onInput={(e) => {
              setOverride(e.detail.value);
              setReasonError(null);
            }}
          />
          {reasonError ? (
            <Text id={`held-reason-error-${report.id}`} className='error-text held-field-error'>
              {reasonError}
            </Text>
          ) : null}
        </>
      ) : null}
      <Btn id={`held-match-${report.id}`} kind='primary' busy={match.loading} disabled={!idNumber.trim()} onTap={() => void submit()}>
        {asking ? '确认强制归属' : '确认归属'}
      </Btn>
      {rowError ? (
        <View id={`held-error-${report.id}`} className='error-text held-row-error' ariaRole='alert'>
          <Text>{rowError}</Text>
        </View>
      ) : null}
    </View>
  );
}

export default function LabHeld() {
  const held = useApi(api.reports.held, undefined, { refreshOnShow: true });
  /** Matched on this screen: hidden at once, without waiting for a reload. */
  const [matched, setMatched] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const waiting = (items: HeldReport[]) => items.filter((r) => !matched.includes(r.id));
  const onMatched = (r: HeldReport) => {
    setMatched((m) => [...m, r.id]);
    setDone(`「${r.title}」已归属就诊人，将出现在其报告查询中`);
  };
  return (
    <View className='page staff-lab-held'>
      <Text className='muted held-intro'>
        检验科推送的报告中，未带身份证号、身份证号未登记或姓名不一致的，会在这里等待认领（最早的在前）。请核对就诊人的身份证后输入其身份证号。
      </Text>
      {done ? (
        <View id='held-ok' className='held-ok' ariaRole='alert'>
          <Text>✓ {done}</Text>
        </View>
      ) : null}
      <AsyncView state={held} isEmpty={(d) => waiting(d.items).length === 0} emptyText='暂无待认领的报告'>
        {(d) => (
          <View id='held-list'>
            {waiting(d.items).map((r) => (
              <HeldRow key={r.id} report={r} onMatched={onMatched} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
