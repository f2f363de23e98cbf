import { Text, View } from '@tarojs/components';
import { LEDGER_ENTRY_LABEL, PAYMENT_CHANNEL_LABEL, REFUND_STATUS_LABEL, type LedgerEntryView } from '@hospital/shared';
import { isMoneyIn, newestFirst, reversedNote, signedYuan, whenText, yuan } from './format';
import './payments.css';

/**
 * 费用明细: every deposit, charge, correction (冲红, money back like a deposit) and refund, newest
 * first, with the balance after each; a corrected charge says how much of it was reversed.
 */
export function Ledger({ entries }: { entries: readonly LedgerEntryView[] }) {
  if (entries.length === 0) {
    return (
      <View className='card' id='ledger'>
        <Text className='muted'>暂无押金和费用记录</Text>
      </View>
    );
  }
  return (
    <View className='card ledger' id='ledger'>
      {newestFirst(entries).map((e) => (
        <Entry key={e.seq} e={e} />
      ))}
    </View>
  );
}

function Entry({ e }: { e: LedgerEntryView }) {
  const reversed = reversedNote(e);
  return (
    <View className={`ledger-entry ledger-entry--${e.type}`} id={`ledger-${e.seq}`}>
      <View className='ledger-entry__row'>
        <Text className='ledger-entry__type'>{LEDGER_ENTRY_LABEL[e.type]}</Text>
        <Text className={`ledger-entry__amount ${isMoneyIn(e) ? 'is-in' : 'is-out'}`}>{signedYuan(e.amount)}</Text>
      </View>
      <Text className='ledger-entry__meta'>{e.description}</Text>
      <View className='ledger-entry__row'>
        <Text className='ledger-entry__meta'>
          {whenText(e.at)}
          {e.channel ? ` · ${PAYMENT_CHANNEL_LABEL[e.channel]}` : ''}
        </Text>
        <Text className='ledger-entry__meta'>余额 {yuan(e.balanceAfter)}</Text>
      </View>
      {e.refundStatus ? <Text className={`ledger-entry__refund refund--${e.refundStatus}`}>{REFUND_STATUS_LABEL[e.refundStatus]}</Text> : null}
      {reversed ? <Text className='ledger-entry__reversed'>{reversed}</Text> : null}
    </View>
  );
}
