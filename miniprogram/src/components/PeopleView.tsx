import type { ReactNode } from 'react';
import { navigate } from '../navigation';
import { AsyncView, type AsyncState } from './AsyncView';
import { Btn } from './Btn';
import { PeopleVerification, type VerifiablePerson } from './PersonVerification';

/**
 * The people on the account (就诊人), or the way to add the first one — the same empty state everywhere.
 * Above the page's own content: each person's 实名认证 state, with 去实名 for those not verified.
 */
export function PeopleView<T extends { items: readonly VerifiablePerson[] }>({ state, addId, children }: { state: AsyncState<T>; addId?: string; children: (data: T) => ReactNode }) {
  return (
    <AsyncView
      state={state}
      isEmpty={(d) => d.items.length === 0}
      emptyText='还没有就诊人'
      emptyAction={
        <Btn kind='primary' id={addId} onTap={() => navigate('patientForm')}>
          添加就诊人
        </Btn>
      }
    >
      {(d) => (
        <>
          <PeopleVerification items={d.items} />
          {children(d)}
        </>
      )}
    </AsyncView>
  );
}
