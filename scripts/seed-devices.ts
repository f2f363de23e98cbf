/**
 * Demo health kiosk: 南天门健康一体机 (`kiosk-taishan-01`, the printed code seeded with the
 * catalog) with a fixed local secret, and 30 days of readings for 张建国 so the trend charts
 * have a history. Idempotent: the kiosk profile is rewritten, readings have fixed ids.
 *
 * Local only: the secret is `DEMO_KIOSK_SECRET` (default below); a real kiosk gets its secret
 * from `POST /v1/kiosks` once.
 */
import { addDays, localDate, localIso, VitalCodes, gradeReading } from '@hospital/shared';
import { batchWrite, putKiosk, readingPut, type ReadingItem } from '../functions/src/devices/store';

export const DEMO_KIOSK = {
  kioskId: 'kiosk-taishan-01',
  orgId: 'org-taishan-station',
  orgName: '泰山南天门远程医疗工作站',
  label: '南天门健康一体机',
  secret: process.env.DEMO_KIOSK_SECRET ?? 'demo-kiosk-secret-taishan-01-local-only',
};

const PATIENT = 'p-demo-zhang-jianguo';

export async function seedDevices(): Promise<string> {
  const { secret, ...k } = DEMO_KIOSK;
  await putKiosk({ ...k, qrCode: k.kioskId, secrets: [{ id: 's-demo', value: secret, createdAt: '2026-01-01T00:00:00.000Z' }], createdAt: '2026-01-01T00:00:00.000Z' }, true);

  // A morning reading every other day for 30 days: blood pressure drifting around grade 1, pulse, glucose, weight.
  const today = localDate();
  const items: ReadingItem[] = [];
  for (let d = 30; d >= 2; d -= 2) {
    const at = new Date(localIso(addDays(today, -d), '08:10')).toISOString();
    const wave = Math.sin(d / 4);
    const sys = Math.round(136 + 8 * wave);
    const dia = Math.round(86 + 4 * wave);
    const base = { effectiveAt: at, receivedAt: at, kioskId: k.kioskId, orgId: k.orgId, pushId: `seed-${d}` };
    const add = (code: string, v: Partial<ReadingItem>) => {
      const g = gradeReading({ code, ...v });
      items.push({ ...base, ...v, code, readingId: `r-seed-${d}-${code}`, patientId: PATIENT, severity: g.severity, label: g.label, source: g.source });
    };
    add(VitalCodes.bpPanel, { systolic: sys, diastolic: dia, unit: 'mm[Hg]' });
    add(VitalCodes.heartRate, { value: Math.round(74 + 6 * wave), unit: '/min' });
    add(VitalCodes.glucose, { value: Math.round((6.1 + 0.8 * wave) * 10) / 10, unit: 'mmol/L' });
    add(VitalCodes.weight, { value: Math.round((72.5 - d * 0.02) * 10) / 10, unit: 'kg' });
  }
  await batchWrite(items.map((r) => readingPut({ ...r, patientId: PATIENT })));
  return `1 kiosk, ${items.length} demo readings`;
}
