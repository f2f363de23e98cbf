import { useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import { AsyncView } from '../../../../components/AsyncView';
import { navigate, redirect, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { ORG_KIND_LABEL } from '../../logic/labels';
import '../../booking.css';

/** 挂号预约: choose a hospital, a community health centre or a remote station. */
export default function BookingEntry() {
  const { qr } = useRouteParams('booking');
  // Older links carried the scanned code here: open it the way a scan does.
  useEffect(() => {
    if (qr) void redirect('qrTarget', { code: qr });
  }, [qr]);
  const orgs = useApi(api.catalog.orgs);

  return (
    <View className='page booking'>
      <Text className='title'>选择医院或服务站</Text>
      <AsyncView state={orgs} isEmpty={(d) => d.items.length === 0} emptyText='暂无可预约的医院或服务站'>
        {(d) =>
          d.items.map((o) => (
            <View
              key={o.id}
              id={`org-${o.id}`}
              className='list-item org'
              hoverClass='btn--pressed'
              ariaRole='button'
              ariaLabel={o.name}
              onClick={() => navigate('bookingDepartments', { orgId: o.id })}
            >
              <View className='list-item__row'>
                <Text className='list-item__name'>{o.name}</Text>
                <Text className={`tag tag--${o.kind}`}>{ORG_KIND_LABEL[o.kind]}</Text>
              </View>
              <Text className='list-item__meta'>{o.level}</Text>
              <Text className='list-item__meta'>{o.address}</Text>
            </View>
          ))
        }
      </AsyncView>
    </View>
  );
}
