import { Text, View } from '@tarojs/components';
import type { AdmissionView } from '@hospital/shared';
import { dayOf, yuan } from './format';
import './payments.css';

/**
 * One admission's account at a glance: who, where (ward / bed), since when, and the money —
 * deposited, charged, refunded, and the balance in large type, with the low-balance warning
 * in words (never colour alone).
 */
export function AdmissionCard({ admission: a }: { admission: AdmissionView }) {
  return (
    <View className='card adm-card' id='admission-card'>
      <View className='adm-card__head'>
        <Text className='adm-card__name' id='admission-name'>
          {a.patientName}
        </Text>
        <Text className={`pay-tag pay-tag--${a.status}`} id='admission-status'>
          {a.statusLabel}
        </Text>
      </View>
      <Text className='adm-card__line' id='admission-bed'>
        {a.ward} 病区 {a.bed} 床 · 住院号 {a.hisAdmissionNo}
      </Text>
      <Text className='adm-card__line'>入院日期 {dayOf(a.admittedAt)}</Text>
      {a.dischargedAt ? <Text className='adm-card__line'>出院日期 {dayOf(a.dischargedAt)}</Text> : null}

      <View className='adm-card__balance'>
        <Text className='adm-card__balance-label'>{a.balance < 0 ? '欠费' : '押金余额'}</Text>
        <Text className={`adm-card__balance-value ${a.balance < 0 ? 'is-negative' : ''}`} id='deposit-balance'>
          {yuan(a.balance)}
        </Text>
      </View>

      <View className='adm-card__sums'>
        <View className='adm-card__sum'>
          <Text className='adm-card__sum-label'>累计预交</Text>
          <Text className='adm-card__sum-value' id='total-deposited'>
            {yuan(a.totalDeposited)}
          </Text>
        </View>
        <View className='adm-card__sum'>
          <Text className='adm-card__sum-label'>已发生费用</Text>
          <Text className='adm-card__sum-value' id='total-charged'>
            {yuan(a.totalCharged)}
          </Text>
        </View>
        {a.totalRefunded > 0 ? (
          <View className='adm-card__sum'>
            <Text className='adm-card__sum-label'>已退款</Text>
            <Text className='adm-card__sum-value' id='total-refunded'>
              {yuan(a.totalRefunded)}
            </Text>
          </View>
        ) : null}
      </View>

      {a.lowBalance && a.status === 'active' ? (
        <View className='pay-warn' id='low-balance' ariaRole='alert'>
          <Text className='pay-warn__title'>余额不足 {yuan(a.lowBalanceThreshold)}</Text>
          <Text className='pay-warn__text'>请及时预交押金，以免影响治疗和用药。</Text>
        </View>
      ) : null}
    </View>
  );
}
