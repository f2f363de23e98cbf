/**
 * Demo reports for 张建国 (demo-patient's own person): two earlier blood counts and an abdominal
 * ultrasound, so 报告查询 has a history and a trend. Stored through the same path a signed lab push
 * takes (parse → match → store); fixed identifiers and dates make a restart a no-op.
 */
import { HttpError } from '../functions/src/lib/errors';
import { storeReports } from '../functions/src/reports/ingest';
import { parseFhir } from '../functions/src/reports/ingest/fhir-in';
import { parseHl7 } from '../functions/src/reports/ingest/hl7-in';
import { CBC, fhirReport } from '../functions/src/reports/test-fixtures';
import { DEMO_PATIENTS } from './seed-catalog';

export async function seedReports(): Promise<string> {
  const zhang = DEMO_PATIENTS.find((p) => p.patientId === 'p-demo-zhang-jianguo');
  if (!zhang) return 'no demo reports';
  const who = { idNumber: zhang.idNumber, family: '张', given: '建国' };
  const cbc = (id: string, issued: string, wbc: number, neut: number) =>
    fhirReport({
      ...who,
      identifier: id,
      issued,
      values: CBC.map((v) => (v.code === '6690-2' ? { ...v, value: wbc, flag: wbc > v.high ? 'H' : 'N' } : v.code === '770-8' ? { ...v, value: neut, flag: neut > v.high ? 'H' : 'N' } : v)),
    });
  const reports = [
    ...parseFhir(cbc('DEMO-CBC-2025-03', '2025-03-10T10:05:00+08:00', 6.8, 62.4)).reports,
    ...parseFhir(cbc('DEMO-CBC-2025-06', '2025-06-15T09:40:00+08:00', 8.9, 71.0)).reports,
    ...parseHl7(
      [
        'MSH|^~\\&|PACS|TACH|HIS|TACH|20250616153000+0800||ORU^R01^ORU_R01|DEMO-US-1|P|2.5.1',
        `PID|1||${zhang.idNumber}^^^^NNCHN||张^建国||19650412|M`,
        'OBR|1||DEMO-US-2025-06^TACH-PACS|24558-9^腹部超声^LN|||20250616143000+0800|||||||||||||||20250616153000+0800||US|F',
        'OBX|1|TX|59776-5^检查所见^LN||肝脏大小形态正常，包膜光滑，实质回声均匀。~胆囊大小正常，壁毛糙，厚约0.4cm，腔内未见明显异常回声。~胰腺、脾脏、双肾未见明显异常。||||||F||||||||||||泰安市中心医院超声科',
        'OBX|2|TX|19005-8^诊断意见^LN||胆囊壁毛糙，请结合临床，建议半年后复查。||||||F||||||||||||泰安市中心医院超声科',
      ].join('\r'),
    ).reports,
  ];
  try {
    const r = await storeReports('city-lis', reports);
    return `${r.reports.filter((x) => x.outcome !== 'duplicate').length} new demo reports`;
  } catch (e) {
    // Data from an older seed with other content: keep it rather than fail the start.
    if (e instanceof HttpError && e.status === 409) return 'demo reports kept';
    throw e;
  }
}
