/**
 * 分享给医生: the person chooses a doctor (hospital → department → doctor), what to share
 * (档案, 报告), why and for how long; grants are listed below and can be withdrawn at once.
 * Every read the doctor makes is in 访问记录.
 */
import { useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ACCESS_PURPOSE_LABEL, ACCESS_SCOPE_LABEL, type AccessPurpose, type AccessScope } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { localDateTime } from '../../../../components/reports/format';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { describeError } from '../../../../services/client';
import { useAction, useApi } from '../../../../services/useApi';
import '../../../../components/reports/reports.css';
import '../../records.css';

const PURPOSES: AccessPurpose[] = ['treatment', 'consultation', 'follow_up'];
const SCOPES: AccessScope[] = ['record', 'reports'];
const DAYS = [7, 30, 90];

function Chip({ id, on, text, sub, onTap }: { id: string; on: boolean; text: string; sub?: string; onTap: () => void }) {
  return (
    <View id={id} className={`chip ${on ? 'chip--on' : ''}`} ariaRole='radio' ariaLabel={`${text}${on ? '，已选择' : ''}`} onClick={onTap}>
      <Text>{text}</Text>
      {sub ? <Text className='chip__sub'>{sub}</Text> : null}
    </View>
  );
}

function Grants({ patientId, version }: { patientId: string; version: number }) {
  const consents = useApi(api.records.listConsents, { query: { patientId } }, { refreshOnShow: true });
  const revoke = useAction(api.records.revokeConsent);
  // A new grant was made on this page: read the list again.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else consents.retry();
  }, [version]);
  const onRevoke = async (id: string, who: string) => {
    const { confirm } = await Taro.showModal({ title: '撤销授权', content: `撤销后${who}将立即无法查看。确定撤销吗？`, confirmText: '撤销', cancelText: '取消' });
    if (!confirm) return;
    if (await revoke.run({ params: { consentId: id } })) consents.retry();
  };
  return (
    <AsyncView state={consents} isEmpty={(d) => d.consents.filter((c) => c.active).length === 0} emptyText='目前没有生效的授权'>
      {(d) => (
        <View id='consent-list'>
          {d.consents
            .filter((c) => c.active)
            .map((c) => (
              <View key={c.id} className='card consent-item' id={`consent-${c.id}`}>
                <Text className='consent-item__who'>{c.grantee.name ?? c.grantee.id}</Text>
                <Text className='consent-item__line'>
                  {c.scopes.map((s) => ACCESS_SCOPE_LABEL[s]).join('、')} · {ACCESS_PURPOSE_LABEL[c.purpose]}
                </Text>
                <Text className='consent-item__line'>有效至 {localDateTime(c.validUntil)}</Text>
                <Btn kind='danger' className='consent-revoke' busy={revoke.loading} onTap={() => onRevoke(c.id, c.grantee.name ?? '该医生')}>
                  撤销授权
                </Btn>
              </View>
            ))}
        </View>
      )}
    </AsyncView>
  );
}

export default function Share() {
  const { patientId = '' } = useRouteParams('shareRecords');
  const orgs = useApi(api.catalog.orgs);
  const [orgId, setOrgId] = useState<string>();
  const [deptId, setDeptId] = useState<string>();
  const [doctor, setDoctor] = useState<{ id: string; name: string }>();
  const [purpose, setPurpose] = useState<AccessPurpose>('treatment');
  const [scopes, setScopes] = useState<AccessScope[]>(['record', 'reports']);
  const [days, setDays] = useState(7);
  const [granted, setGranted] = useState(0);
  const depts = useApi(api.catalog.departments, { params: { orgId: orgId ?? '' } }, { enabled: !!orgId });
  const doctors = useApi(api.catalog.doctors, { params: { deptId: deptId ?? '' } }, { enabled: !!deptId });
  const grant = useAction(api.records.grantConsent);

  const toggle = (s: AccessScope) => setScopes((x) => (x.includes(s) ? x.filter((y) => y !== s) : [...x, s]));
  const onGrant = async () => {
    if (!doctor || !scopes.length) return;
    const what = scopes.map((s) => ACCESS_SCOPE_LABEL[s]).join('和');
    const { confirm } = await Taro.showModal({
      title: '确认分享',
      content: `将${what}分享给${doctor.name}，用于${ACCESS_PURPOSE_LABEL[purpose]}，${days}天后自动失效，您可随时撤销。`,
      confirmText: '同意分享',
      cancelText: '取消',
    });
    if (!confirm) return;
    const ok = await grant.run({ body: { patientId, grantee: { type: 'doctor', id: doctor.id }, purpose, scopes, days } });
    if (ok) {
      setGranted((n) => n + 1);
      await Taro.showToast({ title: '已分享', icon: 'success' });
    }
  };

  return (
    <View className='page share'>
      <View className='card'>
        <Text className='record-section__title'>1. 选择医院</Text>
        <AsyncView state={orgs}>
          {(d) => (
            <View className='chips'>
              {d.items.map((o) => (
                <Chip key={o.id} id={`share-org-${o.id}`} on={orgId === o.id} text={o.name} onTap={() => (setOrgId(o.id), setDeptId(undefined), setDoctor(undefined))} />
              ))}
            </View>
          )}
        </AsyncView>
        {orgId ? (
          <View>
            <Text className='record-section__title'>2. 选择科室</Text>
            <AsyncView state={depts}>
              {(d) => (
                <View className='chips'>
                  {d.items.map((x) => (
                    <Chip key={x.id} id={`share-dept-${x.id}`} on={deptId === x.id} text={x.name} onTap={() => (setDeptId(x.id), setDoctor(undefined))} />
                  ))}
                </View>
              )}
            </AsyncView>
          </View>
        ) : null}
        {deptId ? (
          <View>
            <Text className='record-section__title'>3. 选择医生</Text>
            <AsyncView state={doctors} isEmpty={(d) => d.items.length === 0} emptyText='该科室暂无医生'>
              {(d) => (
                <View className='chips'>
                  {d.items.map((x) => (
                    <Chip key={x.id} id={`share-doctor-${x.id}`} on={doctor?.id === x.id} text={x.name} sub={x.title} onTap={() => setDoctor({ id: x.id, name: `${x.name}${x.title}` })} />
                  ))}
                </View>
              )}
            </AsyncView>
          </View>
        ) : null}
      </View>

      <View className='card'>
        <Text className='record-section__title'>分享内容</Text>
        <View className='chips'>
          {SCOPES.map((s) => (
            <Chip key={s} id={`share-scope-${s}`} on={scopes.includes(s)} text={ACCESS_SCOPE_LABEL[s]} sub={scopes.includes(s) ? '已选' : '未选'} onTap={() => toggle(s)} />
          ))}
        </View>
        <Text className='record-section__title'>用途</Text>
        <View className='chips'>
          {PURPOSES.map((p) => (
            <Chip key={p} id={`share-purpose-${p}`} on={purpose === p} text={ACCESS_PURPOSE_LABEL[p]} onTap={() => setPurpose(p)} />
          ))}
        </View>
        <Text className='record-section__title'>有效期</Text>
        <View className='chips'>
          {DAYS.map((n) => (
            <Chip key={n} id={`share-days-${n}`} on={days === n} text={`${n}天`} onTap={() => setDays(n)} />
          ))}
        </View>
      </View>

      {grant.error ? <Text className='error-text'>{describeError(grant.error)}</Text> : null}
      <Btn kind='primary' id='share-submit' disabled={!doctor || !scopes.length} busy={grant.loading} onTap={onGrant}>
        {doctor ? `分享给${doctor.name}` : '请先选择医生'}
      </Btn>

      <Text className='subtitle'>已授权的医生</Text>
      <Grants patientId={patientId} version={granted} />
      <Btn id='share-access-log' onTap={() => navigate('accessLog', { patientId })}>
        查看访问记录
      </Btn>
    </View>
  );
}
