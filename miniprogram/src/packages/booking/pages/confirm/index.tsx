import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { NO_SHOW_RULE_TEXT, type PatientView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { dateTime, hospitalDate, sessionLine } from '../../../../booking/calendar';
import { feeText } from '../../../../booking/text';
import { navigate, redirect, useRouteParams } from '../../../../navigation';
import { platform } from '../../../../platform';
import { api } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';
import { PersonList } from '../../components/PersonList';
import { Refusal } from '../../components/Refusal';
import { Row } from '../../components/Row';
import { takeAddedPatient } from '../../logic/added-patient';
import { contractedWith } from '../../logic/contracted';
import { liveState, placesNow, reservedOnly, sessionCard } from '../../logic/schedule';
import { templateIdsFor } from '../../logic/subscribe';
import '../../booking.css';

/**
 * The person to preselect: the one just added, else the one chosen before, else (when only
 * 签约居民优先号 are left) a contracted person, else 本人, else the first.
 */
function preselect(items: readonly PatientView[], current?: string, added?: string, prefer?: ReadonlySet<string>): string | undefined {
  for (const id of [added, current]) if (id && items.some((p) => p.id === id)) return id;
  return (items.find((p) => prefer?.has(p.id)) ?? items.find((p) => p.relation === 'self') ?? items[0])?.id;
}

/** Choose the person (就诊人) and confirm. Consent for reminders is asked on the tap, never required. */
export default function Confirm() {
  const { scheduleId = '' } = useRouteParams('bookingConfirm');
  const schedule = useApi(api.catalog.schedule, { params: { scheduleId } });
  const patients = useApi(api.patients.list, undefined, { refreshOnShow: true });
  const templates = useApi(api.notifications.templates);
  // 签约居民优先号: which people on the account are contracted with this doctor's team.
  const reserved = schedule.data ? placesNow(schedule.data).reserved : 0;
  const contracts = useApi(api.care.mine, undefined, { enabled: reserved > 0 });
  const book = useAction(api.booking.book);
  const [picked, setPicked] = useState<string | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const [needPerson, setNeedPerson] = useState(false);

  useDidShow(() => {
    const id = takeAddedPatient();
    if (id) setAdded(id);
  });

  const items = patients.data?.items ?? [];
  const entitledPeople = schedule.data ? contractedWith(contracts.data?.items ?? [], schedule.data.doctorId) : new Set<string>();
  const selected = preselect(items, picked, added, schedule.data && reservedOnly(schedule.data) ? entitledPeople : undefined);

  const onConfirm = async () => {
    if (!selected) {
      setNeedPerson(true);
      return;
    }
    // First thing in the tap: WeChat shows the consent sheet only for a tap. A refusal changes nothing.
    const ids = templateIdsFor(platform.name === 'alipay' ? templates.data?.alipay : templates.data?.wechat);
    if (ids.length) await platform.requestSubscribe(ids);
    const appointment = await book.run({ body: { scheduleId, patientId: selected } });
    if (appointment) await redirect('bookingResult', { appointmentId: appointment.id });
    else {
      // Refused (e.g. 号源已满): show the session as it is now, and bring the reason into view.
      schedule.retry();
      setTimeout(() => void Taro.pageScrollTo({ selector: '#refusal', duration: 300 }).catch(() => undefined), 100);
    }
  };

  return (
    <View className='page booking confirm'>
      <AsyncView state={schedule}>
        {(s) => {
          const card = sessionCard(s);
          const entitled = !!selected && entitledPeople.has(selected);
          const open = liveState(s) === 'open' || (entitled && reservedOnly(s));
          const places = placesNow(s);
          return (
            <View>
              <View className='card' id='confirm-summary'>
                <Text className='subtitle'>预约信息</Text>
                <Row label='医院'>{s.orgName}</Row>
                <Row label='科室'>{s.deptName}</Row>
                <Row label='医生'>
                  {s.doctorName} {s.doctorTitle}
                </Row>
                <Row label='时间' id='confirm-time'>
                  {sessionLine(s)}
                </Row>
                <Row label='挂号费' id='confirm-fee'>
                  {feeText(s.fee)}
                </Row>
                <Row label='剩余号源'>{liveState(s) === 'open' ? `${places.open} 个` : card.badge}</Row>
                {places.reserved ? (
                  <Row label='签约优先号' id='confirm-reserved'>
                    {`${places.reserved} 个，${dateTime(s.reservedUntil!)} 起向所有人开放`}
                  </Row>
                ) : null}
              </View>
              {places.reserved && entitled ? (
                <Text className='hint' id='confirm-entitled'>
                  该就诊人是{s.doctorName}医生团队的签约居民，优先使用签约居民号源。
                </Text>
              ) : null}

              {!open ? (
                <StatusBlock kind='session-unavailable' icon='!' title={card.badge} message={card.note ?? '请选择其他时段。'} />
              ) : null}

              <Text className='subtitle'>选择就诊人</Text>
              <AsyncView state={patients} isEmpty={(d) => d.items.length === 0} emptyText='还没有就诊人，请先添加'>
                {(d) => <PersonList items={d.items} selected={selected} onSelect={(id) => (setPicked(id), setAdded(undefined), setNeedPerson(false))} />}
              </AsyncView>
              {needPerson ? <Text className='error-text'>请先选择或添加就诊人</Text> : null}
              {patients.data && patients.data.items.length >= patients.data.max ? (
                <Text className='muted'>每个账户最多{patients.data.max}位就诊人。</Text>
              ) : (
                <Btn id='add-patient' onTap={() => navigate('patientForm')}>
                  + 添加就诊人
                </Btn>
              )}

              {s.fee > 0 ? (
                <Text className='hint'>提交后需在规定时间内支付挂号费 {feeText(s.fee)}，逾期号源自动释放。</Text>
              ) : (
                <Text className='hint'>本时段免费，提交后即预约成功。</Text>
              )}
              <Text className='muted'>
                就诊当天到院后请在“我的预约”中签到。{s.date === hospitalDate() ? '' : `可在 ${dateTime(s.cancelCutoffAt)} 前取消。`}
                {NO_SHOW_RULE_TEXT}
              </Text>

              {book.error ? <Refusal error={book.error} onRetry={() => void book.retry()} onRefresh={schedule.retry} /> : null}
              <Btn kind='primary' id='confirm-book' disabled={!open || !patients.data} busy={book.loading} onTap={onConfirm}>
                {s.fee > 0 ? `确认挂号（${feeText(s.fee)}）` : '确认挂号'}
              </Btn>
            </View>
          );
        }}
      </AsyncView>
    </View>
  );
}
