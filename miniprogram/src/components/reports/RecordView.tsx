import { Text, View } from '@tarojs/components';
import type { HealthRecordView } from '@hospital/shared';
import { localDay } from './format';
import './reports.css';

const BLOOD = { A: 'A型', B: 'B型', AB: 'AB型', O: 'O型', unknown: '不详' } as const;
const RH = { positive: 'Rh阳性', negative: 'Rh阴性', unknown: '' } as const;
const SEVERITY = { mild: '轻度', moderate: '中度', severe: '严重' } as const;
const KIND = { allergy: '过敏', condition: '疾病诊断', medication: '用药', bloodType: '血型' } as const;

function Section({ title, id, lines, empty }: { title: string; id: string; lines: string[]; empty: string }) {
  return (
    <View className='card record-section' id={id}>
      <Text className='record-section__title'>{title}</Text>
      {lines.length ? lines.map((l, i) => <Text key={i} className='record-line'>{l}</Text>) : <Text className='record-empty'>{empty}</Text>}
    </View>
  );
}

/** A health record, read-only: the self-reported part and what doctors verified (with who and when). */
export function RecordView({ r }: { r: HealthRecordView }) {
  return (
    <View id='health-record'>
      <Section title='血型' id='record-blood' lines={r.bloodType === 'unknown' ? [] : [`${BLOOD[r.bloodType]} ${RH[r.rh]}`.trim()]} empty='未填写' />
      <Section title='过敏史' id='record-allergies' lines={r.allergies.map((a) => [a.substance, a.reaction, a.severity ? SEVERITY[a.severity] : ''].filter(Boolean).join('，'))} empty='无 / 未填写' />
      <Section title='慢性病' id='record-conditions' lines={r.conditions.map((c) => (c.since ? `${c.name}（${c.since}起）` : c.name))} empty='无 / 未填写' />
      <Section title='正在用药' id='record-medications' lines={r.medications.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join('，'))} empty='无 / 未填写' />
      <Section title='紧急联系人' id='record-contacts' lines={r.emergencyContacts.map((c) => `${c.name}（${c.relation}）${c.phone}`)} empty='未填写' />
      {r.notes ? <Section title='备注' id='record-notes' lines={[r.notes]} empty='' /> : null}
      <View className='card record-section' id='record-verified'>
        <Text className='record-section__title'>医生核实的记录</Text>
        {r.verified.length ? (
          r.verified.map((v) => (
            <View key={v.id} className='record-line'>
              <Text>
                {KIND[v.kind]}：{v.value}
                {v.detail ? `（${v.detail}）` : ''}
              </Text>
              <Text className='verified-tag'>医生核实</Text>
              <Text className='record-empty'>
                {v.verifiedByName} · {localDay(v.verifiedAt)}
              </Text>
            </View>
          ))
        ) : (
          <Text className='record-empty'>暂无。医生在诊疗中核实后会出现在这里，您不能修改。</Text>
        )}
      </View>
    </View>
  );
}

