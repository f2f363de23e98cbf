import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { describeError, type ApiError } from '../services/client';
import { navigate } from '../navigation';
import { currentPageUrl } from '../navigation';
import { consentPurposeOf } from '../services/consent';
import { Btn } from './Btn';
import { ConsentGate } from './ConsentGate';
import { StatusBlock } from './StatusBlock';

export interface AsyncState<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | null;
  offline: boolean;
  retry: () => void;
}

export interface AsyncViewProps<T> {
  state: AsyncState<T>;
  children: (data: T) => ReactNode;
  /** When true the empty state is shown instead of `children`. */
  isEmpty?: (data: T) => boolean;
  emptyText?: string;
  /** e.g. a button that leads to where the first item is created. */
  emptyAction?: ReactNode;
  loadingText?: string;
}

/**
 * The four states of anything loaded from the API, the same everywhere:
 * 加载中… / 网络不可用 + 重试 / error + 重试 / 暂无数据, else the content.
 * Stable classes for tests: .async-loading .async-offline .async-error .async-empty .async-retry
 */
export function AsyncView<T>({ state, children, isEmpty, emptyText, emptyAction, loadingText }: AsyncViewProps<T>) {
  const { data, loading, error, offline, retry } = state;

  if (error && data === undefined) {
    // 403 CONSENT_REQUIRED: the separate consent's text with 同意 (records it, reads again) / 暂不.
    const purpose = consentPurposeOf(error);
    if (purpose) return <ConsentGate purpose={purpose} onGranted={retry} />;
    const needsLogin = error.status === 401;
    if (needsLogin) {
      return (
        <StatusBlock kind='async-error async-login' icon='i' title='请先登录' message={describeError(error)}>
          <Btn kind='primary' className='async-login-btn' onTap={() => navigate('login', { next: currentPageUrl() })}>
            去登录
          </Btn>
        </StatusBlock>
      );
    }
    return (
      <StatusBlock
        kind={offline ? 'async-offline' : 'async-error'}
        icon='!'
        title={offline ? '网络不可用' : '加载失败'}
        message={describeError(error)}
      >
        <Btn kind='primary' className='async-retry' busy={loading} onTap={retry}>
          重试
        </Btn>
      </StatusBlock>
    );
  }

  if (data === undefined) {
    return <StatusBlock kind='async-loading' title={loadingText ?? '加载中…'} />;
  }

  return (
    <View className='async-content'>
      {error ? (
        <View className={`async-banner ${offline ? 'async-offline' : 'async-error'}`} ariaRole='alert'>
          <Text>{describeError(error)}</Text>
          <View className='async-banner__retry async-retry' ariaRole='button' onClick={retry}>
            <Text>重试</Text>
          </View>
        </View>
      ) : null}
      {isEmpty?.(data) ? (
        <StatusBlock kind='async-empty' icon='i' title={emptyText ?? '暂无数据'}>
          {emptyAction}
        </StatusBlock>
      ) : (
        children(data)
      )}
    </View>
  );
}
