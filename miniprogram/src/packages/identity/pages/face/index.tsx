/**
 * WeChat/Alipay: Tencent FaceID's H5 page in a <web-view> (`verifyFace`, opened by the verify
 * page after `startFace`; the URL comes from storage, not the query, so it never gets mangled by
 * re-encoding). The FaceID H5 domain must be configured as a business domain (WeChat 业务域名 /
 * Alipay H5 域名白名单), or the web-view stays blank. The person comes back with 返回 and the
 * verify page asks the server for the result. H5 never opens this page: FaceID replaces the
 * whole window there (`platform/web-page.h5.ts`).
 */
import { useState } from 'react';
import { View, WebView } from '@tarojs/components';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { back, useRouteParams } from '../../../../navigation';
import { appStorage, pendingFace } from '../../logic/face';
import '../../identity.css';

export default function FaceWebView() {
  const { patientId = '' } = useRouteParams('verifyFace');
  const [pending] = useState(() => pendingFace(appStorage, patientId, Date.now()));
  if (!pending) {
    return (
      <View className='page idv-page'>
        <StatusBlock kind='idv-face-gone' icon='!' title='本次人脸识别已结束或已过期' message='请返回后重新发起人脸识别。'>
          <Btn kind='primary' id='idv-face-back' onTap={() => void back()}>
            返回
          </Btn>
        </StatusBlock>
      </View>
    );
  }
  return <WebView src={pending.url} />;
}
