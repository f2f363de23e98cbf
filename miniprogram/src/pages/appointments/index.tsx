import { Btn } from '../../components/Btn';
import { ComingSoon } from '../../components/ComingSoon';
import { navigate } from '../../navigation';

/** Tab 预约: the person's appointments and queue. Filled in by the booking issue. */
export default function Appointments() {
  return (
    <ComingSoon
      feature='我的预约'
      description='查看挂号记录、取消预约、到院签到和候诊排队进度。'
      meanwhile='挂号预约上线后，您的预约会显示在这里。'
      showNav={false}
    >
      <Btn kind='primary' id='appointments-book' onTap={() => navigate('booking')}>
        去挂号
      </Btn>
    </ComingSoon>
  );
}
