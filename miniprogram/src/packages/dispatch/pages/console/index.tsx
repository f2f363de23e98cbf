import { useCallback, useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import {
  accuracyText,
  api,
  COMPLAINT_LABEL,
  EMERGENCY_SEVERITY_LABEL,
  EMERGENCY_STATUS_SHORT,
  type ConsoleEmergencyListItem,
  type ConsoleEmergencyView,
  type EmergencySeverity,
  type FloodGroupView,
  DEFAULT_ESCALATE_AFTER_SECONDS,
  isEscalated,
} from '@hospital/shared';
import { useApi } from '../../../../services/useApi';
import { RequireLogin } from '../../../../components/RequireLogin';
import { StatusBlock } from '../../../../components/StatusBlock';
import { useRouteParams } from '../../../../navigation';
import { platform } from '../../../../platform';
import { call, describeError, type ApiError } from '../../../../services/api';
import { useLive, usePolling } from '../../../../services/live';
import type { Session } from '../../../../services/session';
import { toApiError } from '../../../../services/useApi';
import { Detail } from '../../components/Detail';
import { Floods } from '../../components/Floods';
import { afterAction, ago, arrivals, whereFrom } from '../../logic/console';
import '../../dispatch.css';

/**
 * 120 调度台: a desktop page. The list is pushed (role:dispatcher topic) and polled; a new
 * request beeps and flashes until it is opened. The detail is re-read only when the list shows
 * it changed, because each read of the health summary is audited. Suspected floods of anonymous
 * requests come after every request from a normal source, one collapsed group per source, and
 * never beep.
 */
export default function DispatchConsole() {
  return (
    <RequireLogin reason='调度台仅限 120 调度员登录使用'>
      {(session) =>
        session.user.roles.includes('dispatcher') ? (
          <Console session={session} />
        ) : (
          <StatusBlock kind='async-error' icon='!' title='无权使用调度台' message='此页面仅限 120 调度员使用。' />
        )
      }
    </RequireLogin>
  );
}

function Console({ session }: { session: Session }) {
  const params = useRouteParams('dispatchConsole');
  const [scope, setScope] = useState<'open' | 'recent'>('open');
  const [items, setItems] = useState<ConsoleEmergencyListItem[]>();
  const [floods, setFloods] = useState<FloodGroupView[]>([]);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string | undefined>(params.id);
  const [detail, setDetail] = useState<ConsoleEmergencyView>();
  const [detailError, setDetailError] = useState<ApiError | null>(null);
  const [fresh, setFresh] = useState<string[]>([]);
  // Sound is on by default; the browser lets it play after the first tap on the page (banner until then).
  const [sound, setSound] = useState(true);
  const [soundReady, setSoundReady] = useState(false);
  const [escalateAfter, setEscalateAfter] = useState(DEFAULT_ESCALATE_AFTER_SECONDS);
  const [now, setNow] = useState(Date.now());
  const escalatedSeen = useRef(new Set<string>());
  const stations = useApi(api.emergency.stations, undefined);
  const seen = useRef<Set<string> | null>(null);
  const soundRef = useRef(sound);
  soundRef.current = sound;

  const loadDetail = useCallback(async (id: string) => {
    try {
      const v = await call(api.emergency.detail, { params: { emergencyId: id } });
      setDetail(v);
      setDetailError(null);
    } catch (e) {
      setDetailError(toApiError(e));
    }
  }, []);

  const detailRef = useRef(detail);
  detailRef.current = detail;
  const loadList = useCallback(async () => {
    try {
      const r = await call(api.emergency.list, { query: { scope } });
      setItems(r.items);
      setFloods(r.floods);
      setEscalateAfter(r.escalateAfterSeconds);
      setListError(null);
      const a = arrivals(seen.current, r.items);
      seen.current = a.seen;
      if (a.fresh.length) {
        setFresh((f) => [...new Set([...f, ...a.fresh])]);
        if (soundRef.current) platform.alert();
      }
      // Re-read the open request only when it changed (every read of its summary is audited).
      const d = detailRef.current;
      const row = d && [...r.items, ...r.floods.flatMap((g) => g.members)].find((i) => i.id === d.id);
      if (row && row.updatedAt !== d.updatedAt) void loadDetail(row.id);
    } catch (e) {
      setListError(toApiError(e));
    }
  }, [scope, loadDetail]);

  useEffect(() => {
    void loadList();
  }, [loadList]);
  useEffect(() => {
    if (selected) void loadDetail(selected);
    else setDetail(undefined);
  }, [selected, loadDetail]);

  const live = useLive(session.accessToken, (m) => {
    if (m.type.startsWith('emergency.')) void loadList();
  });
  usePolling(() => void loadList(), live ? 10_000 : 3_000);

  // Escalation: a request waiting unacknowledged too long turns red and sounds (once as it crosses).
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const escalated = new Set((items ?? []).filter((i) => isEscalated(i, now, escalateAfter)).map((i) => i.id));
  useEffect(() => {
    const crossed = [...escalated].filter((id) => !escalatedSeen.current.has(id));
    crossed.forEach((id) => escalatedSeen.current.add(id));
    if (crossed.length && soundRef.current) platform.alert();
  });

  const open = (id: string) => {
    setSelected(id);
    setFresh((f) => f.filter((x) => x !== id));
  };

  const enableSound = () => {
    setSound(true);
    setSoundReady(true);
    platform.alert(); // this tap lets the browser play sound from now on
  };
  // Any first tap on the console is the one the browser needs before it plays sound.
  const firstTap = () => {
    if (soundReady) return;
    setSoundReady(true);
    if (soundRef.current) platform.alert();
  };

  return (
    <View className='dispatch' onClick={firstTap}>
      <View className='dispatch__bar'>
        <Text className='dispatch__title'>120 调度台</Text>
        <Text className='dispatch__who'>{session.user.name}</Text>
        <Text className={`dispatch__live ${live ? 'dispatch__live--on' : ''}`} id='dispatch-live'>
          {live ? '● 实时' : '○ 轮询中'}
        </Text>
        <View className={`dispatch__toggle ${sound ? 'dispatch__toggle--on' : ''}`} id='dispatch-sound' ariaRole='button' onClick={sound ? () => setSound(false) : enableSound}>
          <Text>{sound ? '提示音：开' : '开启提示音'}</Text>
        </View>
        <View className='dispatch__scope'>
          {(['open', 'recent'] as const).map((s) => (
            <View key={s} id={`dispatch-scope-${s}`} className={`dispatch__toggle ${scope === s ? 'dispatch__toggle--on' : ''}`} ariaRole='button' onClick={() => setScope(s)}>
              <Text>{s === 'open' ? '进行中' : '近24小时'}</Text>
            </View>
          ))}
        </View>
      </View>

      {sound && !soundReady && platform.name === 'h5' ? (
        <View className='dispatch-sound-banner' id='dispatch-sound-banner' ariaRole='button' onClick={enableSound}>
          <Text>提示音已开启：请点击页面任意处一次，浏览器才允许播放</Text>
        </View>
      ) : null}
      {escalated.size ? (
        <View className='dispatch-alert' id='dispatch-escalation' ariaRole='alert' onClick={() => open([...escalated][0])}>
          <Text>超过 {escalateAfter} 秒无人接警：{escalated.size} 条 — 点击处理</Text>
        </View>
      ) : null}
      {fresh.length ? (
        <View className='dispatch-alert' id='dispatch-alert' ariaRole='alert' onClick={() => open(fresh[0])}>
          <Text>新的求助 {fresh.length} 条 — 点击查看</Text>
        </View>
      ) : null}

      <View className='dispatch__body'>
        <View className='dispatch__list' id='dispatch-list'>
          {listError ? <Text className='error-text'>列表刷新失败：{describeError(listError)}（自动重试）</Text> : null}
          {!items ? <Text className='muted dispatch__empty'>加载中…</Text> : null}
          {items?.length === 0 && !floods.length ? <Text className='muted dispatch__empty' id='dispatch-empty'>目前没有进行中的求助</Text> : null}
          {items?.map((i) => (
            <View
              key={i.id}
              id={`dispatch-item-${i.id}`}
              className={`dispatch-item dispatch-item--sev${i.severity} ${fresh.includes(i.id) ? 'dispatch-item--new' : ''} ${escalated.has(i.id) ? 'dispatch-item--escalated' : ''} ${selected === i.id ? 'dispatch-item--selected' : ''}`}
              data-id={i.id}
              ariaRole='button'
              onClick={() => open(i.id)}
            >
              <View className='dispatch-item__row'>
                <Text className={`dispatch-sev dispatch-sev--${i.severity}`}>{EMERGENCY_SEVERITY_LABEL[i.severity as EmergencySeverity]}</Text>
                <Text className='dispatch-item__what'>{i.complaints.length ? i.complaints.map((c) => COMPLAINT_LABEL[c]).join('、') : '未说明情况'}</Text>
                <Text className={`dispatch-status dispatch-status--${i.status}`}>{EMERGENCY_STATUS_SHORT[i.status]}</Text>
                {escalated.has(i.id) ? <Text className='dispatch-escalated'>超时未接警</Text> : null}
              </View>
              <Text className='dispatch-item__where'>
                {i.nearest ? whereFrom(i.nearest) : i.chosenStation ? `${i.chosenStation.name}附近（无定位）` : i.place ? `无定位：${i.place}` : '无定位'}
              </Text>
              <Text className='dispatch-item__meta'>
                {ago(i.createdAt)} · {i.patientName ?? '游客'} · {i.phone ?? '未留电话'}
                {i.foreignCaller ? ` · 境外来电（${i.phoneCountry?.label ?? ''}）` : ''}
                {i.nearest || i.accuracy !== undefined ? ` · ${accuracyText(i.accuracy)}` : ''}
                {i.presses > 1 ? ` · 按了 ${i.presses} 次` : ''}
                {i.linkedCount ? ` · 另有 ${i.linkedCount} 台手机用同一号码求助` : ''}
              </Text>
            </View>
          ))}
          <Floods groups={floods} canDismiss={scope === 'open'} onOpen={open} onDismissed={() => void loadList()} />
        </View>

        <View className='dispatch__detail'>
          {detail && detail.id === selected ? (
            <Detail detail={detail} stations={stations.data?.items} onChanged={(v) => setDetail((old) => afterAction(old, v))} />
          ) : selected && detailError ? (
            <StatusBlock kind='async-error' icon='!' title='无法打开' message={describeError(detailError)} />
          ) : selected ? (
            <Text className='muted dispatch__empty'>加载中…</Text>
          ) : (
            <Text className='muted dispatch__empty'>从左侧选择一条求助</Text>
          )}
        </View>
      </View>
    </View>
  );
}
