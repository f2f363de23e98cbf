import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { CHRONIC_CONDITION_LABEL, PACKAGE_KIND_LABEL, RELATION_LABEL, type ContractStatus, type StaffContractView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { age, contractStatusText, contractTone, dateText, instantText } from '../../../../care/format';
import { useCareLive } from '../../../../care/live';
import { Badge, Line, Pill } from '../../../../care/widgets';
import '../../../../care/care.css';
import { navigate, useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

const TABS: { status?: ContractStatus; text: string }[] = [
  { status: 'pending', text: '待审核' },
  { status: 'active', text: '签约中' },
  { text: '全部' },
];

/** The team's contracts: approve or decline requests (a reason is required to decline), open a resident's work. */
export default function Contracts() {
  const params = useRouteParams('careStaffContracts');
  const [status, setStatus] = useState<ContractStatus | undefined>((params.status as ContractStatus | undefined) ?? 'pending');
  const list = useApi(api.care.staffList, { query: status ? { status } : {} }, { refreshOnShow: true });
  useCareLive(list.retry, ['care.contract']);
  return (
    <View className='page care-staff-contracts'>
      <View className='care-row care-row--wrap'>
        {TABS.map((t) => (
          <Pill key={t.text} id={`contracts-tab-${t.status ?? 'all'}`} on={status === t.status} onTap={() => setStatus(t.status)}>
            {t.text}
          </Pill>
        ))}
      </View>
      <AsyncView state={list} isEmpty={(d) => d.items.length === 0} emptyText={status === 'pending' ? '没有待审核的签约申请' : '暂无签约'}>
        {(d) => (
          <View>
            {d.items.map((c) => (
              <ContractRow key={c.id} c={c} onChanged={list.retry} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

function ContractRow({ c, onChanged }: { c: StaffContractView; onChanged: () => void }) {
  const decide = useAction(api.care.decide);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const run = async (decision: 'approve' | 'decline') => {
    if (await decide.run({ params: { contractId: c.id }, body: decision === 'approve' ? { decision } : { decision, reason } })) onChanged();
  };
  return (
    <View className='care-card' id={`staff-contract-${c.id}`}>
      <View className='care-card__head'>
        <Text className='care-card__name'>
          {c.patient.name} {c.patient.sex === 'male' ? '男' : '女'} {age(c.patient.birthDate)}岁
        </Text>
        <Badge tone={contractTone(c.status)}>{contractStatusText(c.status)}</Badge>
      </View>
      <Line>
        {c.package.name}
        {c.package.name === PACKAGE_KIND_LABEL[c.package.kind] ? '' : `（${PACKAGE_KIND_LABEL[c.package.kind]}）`} · {c.team.name}
      </Line>
      <Line>
        电话 {c.patient.phoneMasked} · 账户关系：{RELATION_LABEL[c.patient.relation]}
      </Line>
      {c.conditions.length ? <Line>慢病：{c.conditions.map((x) => CHRONIC_CONDITION_LABEL[x]).join('、')}</Line> : null}
      <Line>申请：{instantText(c.requestedAt)}</Line>
      {c.startDate && c.endDate ? (
        <Line>
          服务期：{dateText(c.startDate)} 至 {dateText(c.endDate)}
        </Line>
      ) : null}
      {c.status === 'pending' ? (
        declining ? (
          <View>
            <Textarea id={`decline-reason-${c.id}`} className='care-textarea' value={reason} maxlength={200} placeholder='请填写未通过的原因（居民会看到）' onInput={(e) => setReason(e.detail.value)} />
            <Btn kind='danger' id={`decline-confirm-${c.id}`} busy={decide.loading} disabled={!reason.trim()} onTap={() => run('decline')}>
              确认不通过
            </Btn>
            <Btn onTap={() => setDeclining(false)}>返回</Btn>
          </View>
        ) : (
          <View>
            <Btn kind='primary' id={`approve-${c.id}`} busy={decide.loading} onTap={() => run('approve')}>
              通过签约
            </Btn>
            <Btn id={`decline-${c.id}`} onTap={() => setDeclining(true)}>
              不通过
            </Btn>
          </View>
        )
      ) : null}
      {c.status === 'active' ? (
        <View>
          <Btn id={`staff-thread-${c.id}`} onTap={() => navigate('careStaffThread', { contractId: c.id })}>
            留言
          </Btn>
          <Btn id={`staff-new-plan-${c.id}`} onTap={() => navigate('careStaffPlanNew', { contractId: c.id })}>
            新建服药督导计划
          </Btn>
        </View>
      ) : null}
      {decide.error ? <Text className='error-text'>{describeError(decide.error)}</Text> : null}
    </View>
  );
}
