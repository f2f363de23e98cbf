import { Text, View } from '@tarojs/components';
import { RELATION_LABEL, type PatientView } from '@hospital/shared';

/** One large tab per person on the account; the selected one is said in words, not only in colour. */
export function PersonTabs({ items, current, onChoose }: { items: readonly PatientView[]; current?: string; onChoose: (id: string) => void }) {
  if (items.length < 2) return null;
  return (
    <View className='person-tabs' ariaRole='tablist'>
      {items.map((p) => {
        const on = p.id === current;
        return (
          <View
            key={p.id}
            id={`person-${p.id}`}
            className={`person-tab ${on ? 'person-tab--on' : ''}`}
            ariaRole='tab'
            ariaLabel={`${p.name}${on ? '，已选择' : ''}`}
            onClick={() => onChoose(p.id)}
          >
            <Text className='person-tab__name'>{p.name}</Text>
            <Text className='person-tab__rel'>{on ? '已选择' : RELATION_LABEL[p.relation]}</Text>
          </View>
        );
      })}
    </View>
  );
}
