import { useState } from 'react';
import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { addDaysTo, hospitalDate } from '../../../../booking/calendar';
import { Btn } from '../../../../components/Btn';
import { dateText } from '../../../../care/format';
import { Pill } from '../../../../care/widgets';
import '../../../../care/care.css';
import { redirect, useRouteParams } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction } from '../../../../services/useApi';

/** A request for the team to come home (行动不便、换药、采血…); the team schedules it and calls back. */
export default function HomeVisit() {
  const { contractId = '' } = useRouteParams('careHomeVisit');
  const today = hospitalDate();
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(addDaysTo(today, 1));
  const [slot, setSlot] = useState<'am' | 'pm'>('am');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const request = useAction(api.care.requestHomeVisit);
  const field = (name: string) => request.error?.fieldError(name);

  const submit = async () => {
    const v = await request.run({ params: { contractId }, body: { reason, preferredDate: date, slot, address, phone } });
    if (v) await redirect('careContract', { id: contractId });
  };

  return (
    <View className='page care-home-visit'>
      <Text className='care-label'>需要什么服务</Text>
      <Textarea id='visit-reason' className='care-textarea' value={reason} maxlength={200} placeholder='如：行动不便，需要测血压、换药' onInput={(e) => setReason(e.detail.value)} />
      {field('reason') ? <Text className='error-text'>{field('reason')}</Text> : null}

      <Text className='care-label'>希望上门的日期</Text>
      <Picker mode='date' value={date} start={today} end={addDaysTo(today, 30)} onChange={(e) => setDate(String(e.detail.value))}>
        <View className='care-input' id='visit-date'>
          <Text>{dateText(date)}</Text>
        </View>
      </Picker>
      <View className='care-row care-row--wrap'>
        <Pill id='visit-am' on={slot === 'am'} onTap={() => setSlot('am')}>
          上午
        </Pill>
        <Pill id='visit-pm' on={slot === 'pm'} onTap={() => setSlot('pm')}>
          下午
        </Pill>
      </View>

      <Text className='care-label'>上门地址</Text>
      <Input id='visit-address' className='care-input' value={address} maxlength={100} placeholder='街道、小区、楼号、门牌' onInput={(e) => setAddress(e.detail.value)} />
      {field('address') ? <Text className='error-text'>{field('address')}</Text> : null}

      <Text className='care-label'>联系电话</Text>
      <Input id='visit-phone' className='care-input' type='number' value={phone} maxlength={13} placeholder='团队会先打电话确认' onInput={(e) => setPhone(e.detail.value)} />
      {field('phone') ? <Text className='error-text'>{field('phone')}</Text> : null}

      {request.error && !request.error.fields.length ? <Text className='error-text'>{describeError(request.error)}</Text> : null}
      <Btn kind='primary' id='visit-submit' busy={request.loading} onTap={submit}>
        提交申请
      </Btn>
      <Text className='muted'>团队安排好时间后会通知您。紧急情况请拨打120。</Text>
    </View>
  );
}
