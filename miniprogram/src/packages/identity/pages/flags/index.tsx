/**
 * 身份证号异常添加 (admin): ID numbers that three or more accounts have added — someone may be
 * guessing numbers to reach another person's records. Masked numbers only; the accounts stay
 * unverified until they prove the person, so nothing has leaked: this list is for follow-up.
 */
import { Text, View } from '@tarojs/components';
import { ID_NUMBER_FLAG_ACCOUNTS } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { whenText } from '../../../../payments/format';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../identity.css';

export default function IdentityFlags() {
  const list = useApi(api.identity.staffFlags, undefined, { refreshOnShow: true });
  return (
    <View className='page idv-flags' id='idv-flags-page'>
      <Text className='muted'>同一身份证号被 {ID_NUMBER_FLAG_ACCOUNTS} 个及以上账户添加时列在这里。这些账户在完成实名认证前看不到该就诊人的任何报告或账单。</Text>
      <AsyncView state={list} isEmpty={(d) => d.items.length === 0} emptyText='没有异常添加的身份证号' loadingText='正在读取…'>
        {(d) => (
          <View id='idv-flag-list'>
            {d.items.map((f) => (
              <View key={f.idNumberMasked + f.firstAt} className='card idv-flag'>
                <Text className='idv-flag__id'>{f.idNumberMasked}</Text>
                <Text className='muted'>
                  {f.accounts} 个账户添加 · 首次 {whenText(f.firstAt)} · 最近 {whenText(f.lastAt)}
                </Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
