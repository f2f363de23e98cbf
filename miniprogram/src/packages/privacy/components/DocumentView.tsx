import { Text, View } from '@tarojs/components';
import type { LegalDocument } from '../logic/documents';
import '../privacy.css';

/** One legal document, laid out for reading on a small phone: its version first, then each section. */
export function DocumentView({ doc }: { doc: LegalDocument }) {
  return (
    <View className='page pv-doc' id={`pv-doc-${doc.id}`}>
      <Text className='title'>{doc.title}</Text>
      <Text className='pv-doc__version' id='pv-doc-version'>
        版本：{doc.version}
      </Text>
      <View className='card'>
        <Text className='pv-doc__lead'>{doc.lead}</Text>
      </View>
      {doc.sections.map((s) => (
        <View key={s.heading} className='card pv-doc__section'>
          <Text className='pv-doc__heading'>{s.heading}</Text>
          {s.paragraphs.map((p, i) => (
            <Text key={i} className='pv-doc__para'>
              {p}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}
