import { ComingSoon } from '../../components/ComingSoon';

/** Tab 报告: lab and exam reports. Filled in by the reports issue. */
export default function Reports() {
  return (
    <ComingSoon
      feature='检查检验报告'
      description='在手机上查看化验单和检查报告，结果出来时提醒您。'
      meanwhile='目前请到医院自助机打印报告，或咨询门诊服务台。'
      showNav={false}
    />
  );
}
