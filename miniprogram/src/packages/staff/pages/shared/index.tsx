/** 共享给我的患者: people whose consent (or an active visit) currently lets this doctor read their data. */
import { Text, View } from '@tarojs/components';
import { ACCESS_PURPOSE_LABEL, ACCESS_SCOPE_LABEL } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { localDateTime } from '../../../../components/reports/format';
import { navigate } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../../../components/reports/reports.css';

const SEX = { male: '男', female: '女' } as const;
const age = (birthDate?: string) => (birthDate ? `${new Date().getFullYear() - Number(birthDate.slice(0, 4))}岁` : '');

export default function SharedPatients() {
  const shared = useApi(api.records.sharedWithMe, undefined, { refreshOnShow: true });
  return (
    <View className='page staff-shared'>
      <Text className='muted'>患者授权给您的档案和报告。每次查看都会记录在患者的访问记录中；授权到期或被撤销后将无法查看。</Text>
      <AsyncView state={shared} isEmpty={(d) => d.items.length === 0} emptyText='目前没有患者向您分享'>
        {(d) => (
          <View id='shared-list'>
            {d.items.map((p) => (
              <View
                key={p.grantId}
                id={`shared-${p.grantId}`}
                className={`card report-card shared-patient shared-${p.patientId}-${p.purpose}`}
                hoverClass='btn--pressed'
                ariaRole='button'
                onClick={() => navigate('staffPatient', { patientId: p.patientId, purpose: p.purpose })}
              >
                <View className='report-card__head'>
                  <Text className='report-card__title'>{p.patientName}</Text>
                  <Text className='report-card__type'>{[p.sex ? SEX[p.sex] : '', age(p.birthDate)].filter(Boolean).join(' · ')}</Text>
                </View>
                <Text className='report-card__meta'>
                  {p.scopes.map((s) => ACCESS_SCOPE_LABEL[s]).join('、')} · {ACCESS_PURPOSE_LABEL[p.purpose]}
                  {p.via === 'org' ? ' · 授权给本院' : ''}
                </Text>
                <Text className='report-card__meta'>有效至 {localDateTime(p.validUntil)}</Text>
                <Text className='report-card__go'>查看 ›</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
