import { ComingSoon } from '../../../../components/ComingSoon';

export default function InpatientDeposit() {
  return (
    <ComingSoon
      feature='住院押金'
      description='为住院的家人预交押金、查看余额和费用明细，出院时结算退款。'
      meanwhile='目前请到住院处窗口缴纳押金。'
    />
  );
}
