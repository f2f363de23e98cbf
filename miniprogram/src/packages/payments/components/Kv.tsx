import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

/** One label / value line of a summary. */
export function Kv({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className='kv'>
      <Text className='kv__label'>{label}</Text>
      <Text className='kv__value' id={id}>
        {children}
      </Text>
    </View>
  );
}
