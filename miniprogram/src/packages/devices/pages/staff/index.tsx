/**
 * 一体机数据分配 (doctor / nurse of the kiosk's organisation): measurements pushed while nobody was
 * bound at the kiosk wait here — never dropped, never guessed — until staff give them to the
 * person measured (by ID number and name). Below, the organisation's recent alerts.
 */
import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import type { UnassignedPushView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { api } from '../../../../services/api';
import { describeError } from '../../../../services/client';
import { useAction, useApi } from '../../../../services/useApi';
import { SEVERITY_COLOR, severityText, when } from '../../components/format';
import '../../devices.css';

function AssignForm({ push, onDone }: { push: UnassignedPushView; onDone: () => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const assign = useAction(api.devices.assign);
  const submit = async () => {
    const r = await assign.run({ params: { pushId: push.id }, body: { idNumber, name } });
    if (r) onDone();
  };
  return (
    <View className='assign-form'>
      <Text className='assign-form__label'>姓名</Text>
      <Input className='assign-form__input' id={`assign-name-${push.id}`} value={name} onInput={(e) => setName(e.detail.value)} placeholder='被测量人姓名' />
      <Text className='assign-form__label'>身份证号</Text>
      <Input className='assign-form__input' id={`assign-id-${push.id}`} type='idcard' maxlength={18} value={idNumber} onInput={(e) => setIdNumber(e.detail.value)} placeholder='18位身份证号' />
      {assign.error ? <Text className='error-text'>{assign.error.fieldError('idNumber') ?? describeError(assign.error)}</Text> : null}
      <Btn kind='primary' busy={assign.loading} disabled={!idNumber || !name} onTap={() => void submit()}>
        分配给此人
      </Btn>
    </View>
  );
}

export default function KioskStaff() {
  const unassigned = useApi(api.devices.unassigned, undefined, { refreshOnShow: true });
  const alerts = useApi(api.devices.staffAlerts, undefined, { refreshOnShow: true });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <View className='page kiosk-staff'>
      <Text className='title'>待分配的测量</Text>
      <Text className='muted'>一体机上无人绑定时的测量结果。请核对被测量人的身份证号和姓名后分配。</Text>
      <AsyncView state={unassigned} isEmpty={(d) => d.items.length === 0} emptyText='没有待分配的测量'>
        {(d) => (
          <View>
            {d.items.map((p) => (
              <View key={p.id} className='card unassigned' id={`unassigned-${p.id}`}>
                <Text className='unassigned__head'>
                  {p.kioskLabel} · {when(p.receivedAt)}
                </Text>
                {p.readings.slice(0, 12).map((r) => (
                  <Text key={r.id} className='unassigned__reading'>
                    {r.name} {r.display}
                    {r.severity !== 'normal' ? `（${r.label}·${severityText(r.severity)}）` : ''}
                  </Text>
                ))}
                {p.readings.length > 12 ? <Text className='muted'>另有 {p.readings.length - 12} 项</Text> : null}
                {open === p.id ? (
                  <AssignForm push={p} onDone={() => { setOpen(null); unassigned.retry(); }} />
                ) : (
                  <Btn onTap={() => setOpen(p.id)}>分配给就诊人</Btn>
                )}
              </View>
            ))}
          </View>
        )}
      </AsyncView>
      <Text className='subtitle'>本机构一体机预警</Text>
      <AsyncView state={alerts} isEmpty={(d) => d.items.length === 0} emptyText='暂无预警'>
        {(d) => (
          <View>
            {d.items.map((a) => (
              <View key={a.id} className='card alert-item'>
                <Text className='alert-item__badge' style={{ backgroundColor: SEVERITY_COLOR[a.severity] }}>
                  {severityText(a.severity)}
                </Text>
                <Text className='alert-item__text'>
                  {a.patientName}：{a.name} {a.display}（{a.label}）
                </Text>
                <Text className='alert-item__when'>{when(a.at)}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
