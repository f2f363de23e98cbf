/**
 * 注销账户 (PIPL Art 47): what is removed, what the hospital must keep and for how long (and on
 * what basis), then type 注销 and confirm once more. On success the session ends here and the home
 * page opens.
 */
import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { relaunch } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { clearSession } from '../../../../services/session';
import { useAction } from '../../../../services/useApi';
import { DELETION_WORD, FINAL_CONFIRMATION, canConfirmDeletion, removedItems, retainedRows } from '../../logic/deletion';
import '../../privacy.css';

function Deletion() {
  const del = useAction(api.privacy.deleteAccount);
  const [typed, setTyped] = useState('');
  const ready = canConfirmDeletion(typed);

  const submit = async () => {
    if (!ready) return;
    const { confirm } = await Taro.showModal(FINAL_CONFIRMATION);
    if (!confirm) return;
    const r = await del.run({ body: { confirm: DELETION_WORD } });
    if (!r) return;
    clearSession();
    await Taro.showToast({ title: '账户已注销', icon: 'success', duration: 1500 });
    await relaunch('home');
  };

  return (
    <View>
      <View className='card' id='pv-deletion-removed'>
        <Text className='subtitle'>注销后将删除</Text>
        {removedItems().map((w) => (
          <Text key={w} className='pv-list__item'>
            · {w}
          </Text>
        ))}
        <Text className='pv-list__sub'>注销后您将退出登录，无法恢复。以后再使用，需要重新登录并添加就诊人。</Text>
      </View>
      <View className='card' id='pv-deletion-kept'>
        <Text className='subtitle'>医院依法保存的记录</Text>
        <Text className='pv-list__sub'>以下记录属于医院的病历和会计档案，注销后仍由医院保存，期满后删除或匿名化：</Text>
        {retainedRows().map((r) => (
          <View key={r.what} className='pv-list__item'>
            <Text className='pv-list__item'>
              · {r.what}：{r.period}
            </Text>
            <Text className='pv-list__sub'>依据：{r.basis}</Text>
          </View>
        ))}
      </View>
      <View className='hint'>
        <Text>有未完成的预约时无法注销，请先取消预约或等就诊结束。紧急求助无需账户，注销后仍可使用。</Text>
      </View>
      <View className='card pv-danger' id='pv-deletion-confirm'>
        <Text className='pv-field__label pv-danger__title'>请输入“{DELETION_WORD}”两个字确认</Text>
        <Input id='pv-deletion-input' className='field-input' value={typed} maxlength={10} placeholder={DELETION_WORD} onInput={(e) => setTyped(e.detail.value)} />
        {del.error ? (
          <Text className='error-text' id='pv-deletion-error'>
            {describeError(del.error)}
          </Text>
        ) : null}
        <Btn kind='danger' id='pv-deletion-submit' disabled={!ready} busy={del.loading} onTap={() => void submit()}>
          注销账户
        </Btn>
      </View>
    </View>
  );
}

export default function DeletionPage() {
  return (
    <View className='page pv-deletion-page'>
      <Text className='title'>注销账户</Text>
      <RequireLogin reason='登录后可注销您的账户'>{() => <Deletion />}</RequireLogin>
    </View>
  );
}
