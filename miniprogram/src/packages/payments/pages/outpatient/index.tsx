import { ComingSoon } from '../../../../components/ComingSoon';

export default function OutpatientPayment() {
  return (
    <ComingSoon
      feature='门诊缴费'
      description='在手机上查看并缴纳门诊费用，支持微信支付和支付宝。'
      meanwhile='目前请到医院收费窗口或自助机缴费。'
    />
  );
}
