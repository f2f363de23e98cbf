/**
 * A doctor's view of one consenting patient: their health record and reports. Each section is a
 * separate audited read (the patient sees both in 访问记录); without a grant for a scope the
 * section says so instead of showing anything.
 */
import { Text, View } from '@tarojs/components';
import type { AccessPurpose } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { RecordView } from '../../../../components/reports/RecordView';
import { ReportCard } from '../../../../components/reports/ReportCard';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../../../components/reports/reports.css';

export default function StaffPatient() {
  const { patientId = '', purpose = 'treatment' } = useRouteParams('staffPatient');
  const query = { purpose: purpose as AccessPurpose };
  const reports = useApi(api.reports.staffList, { params: { patientId }, query });
  const record = useApi(api.records.staffRecord, { params: { patientId }, query });
  return (
    <View className='page staff-patient'>
      <Text className='muted'>本次查看已记录在患者的访问记录中。</Text>
      <Text className='subtitle'>检查检验报告</Text>
      <AsyncView state={reports} isEmpty={(d) => d.items.length === 0} emptyText='暂无报告'>
        {(d) => (
          <View id='staff-reports'>
            {d.items.map((r) => (
              <ReportCard key={r.id} r={r} onOpen={() => navigate('reportDetail', { id: r.id, patientId, purpose })} />
            ))}
          </View>
        )}
      </AsyncView>
      <Text className='subtitle'>健康档案</Text>
      <AsyncView state={record}>{(r) => <RecordView r={r} />}</AsyncView>
    </View>
  );
}
