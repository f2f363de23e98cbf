import { ThreadPage } from '../../../../care/ThreadPage';
import { useRouteParams } from '../../../../navigation';

/** The resident's thread with their team. */
export default function Messages() {
  const { contractId = '' } = useRouteParams('careMessages');
  return <ThreadPage side='resident' contractId={contractId} className='care-messages' id='care-messages-page' />;
}
