import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { useCareLive } from '../../../../care/live';
import '../../../../care/care.css';
import { navigate } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { ContractCard } from '../../components/ContractCard';

/** 家庭医生: my family's contracts (cards with the team's contacts), messages, and 服药督导. */
export default function FamilyDoctor() {
  return <RequireLogin reason='登录后可以签约家庭医生、给团队留言、查看服药督导'>{() => <Home />}</RequireLogin>;
}

function Home() {
  const contracts = useApi(api.care.mine, undefined, { refreshOnShow: true });
  const threads = useApi(api.messages.myThreads, undefined, { refreshOnShow: true });
  useCareLive(() => {
    contracts.retry();
    threads.retry();
  }, ['care.message', 'care.contract']);
  const unread = new Map((threads.data?.items ?? []).map((t) => [t.contractId, t.unread]));

  return (
    <View className='page care-home' id='care-home'>
      <Text className='title'>家庭医生</Text>
      <AsyncView
        state={contracts}
        isEmpty={(d) => d.items.length === 0}
        emptyText='您和家人还没有签约家庭医生'
        emptyAction={
          <Btn kind='primary' id='care-sign-first' onTap={() => navigate('careSign')}>
            签约家庭医生
          </Btn>
        }
      >
        {(d) => (
          <View>
            {d.items.map((c) => (
              <ContractCard key={c.id} c={c} unread={unread.get(c.id) ?? 0} />
            ))}
            <Btn id='care-sign' onTap={() => navigate('careSign')}>
              为家人签约
            </Btn>
          </View>
        )}
      </AsyncView>

      <Text className='subtitle'>服药督导</Text>
      <View className='care-menu' id='care-medication' hoverClass='btn--pressed' ariaRole='button' onClick={() => navigate('careMedication')}>
        <View className='care-menu__text'>
          <Text className='care-menu__title'>我的服药计划</Text>
          <Text className='muted'>今天的服药、服药记录和依从率</Text>
        </View>
        <Text className='care-go'>查看 ›</Text>
      </View>
      <View className='care-menu' id='care-supervise' hoverClass='btn--pressed' ariaRole='button' onClick={() => navigate('careSupervise')}>
        <View className='care-menu__text'>
          <Text className='care-menu__title'>我督导的家人</Text>
          <Text className='muted'>接受督导邀请，确认家人每次服药</Text>
        </View>
        <Text className='care-go'>查看 ›</Text>
      </View>
    </View>
  );
}
