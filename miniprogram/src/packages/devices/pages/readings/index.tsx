/**
 * 健康监测: what the kiosks measured for a person on the account — the latest value of each sign,
 * alerts (a critical one offers 紧急求助 at once), and a trend per sign over 7/30/90 days.
 */
import { useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { SIGN_NAMES, TREND_SIGNS, VITALS, VitalCodes, type AlertView, type ReadingView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { PeopleView } from '../../../../components/PeopleView';
import { Btn } from '../../../../components/Btn';
import { PersonTabs } from '../../../../components/reports/PersonTabs';
import { usePeople } from '../../../../components/reports/usePeople';
import { navigate, useRouteParams } from '../../../../navigation';
import { api } from '../../../../services/api';
import { useApi } from '../../../../services/useApi';
import { SEVERITY_COLOR, severityText, when } from '../../components/format';
import { TrendChart } from '../../components/TrendChart';
import '../../../../components/reports/reports.css';
import '../../devices.css';

const PERIODS = [7, 30, 90] as const;
const unitOf = (code: string) => (code === VitalCodes.bpPanel ? 'mmHg' : (VITALS[code]?.display ?? ''));

function Latest({ items }: { items: ReadingView[] }) {
  return (
    <View className='card latest-card' id='latest-card'>
      <Text className='subtitle'>最近一次测量</Text>
      <View className='latest-grid'>
        {items.map((r) => (
          <View key={r.code} id={`latest-${r.code}`} className={`latest-item latest-item--${r.severity}`}>
            <Text className='latest-item__name'>{r.name}</Text>
            <Text className='latest-item__value'>{r.display}</Text>
            <Text className='latest-item__label' style={{ color: SEVERITY_COLOR[r.severity] }}>
              {r.severity === 'normal' ? r.label : `${r.label}·${severityText(r.severity)}`}
            </Text>
            <Text className='latest-item__when'>{when(r.effectiveAt)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

function Alerts({ items }: { items: AlertView[] }) {
  if (!items.length) return null;
  return (
    <View className='card alert-list' id='alert-list'>
      <Text className='subtitle'>异常提醒</Text>
      {items.slice(0, 10).map((a) => (
        <View key={a.id} className={`alert-item alert-item--${a.severity}`} ariaRole='alert'>
          <Text className='alert-item__badge' style={{ backgroundColor: SEVERITY_COLOR[a.severity] }}>
            {severityText(a.severity)}
          </Text>
          <Text className='alert-item__text'>
            {a.name} {a.display}（{a.label}）
          </Text>
          <Text className='alert-item__when'>{when(a.at)}</Text>
          {a.emergency ? (
            <View className='alert-item__sos'>
              <Text>危急值：如有胸痛、呼吸困难、意识不清等不适，请立即求助。</Text>
              <Btn kind='danger' className='alert-sos' onTap={() => void navigate('emergency')}>
                紧急求助
              </Btn>
            </View>
          ) : (
            <Text className='alert-item__advice'>请休息后复测；持续异常请及时就医或咨询家庭医生。</Text>
          )}
        </View>
      ))}
    </View>
  );
}

function Trend({ patientId, signs }: { patientId: string; signs: string[] }) {
  const [code, setCode] = useState<string>(signs[0] ?? VitalCodes.bpPanel);
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  // The period is fixed when chosen, so the query does not change on every render.
  const range = useMemo(() => {
    const to = Date.now();
    return { from: to - days * 86_400_000, to };
  }, [days, code]);
  const readings = useApi(api.devices.readings, { params: { patientId }, query: { code, from: new Date(range.from).toISOString() } });
  return (
    <View className='card trend' id='trend'>
      <Text className='subtitle'>变化趋势</Text>
      <View className='chips' ariaRole='tablist'>
        {signs.map((c) => (
          <View key={c} id={`sign-${c}`} className={`chip ${c === code ? 'chip--selected' : ''}`} ariaRole='tab' ariaLabel={`${SIGN_NAMES[c]}${c === code ? '，已选择' : ''}`} onClick={() => setCode(c)}>
            <Text>{SIGN_NAMES[c]}</Text>
          </View>
        ))}
      </View>
      <View className='chips'>
        {PERIODS.map((d) => (
          <View key={d} id={`period-${d}`} className={`chip ${d === days ? 'chip--selected' : ''}`} ariaRole='tab' onClick={() => setDays(d)}>
            <Text>近{d}天</Text>
          </View>
        ))}
      </View>
      <AsyncView state={readings} isEmpty={(r) => r.items.length === 0} emptyText={`近${days}天没有${SIGN_NAMES[code]}的测量`}>
        {(r) => {
          const last = r.items[r.items.length - 1];
          const worst = r.items.filter((i) => i.severity !== 'normal').length;
          return (
            <View>
              <TrendChart code={code} readings={r.items} from={range.from} to={range.to} unit={unitOf(code)} />
              <Text className='trend__summary' id='trend-summary'>
                近{days}天测量{r.items.length}次，最近一次 {last.display}（{last.label}）{worst ? `，其中${worst}次不在正常范围` : '，均在正常范围'}。
              </Text>
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}

export default function MyReadings() {
  const { patientId: wanted } = useRouteParams('myReadings');
  const { people, items, current, choose } = usePeople(wanted);
  const patientId = current?.id ?? '';
  const latest = useApi(api.devices.latest, { params: { patientId } }, { enabled: !!patientId, refreshOnShow: true });
  const alerts = useApi(api.devices.alerts, { params: { patientId } }, { enabled: !!patientId, refreshOnShow: true });
  return (
    <View className='page my-readings'>
      <PeopleView state={people}>
        {() => (
          <View>
            <PersonTabs items={items} current={patientId} onChoose={choose} />
            <Text className='reports-browser__who' id='readings-who'>
              {current?.name} 的健康监测
            </Text>
            <AsyncView state={alerts}>{(a) => <Alerts items={a.items} />}</AsyncView>
            <AsyncView
              state={latest}
              isEmpty={(l) => l.items.length === 0}
              emptyText='还没有一体机测量记录'
              emptyAction={<Text className='muted'>在服务站或社区中心的健康一体机上，用小程序扫一扫机身的二维码并选择就诊人，测量结果会自动出现在这里。</Text>}
            >
              {(l) => (
                <View>
                  <Latest items={l.items.filter((r) => r.code !== VitalCodes.ecgWaveform)} />
                  <Trend key={patientId} patientId={patientId} signs={TREND_SIGNS.filter((c) => l.items.some((r) => r.code === c))} />
                </View>
              )}
            </AsyncView>
          </View>
        )}
      </PeopleView>
    </View>
  );
}
