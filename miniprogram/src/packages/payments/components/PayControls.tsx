import { Text, View } from '@tarojs/components';
import { PAYMENT_CHANNEL_LABEL } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { describeError } from '../../../services/client';
import type { PayStep } from './usePay';

/** 支付方式: only where there is a choice (H5); in WeChat / Alipay the host's own is used. */
export function ChannelPicker({ pay }: { pay: PayStep }) {
  if (pay.channels.length < 2) return null;
  return (
    <View className='channels' ariaRole='radiogroup' ariaLabel='支付方式'>
      <Text className='channels__label'>支付方式</Text>
      <View className='channels__list'>
        {pay.channels.map((c) => {
          const on = c === pay.channel;
          return (
            <View
              key={c}
              id={`channel-${c}`}
              className={`chip-pay ${on ? 'chip-pay--on' : ''}`}
              ariaRole='radio'
              ariaLabel={`${PAYMENT_CHANNEL_LABEL[c]}${on ? '，已选择' : ''}`}
              onClick={() => pay.choose(c)}
            >
              <Text>{PAYMENT_CHANNEL_LABEL[c]}</Text>
              {on ? <Text className='chip-pay__mark'>已选</Text> : null}
            </View>
          );
        })}
      </View>
    </View>
  );
}

/** Why the payment did not start: a refused order (with 重试 on a network failure), or the cashier's word. */
export function PayProblem({ pay }: { pay: PayStep }) {
  if (pay.error) {
    const transient = pay.error.kind === 'offline' || pay.error.kind === 'network' || pay.error.status >= 500 || pay.error.status === 429;
    return (
      <View className={`pay-problem ${pay.error.offline ? 'async-offline' : 'async-error'}`} id='pay-error' ariaRole='alert'>
        <Text className='pay-problem__text'>{describeError(pay.error)}</Text>
        {transient ? (
          <Btn className='async-retry' busy={pay.busy} onTap={() => void pay.retry()}>
            重试
          </Btn>
        ) : null}
      </View>
    );
  }
  if (pay.note) {
    return (
      <View className='pay-problem pay-problem--note' id='pay-note' ariaRole='alert'>
        <Text className='pay-problem__text'>{pay.note}</Text>
      </View>
    );
  }
  return null;
}
