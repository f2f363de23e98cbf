import { ComingSoon } from '../../../../components/ComingSoon';

export default function VideoVisit() {
  return (
    <ComingSoon
      feature='视频问诊'
      description='与医生视频通话看病，远程服务站可邀请上级医院专家会诊。'
      meanwhile='目前请到医院或服务站面诊。'
    />
  );
}
