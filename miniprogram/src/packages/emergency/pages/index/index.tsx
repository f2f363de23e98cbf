import Taro from '@tarojs/taro';
import { Btn } from '../../../../components/Btn';
import { ComingSoon } from '../../../../components/ComingSoon';

/**
 * 紧急求助. Until one-tap SOS (location + health summary to the 120 console) exists, this page
 * must still help: the phone call to 120 works on every target.
 */
export default function Emergency() {
  const call120 = () => {
    Taro.makePhoneCall({ phoneNumber: '120' }).catch(() => {
      Taro.showModal({ title: '请直接拨打', content: '请用手机直接拨打急救电话 120。', showCancel: false });
    });
  };
  return (
    <ComingSoon
      feature='紧急求助'
      description='一键求助，把您的位置和健康摘要发送给 120 调度中心。'
      meanwhile='一键求助尚未开通。遇到紧急情况，请立即拨打 120。'
    >
      <Btn kind='danger' id='emergency-call-120' onTap={call120} label='拨打急救电话 120'>
        拨打 120
      </Btn>
    </ComingSoon>
  );
}
