import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { ADMISSION_STATUS_LABEL, type AdmissionStatus, type AdmissionView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { navigate } from '../../../../navigation';
import { yuan } from '../../../../payments/format';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../../../payments/payments.css';
import '../../staff.css';

const FILTERS: (AdmissionStatus | 'all')[] = ['active', 'awaiting_payment', 'settling', 'settled', 'all'];

/** Name, bed or admission number, as the cashier types it (`5a-12`, `12床`, `张`). */
function matches(a: AdmissionView, q: string): boolean {
  const t = q.trim().toLowerCase().replace(/床$/, '');
  if (!t) return true;
  return [a.patientName, a.hisAdmissionNo, `${a.ward}-${a.bed}`, `${a.ward}${a.bed}`, a.bed].some((s) => s.toLowerCase().includes(t));
}

/** 住院结算 (cashier / nurse): the hospital's admissions, found by name, bed or admission number. */
export default function StaffAdmissions() {
  const [status, setStatus] = useState<AdmissionStatus | 'all'>('active');
  const [q, setQ] = useState('');
  const list = useApi(api.payments.staffAdmissions, { query: status === 'all' ? {} : { status } }, { refreshOnShow: true });

  return (
    <View className='page' id='staff-admissions'>
      <View className='chips' ariaRole='tablist'>
        {FILTERS.map((f) => (
          <View
            key={f}
            id={`adm-filter-${f}`}
            className={`chip ${status === f ? 'chip--selected' : ''}`}
            ariaRole='tab'
            ariaLabel={`${f === 'all' ? '全部' : ADMISSION_STATUS_LABEL[f]}${status === f ? '，已选择' : ''}`}
            onClick={() => setStatus(f)}
          >
            <Text>{f === 'all' ? '全部' : ADMISSION_STATUS_LABEL[f]}</Text>
          </View>
        ))}
      </View>
      <Input
        id='adm-search'
        className='pay-input'
        value={q}
        maxlength={30}
        placeholder='姓名、床号或住院号'
        onInput={(e) => setQ(e.detail.value)}
      />
      <AsyncView state={list} isEmpty={(d) => d.items.filter((a) => matches(a, q)).length === 0} emptyText={q ? '没有符合条件的住院患者' : '暂无住院患者'}>
        {(d) => (
          <View id='adm-list'>
            {d.items
              .filter((a) => matches(a, q))
              .map((a) => (
                <View
                  key={a.id}
                  id={`adm-${a.id}`}
                  className='staff-menu__item'
                  hoverClass='btn--pressed'
                  ariaRole='button'
                  ariaLabel={`${a.patientName} ${a.ward}病区${a.bed}床 ${a.statusLabel}`}
                  onClick={() => navigate('staffAdmission', { admissionId: a.id })}
                >
                  <View className='adm-card__head'>
                    <Text className='staff-menu__title'>
                      {a.patientName} · {a.ward}-{a.bed}床
                    </Text>
                    <Text className={`pay-tag pay-tag--${a.status}`}>{a.statusLabel}</Text>
                  </View>
                  <Text className='muted'>
                    住院号 {a.hisAdmissionNo} · 余额 {yuan(a.balance)}
                    {a.lowBalance && a.status === 'active' ? ' · 余额不足' : ''}
                  </Text>
                </View>
              ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
