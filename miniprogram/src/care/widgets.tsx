/** Small inputs of the care pages: a selectable card, a checkbox row, a toggle pill, a status badge. */
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './care.css';

export function Choice({ id, selected, onTap, title, children }: { id?: string; selected: boolean; onTap: () => void; title: string; children?: ReactNode }) {
  return (
    <View
      id={id}
      className={`care-choice${selected ? ' care-choice--selected' : ''}`}
      hoverClass='btn--pressed'
      ariaRole='radio'
      ariaLabel={`${title}${selected ? '，已选' : ''}`}
      onClick={onTap}
    >
      <View className='care-row'>
        <Text className='care-choice__title'>{title}</Text>
        {selected ? <Text className='care-badge care-badge--ok'>已选</Text> : null}
      </View>
      {children}
    </View>
  );
}

export function Check({ id, on, onTap, children }: { id?: string; on: boolean; onTap: () => void; children: ReactNode }) {
  return (
    <View id={id} className={`care-check${on ? ' care-check--on' : ''}`} ariaRole='checkbox' ariaLabel={typeof children === 'string' ? children : undefined} onClick={onTap}>
      <View className='care-check__box'>
        <Text>{on ? '✓' : ''}</Text>
      </View>
      <Text>{children}</Text>
    </View>
  );
}

export function Pill({ id, on, onTap, children }: { id?: string; on: boolean; onTap: () => void; children: ReactNode }) {
  return (
    <View id={id} className={`care-pill${on ? ' care-pill--on' : ''}`} ariaRole='checkbox' onClick={onTap}>
      <Text>{children}</Text>
    </View>
  );
}

export function Badge({ tone, children, id }: { tone: 'ok' | 'wait' | 'off' | 'alert'; children: ReactNode; id?: string }) {
  return (
    <Text id={id} className={`care-badge care-badge--${tone}`}>
      {children}
    </Text>
  );
}

export function Line({ children, id }: { children: ReactNode; id?: string }) {
  return (
    <Text className='care-line' id={id}>
      {children}
    </Text>
  );
}
