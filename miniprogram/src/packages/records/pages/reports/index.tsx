import { ComingSoon } from '../../../../components/ComingSoon';

export default function ReportQuery() {
  return (
    <ComingSoon
      feature='报告查询'
      description='查看化验单和检查报告，结果出来时提醒您。'
      meanwhile='目前请到医院自助机打印报告。'
    />
  );
}
