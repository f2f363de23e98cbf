/**
 * One report as a layperson reads it: each value exactly as the lab sent it (its digits, `<1`,
 * `1:128`, 阴性) with its unit, the reference range in the lab's words, and a flag that is an
 * arrow, a colour AND a word (偏高/偏低/危急值); 初步结果 said in words on the report and on each
 * preliminary value; a banner when a value is critical; findings and conclusion for exams; the
 * version history when the lab corrected it. Dates the lab gave without a time stay dates.
 */
import { Text, View } from '@tarojs/components';
import { LOINC_SYSTEM, REPORT_STATUS_LABEL, REPORT_TYPE_LABEL, SNOMED_SYSTEM, type ReportDetailView } from '@hospital/shared';
import { StatusBlock } from '../../../components/StatusBlock';
import { flagLabel, flagTone, localDateTime, rangeLine, resultStatusLabel, valueWithUnit } from '../../../components/reports/format';

/** A trend is drawn for exact numbers of LOINC or SNOMED CT coded tests. */
const trendable = (o: ReportDetailView['observations'][number]) => o.value !== undefined && (!o.system || o.system === LOINC_SYSTEM || o.system === SNOMED_SYSTEM);

export function ReportDetail({ r, onTrend }: { r: ReportDetailView; onTrend?: (code: string) => void }) {
  if (r.status === 'entered-in-error' || r.status === 'cancelled') {
    return <StatusBlock kind='report-retracted' icon='!' title='此报告已被撤回' message='检验科撤回了这份报告（例如发错了人）。如有疑问请咨询医院检验科。' />;
  }
  return (
    <View id='report-detail'>
      <View className='card report-head'>
        <Text className='title report-head__title'>{r.title}</Text>
        <Text className='report-head__meta'>{REPORT_TYPE_LABEL[r.type]}</Text>
        {r.effectiveAt ? <Text className='report-head__meta'>{r.type === 'lab' ? '采样' : '检查'}时间 {localDateTime(r.effectiveAt)}</Text> : null}
        <Text className='report-head__meta'>报告时间 {localDateTime(r.issuedAt)}</Text>
        {r.performer ? <Text className='report-head__meta'>{r.performer}</Text> : null}
        {r.preliminary ? (
          <Text className='badge badge--info report-head__preliminary' id='report-preliminary'>
            {REPORT_STATUS_LABEL[r.status]}：最终报告发布后将替换此结果
          </Text>
        ) : null}
        {r.amended ? (
          <Text className='badge badge--info report-head__amended' id='report-amended'>
            报告已更正（第 {r.version} 版，共 {r.versions.length} 版）
          </Text>
        ) : null}
      </View>

      {r.critical ? (
        <View className='critical-banner' id='critical-banner' ariaRole='alert'>
          <Text className='critical-banner__title'>!! 危急值提醒</Text>
          <Text className='critical-banner__text'>本报告中有危急值，请立即联系医生或尽快到医院就诊。</Text>
        </View>
      ) : null}

      {r.observations.length ? (
        <View className='card obs-card'>
          <Text className='subtitle obs-card__summary' id='report-summary'>
            {r.abnormalCount > 0 ? `共 ${r.observations.length} 项，${r.abnormalCount} 项异常` : `共 ${r.observations.length} 项，均在参考范围内`}
          </Text>
          {r.observations.map((o, i) => {
            const tone = flagTone(o.flag);
            const abnormal = tone !== 'none' && tone !== 'normal';
            const status = resultStatusLabel(o.status);
            const unique = r.observations.findIndex((x) => x.code === o.code) === i;
            return (
              <View key={`${o.code}-${i}`} id={unique ? `obs-${o.code}` : `obs-${o.code}-${i}`} className={`obs-row obs-row--${tone}`}>
                <View className='obs-row__main'>
                  <View className='obs-row__left'>
                    <Text className='obs-row__name'>{o.name}</Text>
                    {o.hint ? <Text className='obs-row__hint'>{o.hint}</Text> : null}
                  </View>
                  <View className='obs-row__right'>
                    <Text className={`obs-row__value obs-row__value--${tone}`}>{valueWithUnit(o)}</Text>
                    {status ? <Text className='badge badge--info obs-row__status'>{status}</Text> : null}
                    {o.flag ? <Text className={`obs-flag obs-flag--${tone} ${abnormal ? 'obs-flag--abnormal' : ''}`}>{flagLabel(o.flag)}</Text> : null}
                  </View>
                </View>
                {rangeLine(o.range, o.unit, o.unitText) ? <Text className='obs-row__range'>{rangeLine(o.range, o.unit, o.unitText)}</Text> : null}
                {o.note ? <Text className='obs-row__range'>备注：{o.note}</Text> : null}
                {onTrend && trendable(o) ? (
                  <View className='obs-row__trend' id={`trend-${o.code}`} ariaRole='button' onClick={() => onTrend(o.code)}>
                    <Text>查看历次变化 ›</Text>
                  </View>
                ) : null}
              </View>
            );
          })}
        </View>
      ) : null}

      {r.findings ? (
        <View className='card report-text' id='report-findings'>
          <Text className='subtitle'>检查所见</Text>
          <Text className='report-text__body'>{r.findings}</Text>
        </View>
      ) : null}
      {r.conclusion ? (
        <View className='card report-text report-text--conclusion' id='report-conclusion'>
          <Text className='subtitle'>{r.type === 'exam' ? '诊断意见' : '结论'}</Text>
          <Text className='report-text__body'>{r.conclusion}</Text>
        </View>
      ) : null}
      <Text className='muted report-disclaimer'>箭头和文字标出超出参考范围的结果。结果的意义请以医生的解读为准。</Text>
    </View>
  );
}
