import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { Btn } from '../../components/Btn';
import { StatusBlock } from '../../components/StatusBlock';
import { relaunch, useRouteParams } from '../../navigation';
import { openLaunchTarget, resolveOurLaunch } from '../../launch-handler';

/**
 * Where a printed QR code lands: `/qr?c=<code>` on H5 (customRoutes), and the page WeChat
 * (`q`) and Alipay (`qrCode`) are configured to open. It reads the code and moves on.
 */
export default function Qr() {
  const params = useRouteParams('qr');
  const [failed, setFailed] = useState<'unknown' | 'error' | null>(null);
  const key = JSON.stringify(params);

  useEffect(() => {
    const target = resolveOurLaunch(params);
    if (!target) {
      setFailed('unknown');
      return;
    }
    openLaunchTarget(target, 'redirect').catch(() => setFailed('error'));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return (
    <View className='page qr'>
      {failed ? (
        <StatusBlock
          kind='qr-invalid'
          icon='!'
          title={failed === 'unknown' ? '无法识别的二维码' : '打开失败'}
          message={
            failed === 'unknown' ? '这个二维码不是本院的，或已损坏。请扫描医院张贴的二维码。' : '请返回首页后重试。'
          }
        >
          <Btn kind='primary' id='qr-home' onTap={() => relaunch('home')}>
            返回首页
          </Btn>
        </StatusBlock>
      ) : (
        <StatusBlock kind='qr-opening' title='正在打开…' />
      )}
    </View>
  );
}
