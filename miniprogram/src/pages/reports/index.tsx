import { View } from '@tarojs/components';
import { Btn } from '../../components/Btn';
import { RequireLogin } from '../../components/RequireLogin';
import { StatusBlock } from '../../components/StatusBlock';
import { ReportsBrowser } from '../../components/reports/ReportsBrowser';
import { navigate } from '../../navigation';

/** Tab 报告: the lab and exam reports of the people on the account. */
export default function Reports() {
  return (
    <View className='page reports-tab'>
      <RequireLogin reason='登录后可查看您和家人的检查检验报告'>
        {(session) =>
          session.user.roles.includes('patient') ? (
            <ReportsBrowser />
          ) : (
            <StatusBlock kind='reports-staff' icon='i' title='医护人员' message='患者授权给您的报告和档案在“医护工作台 → 共享给我的患者”中查看。'>
              <Btn kind='primary' id='reports-staff-shared' onTap={() => navigate('staffShared')}>
                共享给我的患者
              </Btn>
            </StatusBlock>
          )
        }
      </RequireLogin>
    </View>
  );
}
