import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

/** One label / value line of a summary card. */
export function Row({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className='row'>
      <Text className='row__label'>{label}</Text>
      <Text className='row__value' id={id}>
        {children}
      </Text>
    </View>
  );
}
