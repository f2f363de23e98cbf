import { ComingSoon } from '../../../../components/ComingSoon';

export default function HealthRecord() {
  return (
    <ComingSoon
      feature='健康档案'
      description='集中查看您的就诊记录、血压血糖等测量数据和用药计划。'
      meanwhile='目前请咨询您的家庭医生或社区卫生服务中心。'
    />
  );
}
