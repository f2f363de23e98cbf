import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PACKAGE_KIND_LABEL, TEAM_ROLE_LABEL, type ContractView } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { contractStatusText, contractTone, dateText, dialable, priceText } from '../../../care/format';
import { Badge, Line } from '../../../care/widgets';
import { navigate } from '../../../navigation';

/** The contract as a card: who, which team and package, the term, and while active the team's contacts. */
export function ContractCard({ c, unread = 0, full = false }: { c: ContractView; unread?: number; full?: boolean }) {
  const active = c.status === 'active';
  return (
    <View className={`care-card${active ? ' care-card--active' : ''}`} id={`contract-${c.id}`}>
      <View className='care-card__head'>
        <Text className='care-card__name'>{c.patient.name}</Text>
        <Badge tone={contractTone(c.status)} id={`contract-status-${c.id}`}>
          {contractStatusText(c.status)}
        </Badge>
      </View>
      <Line>
        {c.team.name} · {c.team.orgName}
      </Line>
      <Line>
        {c.package.name}（{c.package.name === PACKAGE_KIND_LABEL[c.package.kind] ? '' : `${PACKAGE_KIND_LABEL[c.package.kind]}，`}
        {priceText(c.package.priceFen)}）
      </Line>
      {c.startDate && c.endDate ? (
        <Line>
          服务期：{dateText(c.startDate)} 至 {dateText(c.endDate)}
        </Line>
      ) : null}
      {c.status === 'pending' ? <Line>已提交，等待家庭医生团队审核。</Line> : null}
      {c.status === 'declined' && c.declineReason ? <Line>未通过原因：{c.declineReason}</Line> : null}
      {c.canRenew ? <Line>服务期即将结束，可以续约。</Line> : null}

      {active && full ? (
        <View className='care-contacts' id='contract-contacts'>
          <Text className='subtitle'>团队联系方式</Text>
          {c.contacts.map((m) => (
            <View className='care-contact' key={`${m.name}-${m.phone}`}>
              <View className='care-contact__who'>
                <Text>
                  {m.name}（{TEAM_ROLE_LABEL[m.role]}）
                </Text>
                <Text className='muted'>
                  {m.title} {m.phone}
                </Text>
                {m.doctorId ? (
                  <View className='care-contact__book' id={`contract-book-${m.doctorId}`} ariaRole='button' onClick={() => void navigate('bookingSchedules', { doctorId: m.doctorId! })}>
                    <Text>优先预约{m.name}医生门诊 ›</Text>
                  </View>
                ) : null}
              </View>
              <View className='care-contact__call' ariaRole='button' ariaLabel={`拨打${m.name}的电话`} onClick={() => void Taro.makePhoneCall({ phoneNumber: dialable(m.phone) }).catch(() => undefined)}>
                <Text>拨打</Text>
              </View>
            </View>
          ))}
        </View>
      ) : null}

      {active ? (
        <Btn kind={unread > 0 ? 'primary' : 'default'} id={`contract-messages-${c.id}`} onTap={() => navigate('careMessages', { contractId: c.id })}>
          {unread > 0 ? `留言（${unread}条未读）` : '给团队留言'}
        </Btn>
      ) : null}
      {!full ? (
        <Btn id={`contract-open-${c.id}`} onTap={() => navigate('careContract', { id: c.id })}>
          查看详情
        </Btn>
      ) : null}
    </View>
  );
}
