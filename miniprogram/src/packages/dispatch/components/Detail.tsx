import { useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import {
  accuracyText,
  api,
  COMPLAINT_LABEL,
  EMERGENCY_ACTION_LABEL,
  EMERGENCY_SEVERITY_LABEL,
  EMERGENCY_STATUS_SHORT,
  formatDistanceZh,
  nextEmergencyStatus,
  type ConsoleEmergencyView,
  type DispatcherAction,
  type DispatcherActionRequest,
  type EmergencySeverity,
  type RescueStationView,
} from '@hospital/shared';
import { DispatchMap } from './DispatchMap';
import { describeError } from '../../../services/api';
import { useAction } from '../../../services/useApi';
import Taro from '@tarojs/taro';
import { platform } from '../../../platform';
import { clock } from '../logic/console';

const ACTIONS: DispatcherAction[] = ['acknowledge', 'dispatch', 'arrive', 'close', 'false_alarm'];
const SEX = { male: '男', female: '女' } as const;

/** One request in full, and the dispatcher's actions on it. */
export function Detail({ detail, onChanged, stations = [] }: { detail: ConsoleEmergencyView; onChanged: (v: ConsoleEmergencyView) => void; stations?: RescueStationView[] }) {
  const act = useAction(api.emergency.act);
  const [note, setNote] = useState('');
  const [team, setTeam] = useState('');
  const [eta, setEta] = useState('');
  const [formError, setFormError] = useState<string>();
  /** 结束 / 误报 end the request: asked to confirm, with a reason the caller reads. */
  const [ending, setEnding] = useState<'close' | 'false_alarm'>();
  const [reason, setReason] = useState('');
  const d = detail;

  const run = async (action: DispatcherAction) => {
    setFormError(undefined);
    let body: DispatcherActionRequest;
    const n = note.trim() || undefined;
    if (action === 'dispatch') {
      const minutes = Number(eta);
      if (!team.trim()) return setFormError('请填写出车单位或车辆');
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 240) return setFormError('预计到达时间请填写 1–240 分钟');
      body = { action, team: team.trim(), etaMinutes: minutes, note: n };
    } else if (action === 'close' || action === 'false_alarm') {
      if (ending !== action) {
        setEnding(action);
        return;
      }
      const r = reason.trim();
      if (!r) return setFormError(action === 'close' ? '请填写结束原因（求助人可以看到）' : '请填写误报原因（求助人可以看到）');
      body = { action, reason: r, note: n };
    } else body = { action, note: n };
    const v = await act.run({ params: { emergencyId: d.id }, body });
    if (v) {
      setNote('');
      setReason('');
      setEnding(undefined);
      onChanged(v);
    }
  };

  return (
    <View className='dispatch-detail' id='dispatch-detail' data-id={d.id}>
      <View className='dispatch-detail__head'>
        <Text className={`dispatch-sev dispatch-sev--${d.severity}`}>{EMERGENCY_SEVERITY_LABEL[d.severity as EmergencySeverity]}</Text>
        <Text className='dispatch-detail__title'>{d.complaints.length ? d.complaints.map((c) => COMPLAINT_LABEL[c]).join('、') : '未说明情况'}</Text>
        <Text className={`dispatch-status dispatch-status--${d.status}`} id='dispatch-detail-status'>{EMERGENCY_STATUS_SHORT[d.status]}</Text>
      </View>
      {d.text ? <Text className='dispatch-detail__text'>“{d.text}”</Text> : null}

      <View className='dispatch-grid'>
        <View className='dispatch-box'>
          <Text className='dispatch-box__title'>求助人</Text>
          {d.phone ? (
            <View className='dispatch-phone' id='dispatch-phone' onClick={() => void Taro.makePhoneCall({ phoneNumber: d.phone! }).catch(() => undefined)}>
              <Text>电话 {d.phone}</Text>
            </View>
          ) : (
            <Text className='dispatch-warn' id='dispatch-phone'>尚未留下电话（已先发送位置）</Text>
          )}
          {d.foreignCaller ? (
            <Text className='dispatch-foreign' id='dispatch-foreign'>境外来电 · {d.phoneCountry?.label}</Text>
          ) : null}
          <Text>{d.caller.known ? '已登录用户' : '未登录（游客），请回拨核实'}{d.presses > 1 ? `，已按 ${d.presses} 次` : ''}</Text>
          {d.caller.patient ? (
            <Text id='dispatch-patient'>
              {d.caller.patient.name}，{SEX[d.caller.patient.sex]}，{d.caller.patient.age} 岁
            </Text>
          ) : null}
          <Text className='muted'>求助于 {clock(d.createdAt)}</Text>
        </View>

        <View className='dispatch-box dispatch-box--health' id='dispatch-health'>
          <Text className='dispatch-box__title'>健康摘要（已留痕）</Text>
          {d.healthSummary ? (
            <>
              <Text className='dispatch-allergy'>过敏：{d.healthSummary.allergies.join('、') || '无记录'}</Text>
              <Text>疾病：{d.healthSummary.conditions.join('、') || '无记录'}</Text>
              <Text>用药：{d.healthSummary.medications.join('、') || '无记录'}</Text>
              <Text>血型：{d.healthSummary.bloodType}</Text>
              {d.healthSummary.emergencyContacts.map((c) => (
                <Text key={c.phone}>
                  紧急联系人：{c.name}（{c.relation}）{c.phone}
                </Text>
              ))}
            </>
          ) : (
            <Text className='muted'>{d.healthSummaryNote ?? (d.caller.patient ? '—' : '未关联就诊人，无健康档案')}</Text>
          )}
        </View>
      </View>

      <View className='dispatch-box' id='dispatch-location'>
        <Text className='dispatch-box__title'>位置</Text>
        <DispatchMap
          sceneKey={`${d.id}:${d.location?.reported.capturedAt ?? ''}:${stations.length}`}
          scene={{
            caller: d.location ? { wgs84: d.location.wgs84, gcj02: d.location.gcj02, accuracy: d.location.reported.accuracy } : undefined,
            stations: stations.map((s) => ({ name: s.name, wgs84: s.wgs84, gcj02: s.gcj02 })),
            trail: [],
          }}
        />
        {d.location ? (
          <>
            <Text>
              {accuracyText(d.location.reported.accuracy)}，手机上报 {d.location.reported.coordSystem === 'gcj02' ? 'GCJ-02（小程序）' : 'WGS-84（GPS/浏览器）'}，定位于 {clock(d.location.reported.capturedAt)}
            </Text>
            <Text className='dispatch-coords' id='dispatch-wgs84'>WGS-84：{d.location.wgs84.lat.toFixed(6)}, {d.location.wgs84.lng.toFixed(6)}</Text>
            <Text className='dispatch-coords' id='dispatch-gcj02'>GCJ-02：{d.location.gcj02.lat.toFixed(6)}, {d.location.gcj02.lng.toFixed(6)}</Text>
            <View className='dispatch-links'>
              <View className='dispatch-link' id='dispatch-map-amap' onClick={() => platform.openLink(d.location!.mapLinks.amap)}>
                <Text>高德地图打开</Text>
              </View>
              <View className='dispatch-link' id='dispatch-map-osm' onClick={() => platform.openLink(d.location!.mapLinks.osm)}>
                <Text>OpenStreetMap</Text>
              </View>
            </View>
          </>
        ) : (
          <Text className='dispatch-warn'>没有定位{d.place ? `；求助人描述：${d.place}` : ''}{d.chosenStation ? `；选择的最近站点：${d.chosenStation.name}` : ''}</Text>
        )}
        {d.location && d.place ? <Text>求助人描述：{d.place}</Text> : null}
        {d.nearestStations.length ? (
          <View className='dispatch-table' id='dispatch-nearest'>
            {d.nearestStations.map((s, i) => (
              <View key={s.id} className='dispatch-table__row' id={`dispatch-nearest-${i}`}>
                <Text className='dispatch-table__name'>{s.name}</Text>
                <Text>{formatDistanceZh(s.distanceMeters)}</Text>
                <Text>求助人在站点{s.direction}方（{s.bearingDegrees}°）</Text>
                <Text className='muted'>{s.phone ?? ''}</Text>
              </View>
            ))}
          </View>
        ) : null}
      </View>

      {d.linked.length ? (
        <View className='dispatch-box dispatch-box--linked' id='dispatch-linked'>
          <Text className='dispatch-box__title'>同一号码的其他手机（{d.linked.length}）</Text>
          <Text className='muted'>另一台手机用同一号码求助，已关联到此单；它的位置和描述是它自己的，未改动上面求助人的信息。请回拨核实是谁、在哪里。</Text>
          {d.linked.map((l, i) => (
            <View key={l.id} className='dispatch-linked__item' id={`dispatch-linked-${i}`}>
              <Text className='dispatch-linked__head'>
                {clock(l.createdAt)} · {l.known ? '已登录用户' : '游客'} · {l.complaints.length ? l.complaints.map((c) => COMPLAINT_LABEL[c]).join('、') : '未说明情况'}
              </Text>
              {l.text ? <Text>“{l.text}”</Text> : null}
              {l.location ? (
                <Text className='dispatch-coords'>
                  WGS-84：{l.location.wgs84.lat.toFixed(6)}, {l.location.wgs84.lng.toFixed(6)}（{accuracyText(l.location.reported.accuracy)}）
                  {l.nearest ? ` · ${l.nearest.name} ${l.nearest.direction}方 ${formatDistanceZh(l.nearest.distanceMeters)}` : ''}
                </Text>
              ) : (
                <Text className='dispatch-warn'>没有定位{l.place ? `；描述：${l.place}` : ''}</Text>
              )}
              {l.timeline.slice(1).map((t, j) => (
                <Text key={`${t.at}-${j}`} className='muted'>
                  {clock(t.at)} {t.text}
                </Text>
              ))}
            </View>
          ))}
        </View>
      ) : null}

      <View className='dispatch-box' id='dispatch-actions'>
        <Text className='dispatch-box__title'>处置</Text>
        {d.dispatch ? (
          <Text id='dispatch-current'>
            已派：{d.dispatch.team}，预计 {clock(d.dispatch.eta)} 到达（{d.dispatch.etaMinutes} 分钟）
          </Text>
        ) : null}
        <View className='dispatch-form'>
          <View className='dispatch-form__field'>
            <Text>出车单位 / 车辆</Text>
            <Input id='dispatch-team' className='dispatch-input' value={team} maxlength={60} placeholder='如：泰山景区救援队' onInput={(e) => setTeam(e.detail.value)} />
          </View>
          <View className='dispatch-form__field dispatch-form__field--short'>
            <Text>预计到达（分钟）</Text>
            <Input id='dispatch-eta' className='dispatch-input' type='number' value={eta} maxlength={3} placeholder='15' onInput={(e) => setEta(e.detail.value)} />
          </View>
        </View>
        <Text>备注</Text>
        <Textarea id='dispatch-note' className='dispatch-input dispatch-textarea' value={note} maxlength={500} placeholder='处置说明（仅调度台可见）' onInput={(e) => setNote(e.detail.value)} />
        {ending ? (
          <View className='dispatch-confirm' id='dispatch-confirm' ariaRole='alertdialog'>
            <Text className='dispatch-confirm__title'>
              确认{EMERGENCY_ACTION_LABEL[ending]}这条求助？{ending === 'close' ? '结束后不能再派车。' : '求助人会看到此原因。'}
            </Text>
            <Textarea id='dispatch-reason' className='dispatch-input dispatch-textarea' value={reason} maxlength={500} placeholder='原因（必填，求助人可以看到）' onInput={(e) => setReason(e.detail.value)} />
            <View className='dispatch-buttons'>
              <View id='dispatch-confirm-ok' className={`dispatch-btn dispatch-btn--${ending}`} ariaRole='button' onClick={act.loading ? undefined : () => void run(ending)}>
                <Text>确认{EMERGENCY_ACTION_LABEL[ending]}</Text>
              </View>
              <View id='dispatch-confirm-cancel' className='dispatch-btn' ariaRole='button' onClick={() => (setEnding(undefined), setFormError(undefined))}>
                <Text>返回</Text>
              </View>
            </View>
          </View>
        ) : null}
        {formError || act.error ? <Text className='error-text' id='dispatch-error'>{formError ?? describeError(act.error)}</Text> : null}
        <View className='dispatch-buttons'>
          {ACTIONS.map((a) => {
            const allowed = nextEmergencyStatus(d.status, a) !== null;
            return (
              <View
                key={a}
                id={`dispatch-act-${a}`}
                className={`dispatch-btn dispatch-btn--${a} ${allowed && !act.loading ? '' : 'dispatch-btn--off'}`}
                ariaRole='button'
                ariaLabel={`${EMERGENCY_ACTION_LABEL[a]}${allowed ? '' : '（当前状态不可用）'}`}
                onClick={allowed && !act.loading ? () => void run(a) : undefined}
              >
                <Text>{EMERGENCY_ACTION_LABEL[a]}</Text>
              </View>
            );
          })}
        </View>
      </View>

      <View className='dispatch-box' id='dispatch-timeline'>
        <Text className='dispatch-box__title'>时间线</Text>
        {d.timeline.map((t, i) => (
          <View key={`${t.at}-${i}`} className='dispatch-timeline__row'>
            <Text className='dispatch-timeline__at'>{clock(t.at)}</Text>
            <Text>
              {t.text}
              {t.by ? `（${t.by}）` : ''}
              {t.note ? ` — 备注：${t.note}` : ''}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}
