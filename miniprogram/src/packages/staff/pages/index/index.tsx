import { ComingSoon } from '../../../../components/ComingSoon';

export default function StaffHome() {
  return (
    <ComingSoon
      feature='医护工作台'
      description='医生、护士、收费员和调度员的工作页面：叫号、收费、急救调度。'
      meanwhile='各项工作台会随对应功能一起上线。'
    />
  );
}
