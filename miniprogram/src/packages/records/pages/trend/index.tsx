/** 历次变化: one analyte across a person's reports, as a chart and as a list. */
import { Text, View } from '@tarojs/components';
import { unitDisplay, type AccessPurpose } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { flagLabel, localDay, rangeLine } from '../../../../components/reports/format';
import { useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { TrendChart } from '../../components/TrendChart';
import '../../../../components/reports/reports.css';
import '../../records.css';

export default function TrendPage() {
  const { patientId = '', code = '', purpose } = useRouteParams('reportTrend');
  const mine = useApi(api.reports.trend, { query: { patientId, code } }, { enabled: !purpose });
  const staff = useApi(api.reports.staffTrend, { params: { patientId }, query: { code, purpose: (purpose ?? 'treatment') as AccessPurpose } }, { enabled: !!purpose });
  const trend = purpose ? staff : mine;
  return (
    <View className='page trend-page'>
      <AsyncView state={trend} isEmpty={(t) => t.points.length === 0} emptyText='还没有这一项的数值结果'>
        {(t) => (
          <View>
            <Text className='title' id='trend-title'>
              {t.name}
              {t.unit ? `（${unitDisplay(t.unit)}）` : ''}
            </Text>
            <View className='card'>
              <TrendChart points={t.points} name={t.name} />
              <Text className='muted'>绿色区域为最近一次报告的参考范围。</Text>
            </View>
            <View className='card' id='trend-list'>
              {[...t.points].reverse().map((p) => (
                <View key={p.reportId + p.at} className='trend-row'>
                  <Text>{localDay(p.at)}</Text>
                  <Text>
                    {p.value} {flagLabel(p.flag)}
                  </Text>
                </View>
              ))}
              {t.points[t.points.length - 1]?.range ? <Text className='muted'>{rangeLine(t.points[t.points.length - 1].range, t.unit)}</Text> : null}
            </View>
          </View>
        )}
      </AsyncView>
    </View>
  );
}
