import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { feeText } from '../../../../booking/text';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import '../../booking.css';

/** A department's doctors with title, specialty and the usual fee. Opened by a department QR code. */
export default function Doctors() {
  const { deptId = '' } = useRouteParams('bookingDoctors');
  const res = useApi(api.catalog.doctors, { params: { deptId } });

  return (
    <View className='page booking'>
      <AsyncView state={res} isEmpty={(d) => d.items.length === 0} emptyText='该科室暂无出诊医生'>
        {({ department, items }) => (
          <View>
            <View className='card header-card'>
              <Text className='header-card__name' id='dept-name'>
                {department.name}
              </Text>
              {department.floor ? <Text className='header-card__line'>位置：{department.floor}</Text> : null}
              {department.intro ? <Text className='header-card__line'>{department.intro}</Text> : null}
            </View>
            <Text className='subtitle'>选择医生</Text>
            {items.map((d) => (
              <View
                key={d.id}
                id={`doctor-${d.id}`}
                className='list-item doctor'
                hoverClass='btn--pressed'
                ariaRole='button'
                ariaLabel={`${d.name} ${d.title}`}
                onClick={() => navigate('bookingSchedules', { doctorId: d.id })}
              >
                <View className='list-item__row'>
                  <Text className='list-item__name'>
                    {d.name} <Text className='tag'>{d.title}</Text>
                  </Text>
                  <Text className='list-item__go'>挂号 ›</Text>
                </View>
                <Text className='list-item__meta'>擅长：{d.specialty}</Text>
                <Text className='list-item__meta'>挂号费：{feeText(d.fee)}</Text>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
