/** 访问记录: who on the staff looked at this person's data, why, and whether it was allowed. Never what they saw. */
import { Text, View } from '@tarojs/components';
import { ACCESS_PURPOSE_LABEL, RoleNames, type AccessPurpose, type Role } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { localDateTime } from '../../../../components/reports/format';
import { useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../../../components/reports/reports.css';
import '../../records.css';

/** `report:<id>` → 一份报告 … in words a person understands. */
function resourceLabel(resource: string): string {
  if (resource === 'record') return '健康档案';
  if (resource === 'record:verify') return '健康档案（添加核实记录）';
  if (resource === 'reports') return '报告列表';
  if (resource.startsWith('report:')) return '一份检查检验报告';
  if (resource.startsWith('reports:trend')) return '指标历次变化';
  if (resource.startsWith('fhir')) return '全部健康数据（导出）';
  if (resource.startsWith('readings')) return '健康监测数据';
  return resource;
}

/** Purposes other than reading: filing a held lab report under the person (化验报告归属). */
const OTHER_PURPOSES: Record<string, string> = { report_match: '化验报告归属' };
/** A held report filed although its name was not the person's: the reason staff gave. */
const overrideReason = (basis?: string) => (basis?.startsWith('name_override:') ? basis.slice('name_override:'.length) : undefined);

const roles = (r: string) =>
  r
    .split(',')
    .map((x) => RoleNames[x as Role] ?? x)
    .join('、');

export default function AccessLog() {
  const { patientId = '' } = useRouteParams('accessLog');
  const log = useApi(api.records.accessLog, { params: { patientId } }, { refreshOnShow: true });
  return (
    <View className='page access-log'>
      <Text className='muted'>医护人员每次查看或被拒绝查看您的档案和报告，都会记录在这里。</Text>
      <AsyncView state={log} isEmpty={(d) => d.entries.length === 0} emptyText='还没有医护人员查看过'>
        {(d) => (
          <View id='access-entries'>
            {d.entries.map((e, i) => (
              <View key={`${e.at}-${i}`} className='card access-entry'>
                <Text className='access-entry__who'>
                  {e.actorName}（{roles(e.actorRole)}）
                </Text>
                <Text className='access-entry__line'>{localDateTime(e.at)}</Text>
                <Text className='access-entry__line'>
                  查看：{resourceLabel(e.resource)} · 用途：{ACCESS_PURPOSE_LABEL[e.purpose as AccessPurpose] ?? OTHER_PURPOSES[e.purpose] ?? e.purpose}
                </Text>
                {overrideReason(e.basis) ? <Text className='access-entry__line'>报告姓名与就诊人不一致，工作人员说明：{overrideReason(e.basis)}</Text> : null}
                <Text className={`access-entry__outcome access-entry__outcome--${e.outcome}`}>{e.outcome === 'allowed' ? '已授权查看' : '未授权，已拒绝'}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
