/**
 * The people on the account (就诊人) and which one the reports/record pages show. The choice is
 * remembered, so 报告查询, 健康档案 and the 报告 tab open on the same person.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { api } from '../../services/api';
import { useApi } from '../../services/useApi';

const KEY = 'records:patientId';

export function usePeople(initial?: string, enabled = true) {
  const people = useApi(api.patients.list, undefined, { refreshOnShow: true, enabled });
  const [chosen, setChosen] = useState<string | undefined>(() => initial || (Taro.getStorageSync(KEY) as string) || undefined);
  const items = people.data?.items ?? [];
  const current = items.find((p) => p.id === chosen) ?? items[0];
  const choose = (id: string) => {
    setChosen(id);
    Taro.setStorageSync(KEY, id);
  };
  return { people, items, current, choose };
}
