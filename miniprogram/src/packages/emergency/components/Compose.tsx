import { useEffect, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { api, Complaint, COMPLAINT_LABEL, MOBILE_PATTERN, type CreateEmergencyRequest } from '@hospital/shared';
import { Btn } from '../../../components/Btn';
import { useApi } from '../../../services/useApi';
import type { Session } from '../../../services/session';
import { call120 } from '../logic/sos';
import { useLocation } from '../logic/useLocation';

export interface ComposeProps {
  session: Session | null;
  /** Field messages from a refusal of the last press. */
  refused?: { message: string; fields: { path: string; message: string }[] };
  onPress: (body: CreateEmergencyRequest) => Promise<void> | void;
}

const COMPLAINTS = Complaint.options;

/**
 * Before pressing: one big button, what happened (optional), the phone to call back, who it
 * concerns (logged in), and where — the fix and its accuracy, or words and the nearest station.
 */
export function Compose({ session, refused, onPress }: ComposeProps) {
  const location = useLocation();
  const isPatient = !!session?.user.roles.includes('patient');
  const people = useApi(api.patients.list, undefined, { enabled: isPatient });
  const [complaints, setComplaints] = useState<Complaint[]>([]);
  const [text, setText] = useState('');
  const [phone, setPhone] = useState('');
  const [patientId, setPatientId] = useState<string | undefined>();
  const [place, setPlace] = useState('');
  const [stationId, setStationId] = useState<string | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const needPlace = !location.location && !location.locating;
  const stations = useApi(api.emergency.stations, undefined, { enabled: needPlace });

  // The account holder themself by default.
  useEffect(() => {
    const self = people.data?.items.find((p) => p.relation === 'self');
    if (self && patientId === undefined) setPatientId(self.id);
  }, [people.data, patientId]);

  useEffect(() => {
    if (!refused) return;
    const byField: Record<string, string> = {};
    for (const f of refused.fields) byField[f.path.replace(/^body\./, '')] = f.message;
    setErrors(Object.keys(byField).length ? byField : { form: refused.message });
  }, [refused]);

  const toggle = (c: Complaint) => setComplaints((cs) => (cs.includes(c) ? cs.filter((x) => x !== c) : [...cs, c]));

  const press = async () => {
    if (busy) return;
    const e: Record<string, string> = {};
    const p = phone.trim();
    if (p && !MOBILE_PATTERN.test(p)) e.phone = '请填写11位手机号';
    if (!p && !(isPatient && patientId)) e.phone = '请填写手机号，调度员会回拨确认';
    setBusy(true);
    try {
      // A fix still coming is worth a few seconds; without one, words or a station will do.
      const fix = location.location ?? (location.locating ? await location.whenSettled(5000) : undefined);
      if (!fix && !place.trim() && !stationId) e.place = '无法获取定位，请填写您所在的位置或选择最近的服务站';
      setErrors(e);
      if (Object.keys(e).length) return;
      await onPress({
        location: fix,
        place: place.trim() || undefined,
        stationId,
        phone: p || undefined,
        complaints,
        text: text.trim() || undefined,
        patientId: isPatient && patientId ? patientId : undefined,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='sos-compose'>
      <View id='sos-button' className={`sos-button ${busy ? 'sos-button--busy' : ''}`} hoverClass='sos-button--pressed' ariaRole='button' ariaLabel='紧急求助，发送求助和位置' onClick={press}>
        <Text className='sos-button__text'>{busy ? '正在发送' : '紧急求助'}</Text>
        <Text className='sos-button__hint'>按下即把位置发给 120</Text>
      </View>
      {errors.form ? <Text className='error-text' id='sos-form-error'>{errors.form}</Text> : null}

      <Btn kind='danger' id='sos-call-120' onTap={call120} label='拨打急救电话 120'>
        直接拨打 120
      </Btn>

      <View className='card'>
        <Text className='sos-section'>回拨电话</Text>
        <Input id='sos-phone' className='field__input' type='number' value={phone} maxlength={11} placeholder={isPatient ? '留空则使用就诊人的手机号' : '11位手机号（必填）'} onInput={(ev) => setPhone(ev.detail.value)} />
        {errors.phone ? <Text className='error-text' id='sos-phone-error'>{errors.phone}</Text> : null}
        {isPatient && people.data?.items.length ? (
          <View className='choices' id='sos-people'>
            <Text className='field__label'>求助的是谁（调度员可看到其过敏史、病史）</Text>
            {people.data.items.map((p) => (
              <View key={p.id} id={`sos-person-${p.id}`} className={`choice ${patientId === p.id ? 'choice--selected' : ''}`} ariaRole='radio' ariaLabel={`${p.name}${patientId === p.id ? '，已选' : ''}`} onClick={() => setPatientId(p.id)}>
                <Text>{p.name}</Text>
              </View>
            ))}
            <View id='sos-person-none' className={`choice ${patientId === '' ? 'choice--selected' : ''}`} ariaRole='radio' ariaLabel={`其他人${patientId === '' ? '，已选' : ''}`} onClick={() => setPatientId('')}>
              <Text>其他人</Text>
            </View>
          </View>
        ) : null}
        {errors.patientId ? <Text className='error-text'>{errors.patientId}</Text> : null}
      </View>
      <View className='card sos-location' id='sos-location'>
        <Text className='sos-section'>我的位置</Text>
        {location.location ? (
          <Text id='sos-location-accuracy' className='sos-location__fix'>
            已定位，精度约 {Math.max(1, Math.round(location.location.accuracy))} 米
          </Text>
        ) : location.locating ? (
          <Text className='muted' id='sos-locating'>正在定位…</Text>
        ) : (
          <Text className='error-text' id='sos-location-error'>{location.error ?? '无法定位'}</Text>
        )}
        <Btn id='sos-location-refresh' onTap={location.refresh} busy={location.locating} label='重新定位'>
          刷新定位
        </Btn>
        {needPlace || place ? (
          <View className='field'>
            <Text className='field__label'>我在哪里（如：十八盘中段、红门售票处）</Text>
            <Input id='sos-place' className='field__input' value={place} maxlength={200} placeholder='描述您所在的位置' onInput={(ev) => setPlace(ev.detail.value)} />
          </View>
        ) : null}
        {needPlace && stations.data ? (
          <View className='choices' id='sos-stations'>
            <Text className='field__label'>离我最近的服务站</Text>
            {stations.data.items.map((s) => (
              <View key={s.id} id={`sos-station-${s.id}`} className={`choice ${stationId === s.id ? 'choice--selected' : ''}`} ariaRole='button' onClick={() => setStationId(stationId === s.id ? undefined : s.id)}>
                <Text>{s.name}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {errors.place ? <Text className='error-text' id='sos-place-error'>{errors.place}</Text> : null}
      </View>

      <View className='card'>
        <Text className='sos-section'>发生了什么（可不选）</Text>
        <View className='choices' id='sos-complaints'>
          {COMPLAINTS.map((c) => (
            <View key={c} id={`sos-complaint-${c}`} className={`choice ${complaints.includes(c) ? 'choice--selected' : ''}`} ariaRole='checkbox' ariaLabel={`${COMPLAINT_LABEL[c]}${complaints.includes(c) ? '，已选' : ''}`} onClick={() => toggle(c)}>
              <Text>{COMPLAINT_LABEL[c]}</Text>
            </View>
          ))}
        </View>
        <Textarea id='sos-text' className='field__input sos-textarea' value={text} maxlength={500} placeholder='补充说明（可不填）' onInput={(ev) => setText(ev.detail.value)} />
      </View>

    </View>
  );
}
