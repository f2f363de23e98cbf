/**
 * 报告详情. A patient opens it from the list or a “report ready” message; a doctor opens it from a
 * consenting patient's page (with `purpose`), and then their read is written to the patient's
 * access log by the server.
 */
import { Text, View } from '@tarojs/components';
import type { AccessPurpose } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { isNotVerified, NotVerified } from '../../../../components/NotVerified';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { ReportDetail } from '../../components/ReportDetail';
import '../../../../components/reports/reports.css';
import '../../records.css';

export default function ReportPage() {
  const { id = '', patientId, purpose } = useRouteParams('reportDetail');
  const staff = !!purpose;
  const report = useApi(api.reports.detail, {
    params: { reportId: id },
    query: { ...(patientId ? { patientId } : {}), ...(purpose ? { purpose: purpose as AccessPurpose } : {}) },
  });
  return (
    <View className='page report-page'>
      {staff ? <Text className='staff-note'>您正在以医护身份查看，本次查看已记录在患者的访问记录中。</Text> : null}
      {!staff && patientId && isNotVerified(report.error) ? (
        <NotVerified patientId={patientId} ways={report.error?.ways} />
      ) : (
        <AsyncView state={report}>
          {(r) => (
            <View>
              <ReportDetail
                r={r}
                onTrend={(code) => navigate('reportTrend', { patientId: r.patientId, code, ...(purpose ? { purpose } : {}) })}
              />
              {!staff ? (
                <Btn id='report-share' onTap={() => navigate('shareRecords', { patientId: r.patientId })}>
                  分享给医生
                </Btn>
              ) : null}
            </View>
          )}
        </AsyncView>
      )}
    </View>
  );
}
