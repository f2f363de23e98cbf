/**
 * 健康档案: what the person (or their family) reported — editable — and what a doctor verified —
 * read-only, with who and when. This summary is what a video-visit doctor or the 120 dispatcher
 * sees with the person's consent or during an emergency.
 */
import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { PeopleView } from '../../../../components/PeopleView';
import { isNotVerified, NotVerified } from '../../../../components/NotVerified';
import { Btn } from '../../../../components/Btn';
import { PersonTabs } from '../../../../components/reports/PersonTabs';
import { RecordView } from '../../../../components/reports/RecordView';
import { usePeople } from '../../../../components/reports/usePeople';
import { navigate } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../../../components/reports/reports.css';
import '../../records.css';

export default function HealthRecord() {
  const { people, items, current, choose } = usePeople();
  const patientId = current?.id ?? '';
  const record = useApi(api.records.getRecord, { params: { patientId } }, { enabled: !!patientId, refreshOnShow: true });
  return (
    <View className='page health-record'>
      <PeopleView state={people}>
        {() => (
          <View>
            <PersonTabs items={items} current={patientId} onChoose={choose} />
            <Text className='reports-browser__who'>{current?.name} 的健康档案</Text>
            {patientId && isNotVerified(record.error) ? (
              <NotVerified patientId={patientId} name={current?.name} ways={record.error?.ways} />
            ) : (
              <AsyncView state={record}>{(r) => <RecordView r={r} />}</AsyncView>
            )}
            <Btn kind='primary' id='record-edit' onTap={() => navigate('recordEdit', { patientId })}>
              编辑我填写的内容
            </Btn>
            <Btn id='record-share' onTap={() => navigate('shareRecords', { patientId })}>
              分享给医生
            </Btn>
            <Btn id='record-access-log' onTap={() => navigate('accessLog', { patientId })}>
              谁查看过我的档案
            </Btn>
          </View>
        )}
      </PeopleView>
    </View>
  );
}
