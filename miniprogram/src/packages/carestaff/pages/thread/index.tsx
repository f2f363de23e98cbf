import { ThreadPage } from '../../../../care/ThreadPage';
import { useRouteParams } from '../../../../navigation';

/** A resident's thread, answered by the team. */
export default function StaffThread() {
  const { contractId = '' } = useRouteParams('careStaffThread');
  return <ThreadPage side='team' contractId={contractId} className='care-staff-thread' />;
}
