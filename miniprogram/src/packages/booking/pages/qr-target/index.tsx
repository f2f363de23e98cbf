import { useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import type { QrView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { destinationOf } from '../../../../launch-handler';
import { navigate, redirect, relaunch, useRouteParams } from '../../../../navigation';
import type { RouteName } from '../../../../routes';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../booking.css';

/** Kiosk and ward-bed codes: what they are for, and what the person can do here meanwhile. */
function Explained({ view }: { view: QrView }) {
  const t = view.target;
  if (t.kind === 'kiosk') {
    return (
      <View id='qr-kiosk'>
        <StatusBlock
          kind='qr-feature-soon'
          icon='i'
          title='健康一体机'
          message={`${view.label}：在手机上查看一体机测量结果的功能即将上线。测量后请按一体机屏幕提示操作。`}
        >
          <Btn kind='primary' id='qr-book-here' onTap={() => navigate('bookingDepartments', { orgId: view.org.id })}>
            在{view.org.name}挂号
          </Btn>
          <Btn id='qr-emergency' onTap={() => navigate('emergency')}>
            紧急求助
          </Btn>
        </StatusBlock>
      </View>
    );
  }
  if (t.kind === 'bed') {
    return (
      <View id='qr-bed'>
        <StatusBlock
          kind='qr-feature-soon'
          icon='i'
          title={`${t.ward}病区 ${t.bed}床`}
          message={`${view.org.name}。床旁服务（费用清单、出院结算）即将上线；住院押金可在手机上预交。`}
        >
          <Btn kind='primary' id='qr-deposit' onTap={() => navigate('inpatientDeposit')}>
            住院押金
          </Btn>
          <Btn id='qr-home' onTap={() => relaunch('home')}>
            返回首页
          </Btn>
        </StatusBlock>
      </View>
    );
  }
  return <StatusBlock kind='qr-opening' title='正在打开…' />;
}

/**
 * Where a printed code lands when it could not be opened directly: resolves it (with loading,
 * offline and retry), then opens its page; kiosk and ward-bed codes are explained here.
 */
export default function QrTarget() {
  const { code = '' } = useRouteParams('qrTarget');
  const res = useApi(api.qr.resolve, { params: { code } });
  const view = res.data;

  useEffect(() => {
    if (!view) return;
    const dest = destinationOf(view);
    if (dest.name !== 'qrTarget') void (redirect as (n: RouteName, ...p: unknown[]) => Promise<void>)(dest.name, ...dest.params);
  }, [view]);

  return (
    <View className='page booking qr-target'>
      {res.error?.status === 404 ? (
        <StatusBlock kind='qr-invalid' icon='!' title='二维码已失效' message='这个二维码不存在或已停用，请扫描医院张贴的最新二维码，或直接选择医院挂号。'>
          <Btn kind='primary' onTap={() => redirect('booking')}>
            选择医院挂号
          </Btn>
        </StatusBlock>
      ) : (
        <AsyncView state={res} loadingText='正在识别二维码…'>
          {(v) => (
            <View>
              <Text className='title'>{v.label}</Text>
              <Explained view={v} />
            </View>
          )}
        </AsyncView>
      )}
    </View>
  );
}
