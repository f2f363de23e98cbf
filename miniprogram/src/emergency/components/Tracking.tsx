import { useCallback, useEffect, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { api, Complaint, COMPLAINT_LABEL, isCallerPhone, type CallerEmergencyView } from '@hospital/shared';
import { Btn } from '../../components/Btn';
import { StatusBlock } from '../../components/StatusBlock';
import { describeError, type ApiError } from '../../services/api';
import { useAction, toApiError } from '../../services/useApi';
import { useLive, usePolling } from '../../services/live';
import { platform } from '../../platform';
import type { CurrentSos } from '../logic/outbox';
import { call120, clock, readEmergency, sosDevice } from '../logic/sos';

/**
 * After pressing: received, then each status the dispatcher sets, live (WebSocket on the
 * emergency's topic with the capability token) and by polling when the socket is down. Every
 * read and change carries this phone's device secret, which the token is bound to. A press that
 * was linked to another phone's open request for the same number (view `joined`) shows its own
 * press and the request's status only.
 */
export function Tracking({ current, onNew }: { current: CurrentSos; onNew: () => void }) {
  const [view, setView] = useState<CallerEmergencyView>();
  const [error, setError] = useState<ApiError | null>(null);
  const [detail, setDetail] = useState('');
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState<string>();
  const addDetails = useAction(api.emergency.addDetails);
  const cancel = useAction(api.emergency.cancel);
  const args = { params: { emergencyId: current.id }, bearer: current.accessToken, deviceSecret: sosDevice() };

  const load = useCallback(async () => {
    try {
      setView(await readEmergency(current));
      setError(null);
    } catch (e) {
      setError(toApiError(e));
    }
  }, [current]);

  useEffect(() => {
    void load();
  }, [load]);
  const live = useLive(current.accessToken, (m) => {
    if (m.data?.id === current.id) void load();
  });
  const open = view?.open !== false;
  usePolling(() => void load(), live ? 15_000 : 4_000, open);

  const sendDetail = async () => {
    const text = detail.trim();
    if (!text) return;
    const v = await addDetails.run({ ...args, body: { text } });
    if (v) {
      setView(v);
      setDetail('');
    }
  };

  const sendPhone = async () => {
    const p = phone.trim();
    if (!isCallerPhone(p)) return setPhoneError('请填写能回拨的电话号码（境外号码请加 +国家代码）');
    setPhoneError(undefined);
    const v = await addDetails.run({ ...args, body: { phone: p } });
    if (v) {
      setView(v);
      setPhone('');
    }
  };

  const sendComplaint = async (c: Complaint) => {
    const v = await addDetails.run({ ...args, body: { complaints: [c] } });
    if (v) setView(v);
  };

  // Pressed before a fix came (or without one): the position follows as soon as there is one.
  const located = useRef(false);
  useEffect(() => {
    if (!view || view.location || !view.open || located.current) return;
    located.current = true;
    platform
      .getEmergencyLocation()
      .then((l) => addDetails.run({ ...args, body: { location: { ...l, capturedAt: new Date().toISOString() } } }))
      .then((v) => v && setView(v))
      .catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view]);

  const sendLocation = async () => {
    try {
      // The SOS position: no consent or privacy dialog of ours first (PIPL Art 13(4)).
      const l = await platform.getEmergencyLocation();
      const v = await addDetails.run({ ...args, body: { location: { ...l, capturedAt: new Date().toISOString() } } });
      if (v) {
        setView(v);
        void Taro.showToast({ title: `位置已更新（约${Math.round(l.accuracy)}米）`, icon: 'none' });
      }
    } catch (e) {
      void Taro.showModal({ title: '无法定位', content: (e as Error).message, showCancel: false });
    }
  };

  const doCancel = async () => {
    const ok = await Taro.showModal({ title: '确定取消求助？', content: '取消后调度员不再派出救援。如仍感不适，请拨打 120。', confirmText: '取消求助', cancelText: '不取消' });
    if (!ok.confirm) return;
    const v = await cancel.run({ ...args, body: {} });
    if (v) setView(v);
  };

  if (!view) {
    if (error?.status === 401 || error?.status === 404) {
      return (
        <StatusBlock kind='async-error' icon='!' title='无法查看这次求助' message='求助凭证已失效。如仍需帮助，请拨打 120 或重新求助。'>
          <Btn kind='danger' onTap={call120}>拨打 120</Btn>
          <Btn onTap={onNew}>重新求助</Btn>
        </StatusBlock>
      );
    }
    return (
      <StatusBlock kind={error ? 'async-error' : 'async-loading'} title={error ? '正在重新连接…' : '求助已发出，正在获取状态…'} message={error ? describeError(error) : undefined}>
        <Btn kind='danger' id='sos-call-120' onTap={call120}>拨打 120</Btn>
      </StatusBlock>
    );
  }

  return (
    <View className='sos-tracking'>
      <View id='sos-status' className={`sos-status sos-status--${view.status}`} data-status={view.status} ariaRole='status'>
        <Text className='sos-status__text' id='sos-status-text'>{view.statusText}</Text>
        {view.dispatch && view.open ? (
          <Text className='sos-status__eta' id='sos-dispatch'>
            {view.dispatch.team} 已出发，预计 {clock(view.dispatch.eta)} 到达（约 {view.dispatch.etaMinutes} 分钟）
          </Text>
        ) : null}
        {view.status === 'received' && view.view !== 'joined' ? (
          <Text className='sos-status__hint'>{view.phoneMasked ? `请保持电话畅通，调度员会回拨 ${view.phoneMasked}` : '请在下方留下回拨电话，方便调度员联系您'}</Text>
        ) : null}
        {view.joinedNote ? (
          <Text className='sos-status__hint' id='sos-joined'>
            {view.joinedNote}
          </Text>
        ) : null}
        <Text className='sos-status__live' id='sos-live'>{live ? '● 实时更新' : '○ 自动刷新中'}</Text>
      </View>
      {error ? <Text className='error-text'>网络不佳：{describeError(error)}，稍后自动重试</Text> : null}

      <Btn kind='danger' id='sos-call-120' onTap={call120} label='拨打急救电话 120'>
        拨打 120
      </Btn>

      {view.open && !view.phoneMasked ? (
        <View className='card' id='sos-add-phone'>
          <Text className='sos-section'>留下回拨电话</Text>
          <Input id='sos-detail-phone' className='field__input' type='text' value={phone} maxlength={24} placeholder='手机号；境外号码请加 +国家代码' onInput={(ev) => setPhone(ev.detail.value)} />
          {phoneError ? <Text className='error-text' id='sos-detail-phone-error'>{phoneError}</Text> : null}
          <Btn kind='primary' id='sos-detail-phone-send' onTap={sendPhone} busy={addDetails.loading} disabled={!phone.trim()}>
            发送电话
          </Btn>
        </View>
      ) : null}

      {view.open ? (
        <View className='card'>
          <Text className='sos-section'>发生了什么</Text>
          <View className='choices' id='sos-detail-complaints'>
            {Complaint.options.map((c) => (
              <View key={c} id={`sos-detail-complaint-${c}`} className={`choice ${view.complaints.includes(c) ? 'choice--selected' : ''}`} ariaRole='button' ariaLabel={`${COMPLAINT_LABEL[c]}${view.complaints.includes(c) ? '，已发送' : ''}`} onClick={view.complaints.includes(c) ? undefined : () => void sendComplaint(c)}>
                <Text>{COMPLAINT_LABEL[c]}</Text>
              </View>
            ))}
          </View>
        </View>
      ) : null}

      {view.open ? (
        <View className='card'>
          <Text className='sos-section'>补充情况</Text>
          <Textarea id='sos-detail-text' className='field__input sos-textarea' value={detail} maxlength={500} placeholder='例如：左脚踝肿了，走不了路' onInput={(ev) => setDetail(ev.detail.value)} />
          {addDetails.error ? <Text className='error-text'>{describeError(addDetails.error)}</Text> : null}
          <Btn kind='primary' id='sos-detail-send' onTap={sendDetail} busy={addDetails.loading} disabled={!detail.trim()}>
            发送补充
          </Btn>
          <Btn id='sos-location-update' onTap={sendLocation} busy={addDetails.loading}>
            更新我的位置
          </Btn>
        </View>
      ) : (
        <Btn kind='primary' id='sos-new' onTap={onNew}>
          需要新的帮助
        </Btn>
      )}

      <View className='card'>
        <Text className='sos-section'>求助记录</Text>
        {view.complaints.length ? <Text className='muted'>情况：{view.complaints.map((c) => COMPLAINT_LABEL[c]).join('、')}</Text> : null}
        <View id='sos-timeline'>
          {view.timeline.map((t, i) => (
            <View key={`${t.at}-${i}`} className='sos-timeline__row'>
              <Text className='sos-timeline__at'>{clock(t.at)}</Text>
              <Text className='sos-timeline__text'>{t.text}</Text>
            </View>
          ))}
        </View>
      </View>

      {view.open && view.canCancel && view.status !== 'arrived' ? (
        <Btn id='sos-cancel' onTap={doCancel} busy={cancel.loading}>
          取消求助
        </Btn>
      ) : null}
      {cancel.error ? <Text className='error-text'>{describeError(cancel.error)}</Text> : null}
    </View>
  );
}
