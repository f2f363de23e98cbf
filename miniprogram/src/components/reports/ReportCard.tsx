import { Text, View } from '@tarojs/components';
import { REPORT_STATUS_LABEL, REPORT_TYPE_LABEL, type ReportSummaryView } from '@hospital/shared';
import { localDateTime } from './format';

/** One report in a list: what, when, where, and whether anything needs attention (in words). */
export function ReportCard({ r, onOpen }: { r: ReportSummaryView; onOpen: () => void }) {
  return (
    <View id={`report-${r.id}`} className={`card report-card ${r.critical ? 'report-card--critical' : ''}`} hoverClass='btn--pressed' ariaRole='button' onClick={onOpen}>
      <View className='report-card__head'>
        <Text className='report-card__title'>{r.title}</Text>
        <Text className='report-card__type'>{REPORT_TYPE_LABEL[r.type]}</Text>
      </View>
      <Text className='report-card__meta'>报告时间 {localDateTime(r.issuedAt)}</Text>
      {r.performer ? <Text className='report-card__meta'>{r.performer}</Text> : null}
      <View className='report-card__badges'>
        {r.critical ? <Text className='badge badge--critical report-card__critical'>!! 有危急值</Text> : null}
        {r.abnormalCount > 0 ? (
          <Text className='badge badge--abnormal report-card__abnormal'>! {r.abnormalCount} 项异常</Text>
        ) : r.type === 'lab' && !r.preliminary ? (
          <Text className='badge badge--normal'>结果均在参考范围内</Text>
        ) : null}
        {r.preliminary ? <Text className='badge badge--info report-card__preliminary'>{REPORT_STATUS_LABEL[r.status]}</Text> : null}
        {r.amended ? <Text className='badge badge--info'>报告已更正</Text> : null}
      </View>
      <Text className='report-card__go'>查看详情 ›</Text>
    </View>
  );
}
