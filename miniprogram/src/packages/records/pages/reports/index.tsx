import { View } from '@tarojs/components';
import { ReportsBrowser } from '../../../../components/reports/ReportsBrowser';

/** 报告查询 (from the home grid and from a “report ready” message). */
export default function ReportQuery() {
  return (
    <View className='page report-query'>
      <ReportsBrowser />
    </View>
  );
}
