import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './status.css';

export interface StatusBlockProps {
  /** Stable class for tests and styling: async-loading, async-error, async-offline, async-empty, coming-soon. */
  kind: string;
  /** A glyph in a circle: `!` something is wrong, `i` information. No emoji: older phones show boxes. */
  icon?: '!' | 'i';
  title: string;
  message?: ReactNode;
  children?: ReactNode;
}

/** The one look for "nothing to show yet": loading, empty, error, offline, coming soon. */
export function StatusBlock({ kind, icon, title, message, children }: StatusBlockProps) {
  return (
    <View className={`status ${kind}`} ariaRole='alert'>
      {icon ? (
        <View className={`status__icon status__icon--${icon === '!' ? 'alert' : 'info'}`}>
          <Text>{icon}</Text>
        </View>
      ) : null}
      <Text className='status__title'>{title}</Text>
      {message ? <Text className='status__message'>{message}</Text> : null}
      {children ? <View className='status__actions'>{children}</View> : null}
    </View>
  );
}
