/**
 * 报告查询: a person's lab and exam reports, newest first, filtered by person and type. The 报告
 * tab and the 报告查询 page both show this; a report opens in the records subpackage.
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { ReportType } from '@hospital/shared';
import { AsyncView } from '../AsyncView';
import { PeopleView } from '../PeopleView';
import { Btn } from '../Btn';
import { isNotVerified, NotVerified } from '../NotVerified';
import { navigate } from '../../navigation';
import { api } from '../../services/api';
import { useApi } from '../../services/useApi';
import { PersonTabs } from './PersonTabs';
import { ReportCard } from './ReportCard';
import { usePeople } from './usePeople';
import './reports.css';

const TYPES: { key: 'all' | ReportType; text: string }[] = [
  { key: 'all', text: '全部' },
  { key: 'lab', text: '检验报告' },
  { key: 'exam', text: '检查报告' },
];

export function ReportsBrowser() {
  const { people, items, current, choose } = usePeople();
  const [type, setType] = useState<'all' | ReportType>('all');
  const patientId = current?.id;
  const reports = useApi(api.reports.mine, { query: { patientId: patientId ?? '', ...(type === 'all' ? {} : { type }) } }, { enabled: !!patientId, refreshOnShow: true });

  return (
    <View className='reports-browser'>
      <PeopleView state={people} addId='reports-add-patient'>
        {() => (
          <View>
            <PersonTabs items={items} current={patientId} onChoose={choose} />
            {current ? (
              <Text className='reports-browser__who' id='reports-who'>
                {current.name} 的报告
              </Text>
            ) : null}
            <View className='segmented' ariaRole='tablist'>
              {TYPES.map((t) => (
                <View
                  key={t.key}
                  id={`report-type-${t.key}`}
                  className={`segmented__item ${type === t.key ? 'segmented__item--on' : ''}`}
                  ariaRole='tab'
                  ariaLabel={`${t.text}${type === t.key ? '，已选择' : ''}`}
                  onClick={() => setType(t.key)}
                >
                  <Text>{t.text}</Text>
                </View>
              ))}
            </View>
            {patientId && isNotVerified(reports.error) ? (
              <NotVerified patientId={patientId} name={current?.name} ways={reports.error?.ways} />
            ) : (
              <AsyncView state={reports} isEmpty={(d) => d.items.length === 0} emptyText='暂无报告。检验科发布报告后，会在这里显示并通知您。'>
                {(d) => (
                  <View id='report-list'>
                    {d.items.map((r) => (
                      <ReportCard key={r.id} r={r} onOpen={() => navigate('reportDetail', { id: r.id, patientId: r.patientId })} />
                    ))}
                  </View>
                )}
              </AsyncView>
            )}
            {patientId ? (
              <View className='reports-browser__actions'>
                <Btn id='reports-share' onTap={() => navigate('shareRecords', { patientId })}>
                  分享给医生
                </Btn>
                <Btn id='reports-access-log' onTap={() => navigate('accessLog', { patientId })}>
                  谁查看过我的报告和档案
                </Btn>
              </View>
            ) : null}
          </View>
        )}
      </PeopleView>
    </View>
  );
}
