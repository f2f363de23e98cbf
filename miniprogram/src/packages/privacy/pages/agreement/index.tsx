import { AGREEMENT } from '../../logic/documents';
import { DocumentView } from '../../components/DocumentView';

/** 用户协议: static text (logic/documents.ts); readable without an account. */
export default function Agreement() {
  return <DocumentView doc={AGREEMENT} />;
}
