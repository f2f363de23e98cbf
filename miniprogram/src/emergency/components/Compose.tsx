import { useEffect, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { accuracyText, api, Complaint, COMPLAINT_LABEL, isCallerPhone, type CreateEmergencyRequest } from '@hospital/shared';
import { Btn } from '../../components/Btn';
import { useApi } from '../../services/useApi';
import type { Session } from '../../services/session';
import { call120 } from '../logic/sos';
import { useLocation } from '../logic/useLocation';

export interface ComposeProps {
  session: Session | null;
  /** Field messages from a refusal of the last press. */
  refused?: { message: string; fields: { path: string; message: string }[] };
  onPress: (body: CreateEmergencyRequest) => Promise<void> | void;
  /** Opened from the home card: press at once (the position if one comes within 3 s, else without). */
  pressNow?: boolean;
}

const COMPLAINTS = Complaint.options;

/**
 * Before pressing: one big button first — it sends the position and the time at once; what
 * happened, the number to call back, who it concerns and where in words are all optional here and
 * can be added after the press (Tracking).
 */
export function Compose({ session, refused, onPress, pressNow }: ComposeProps) {
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

  // From the home card: pressed once, at once.
  const autoPressed = useRef(false);
  useEffect(() => {
    if (!pressNow || autoPressed.current) return;
    autoPressed.current = true;
    void press();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pressNow]);

  const toggle = (c: Complaint) => setComplaints((cs) => (cs.includes(c) ? cs.filter((x) => x !== c) : [...cs, c]));

  const press = async () => {
    if (busy) return;
    const e: Record<string, string> = {};
    const p = phone.trim();
    // A number typed wrong is said now; no number at all never holds the press.
    if (p && !isCallerPhone(p)) e.phone = '请填写能回拨的电话号码（境外号码请加国家代码，如 +44）';
    setBusy(true);
    try {
      // A fix still coming is worth a few seconds; without one the press goes all the same.
      const fix = location.location ?? (location.locating ? await location.whenSettled(3000) : undefined);
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
        <Text className='sos-button__hint'>按下即把位置发给 120，其他信息可稍后补充</Text>
      </View>
      {errors.form ? <Text className='error-text' id='sos-form-error'>{errors.form}</Text> : null}

      <Btn kind='danger' id='sos-call-120' onTap={call120} label='拨打急救电话 120'>
        直接拨打 120
      </Btn>

      <View className='card'>
        <Text className='sos-section'>回拨电话</Text>
        <Input id='sos-phone' className='field__input' type='text' value={phone} maxlength={24} placeholder={isPatient ? '留空则使用就诊人的手机号' : '手机号；境外号码请加 +国家代码（可稍后补充）'} onInput={(ev) => setPhone(ev.detail.value)} />
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
            已定位，{accuracyText(location.location.accuracy)}
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
