import { PRIVACY_POLICY } from '../../logic/documents';
import { DocumentView } from '../../components/DocumentView';

/** 隐私政策: static text (logic/documents.ts); readable without an account. */
export default function Policy() {
  return <DocumentView doc={PRIVACY_POLICY} />;
}
