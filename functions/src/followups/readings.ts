/**
 * EXTENSION POINT — the resident's latest kiosk readings for a follow-up (blood pressure, heart
 * rate, glucose, BMI), from the devices feature's store. To add a sign, add its LOINC code here;
 * to read from another source (a regional platform), replace this one function. The caller has
 * already authorised and audited the read (scope `readings`).
 */
import { formatReading, SEVERITY_LABEL, signName, VitalCodes, type ReadingSummary } from '@hospital/shared';
import { latestOf } from '../devices/store';

const FOLLOW_UP_SIGNS = [VitalCodes.bpPanel, VitalCodes.heartRate, VitalCodes.glucose, VitalCodes.bmi];

/** null when the resident has no kiosk readings at all. */
export async function latestReadings(patientId: string): Promise<ReadingSummary[] | null> {
  const rows = (await Promise.all(FOLLOW_UP_SIGNS.map((code) => latestOf(patientId, code)))).filter((r) => !!r);
  if (rows.length === 0) return null;
  return rows.map((r) => ({
    code: r.code,
    name: r.label || signName(r.code),
    value: formatReading(r),
    unit: r.unit ?? '',
    at: r.effectiveAt,
    ...(r.severity && r.severity !== 'normal' ? { alert: SEVERITY_LABEL[r.severity] } : {}),
  }));
}
