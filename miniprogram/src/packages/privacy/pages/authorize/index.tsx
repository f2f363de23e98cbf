/**
 * WeChat asked for the privacy agreement on a page without our popup (platform/privacy-prompts.ts
 * opens this page then): the same popup on a page of its own; answering goes back, and the call
 * that was held goes on (or fails, after 不同意). Leaving without an answer counts as 不同意.
 */
import { Text, View } from '@tarojs/components';
import { PrivacyPopup } from '../../../../components/PrivacyPopup';
import { back } from '../../../../navigation';
import '../../privacy.css';

export default function Authorize() {
  return (
    <View className='page pv-authorize-page'>
      <PrivacyPopup standalone onDone={() => void back()} />
      <Text className='muted'>如您已作出选择，请返回上一页继续。</Text>
    </View>
  );
}
