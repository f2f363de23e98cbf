import { Text, View } from '@tarojs/components';
import { ComingSoon } from '../../../../components/ComingSoon';
import { useRouteParams } from '../../../../navigation';

/** 挂号预约 entry: org → department → doctor → session (booking issue). Opened by QR codes too. */
export default function BookingEntry() {
  const { qr } = useRouteParams('booking');
  return (
    <ComingSoon
      feature='挂号预约'
      description='选择医院或服务站、科室和医生，预约就诊时间。'
      meanwhile={
        qr ? (
          <View id='booking-qr'>
            <Text>已识别您扫描的二维码（编号 {qr}）。挂号功能上线后，扫码将直接打开对应的科室或医生。</Text>
          </View>
        ) : (
          '目前请到医院挂号窗口或自助机挂号。'
        )
      }
    />
  );
}
