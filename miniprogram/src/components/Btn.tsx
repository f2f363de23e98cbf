import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';

export interface BtnProps {
  children: ReactNode;
  onTap?: () => void;
  kind?: 'default' | 'primary' | 'danger';
  disabled?: boolean;
  /** Shows 请稍候… and ignores taps. */
  busy?: boolean;
  id?: string;
  className?: string;
  /** What a screen reader says, when the text alone is not enough. */
  label?: string;
}

/** A large, high-contrast button (a View: native buttons bring their own sizes and borders). */
export function Btn({ children, onTap, kind = 'default', disabled, busy, id, className, label }: BtnProps) {
  const inert = disabled || busy;
  const classes = ['btn', kind !== 'default' ? `btn--${kind}` : '', inert ? 'btn--disabled' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <View
      id={id}
      className={classes}
      hoverClass={inert ? 'none' : 'btn--pressed'}
      ariaRole='button'
      ariaLabel={label}
      onClick={inert ? undefined : onTap}
    >
      <Text>{busy ? '请稍候…' : children}</Text>
    </View>
  );
}
