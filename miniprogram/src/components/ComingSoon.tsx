import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { relaunch, back } from '../navigation';
import { Btn } from './Btn';
import { StatusBlock } from './StatusBlock';

export interface ComingSoonProps {
  /** The service, e.g. 门诊缴费. */
  feature: string;
  /** What it will let the person do, in one plain sentence. */
  description: string;
  /** What to do meanwhile (e.g. 请到医院窗口缴费). */
  meanwhile?: ReactNode;
  /** Extra actions above the way back (e.g. 拨打 120, 去挂号). */
  children?: ReactNode;
  /** Tab pages have no "back": false hides 返回首页 / 返回上一页. */
  showNav?: boolean;
}

/**
 * The honest placeholder for a service that is not built yet: it says so, says what it will do
 * and what to do meanwhile, and offers the way back. Every unfinished page uses this one.
 */
export function ComingSoon({ feature, description, meanwhile, children, showNav = true }: ComingSoonProps) {
  return (
    <View className='page coming-soon-page'>
      <Text className='title coming-soon__feature'>{feature}</Text>
      <StatusBlock kind='coming-soon' icon='i' title='此功能即将上线' message={description}>
        {meanwhile ? (
          <View className='card coming-soon__meanwhile'>
            {typeof meanwhile === 'string' ? <Text>{meanwhile}</Text> : meanwhile}
          </View>
        ) : null}
        {children}
        {showNav ? (
          <>
            <Btn kind='primary' className='coming-soon__home' onTap={() => relaunch('home')}>
              返回首页
            </Btn>
            <Btn className='coming-soon__back' onTap={() => back()}>
              返回上一页
            </Btn>
          </>
        ) : null}
      </StatusBlock>
    </View>
  );
}
