import { Text, View } from '@tarojs/components';
import { RELATION_LABEL, type PatientView } from '@hospital/shared';

/** 就诊人 to choose from: name, relation, masked ID and phone. */
export function PersonList({ items, selected, onSelect }: { items: readonly PatientView[]; selected?: string; onSelect: (id: string) => void }) {
  return (
    <View id='patients'>
      {items.map((p) => {
        const on = p.id === selected;
        return (
          <View
            key={p.id}
            id={`patient-${p.id}`}
            className={`person ${on ? 'person--selected' : ''}`}
            ariaRole='radio'
            ariaLabel={`${p.name} ${RELATION_LABEL[p.relation]}${on ? ' 已选择' : ''}`}
            onClick={() => onSelect(p.id)}
          >
            <View className='person__mark' />
            <View className='person__body'>
              <Text className='person__name'>
                {p.name} <Text className='tag'>{RELATION_LABEL[p.relation]}</Text>
              </Text>
              <Text className='person__meta person__id'>身份证 {p.idNumberMasked}</Text>
              <Text className='person__meta'>手机 {p.phoneMasked}</Text>
              {p.bookingPausedUntil ? (
                <Text className='person__meta error-text' id={`patient-paused-${p.id}`}>
                  因多次爽约，{p.bookingPausedUntil} 前暂停网上预约
                </Text>
              ) : null}
            </View>
            {on ? <Text className='list-item__go'>已选择</Text> : null}
          </View>
        );
      })}
    </View>
  );
}
