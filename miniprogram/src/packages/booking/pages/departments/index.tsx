import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { ORG_KIND_LABEL } from '../../logic/labels';
import '../../booking.css';

/** An organisation (or station) and its departments. Opened by the org/station QR codes. */
export default function Departments() {
  const { orgId = '' } = useRouteParams('bookingDepartments');
  const res = useApi(api.catalog.departments, { params: { orgId } });

  return (
    <View className='page booking'>
      <AsyncView state={res} isEmpty={(d) => d.items.length === 0} emptyText='该机构暂未开放预约的科室'>
        {({ org, items }) => (
          <View>
            <View className='card header-card'>
              <View className='list-item__row'>
                <Text className='header-card__name' id='org-name'>
                  {org.name}
                </Text>
                <Text className={`tag tag--${org.kind}`}>{ORG_KIND_LABEL[org.kind]}</Text>
              </View>
              <Text className='header-card__line'>{org.level}</Text>
              <Text className='header-card__line'>地址：{org.address}</Text>
              <Text className='header-card__line'>电话：{org.phone}</Text>
            </View>
            {org.kind === 'station' ? <Text className='hint'>{org.intro}</Text> : null}
            <Text className='subtitle'>选择科室</Text>
            {items.map((d) => (
              <View
                key={d.id}
                id={`dept-${d.id}`}
                className='list-item dept'
                hoverClass='btn--pressed'
                ariaRole='button'
                ariaLabel={d.name}
                onClick={() => navigate('bookingDoctors', { deptId: d.id })}
              >
                <View className='list-item__row'>
                  <Text className='list-item__name'>{d.name}</Text>
                  <Text className='list-item__go'>选择 ›</Text>
                </View>
                {d.floor ? <Text className='list-item__meta'>位置：{d.floor}</Text> : null}
                {d.intro ? <Text className='list-item__meta'>{d.intro}</Text> : null}
              </View>
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}
