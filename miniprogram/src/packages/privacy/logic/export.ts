/**
 * 导出我的数据 (PIPL Art 45): the FHIR bundle the server returns, summed up for the person, and the
 * file it is saved as.
 */
import type * as z from 'zod';
import type { ExportBundle } from '@hospital/shared';

type Bundle = z.infer<typeof ExportBundle>;

export interface ExportSummary {
  /** The people (就诊人) in the file, by name. */
  people: string[];
  reports: number;
  /** Lab results and kiosk readings. */
  observations: number;
  appointments: number;
  /** Everything else (conditions, allergies, medications, …). */
  other: number;
  total: number;
}

type Name = { text?: unknown; family?: unknown; given?: unknown };

/** `张三` from a FHIR HumanName (text, else family + given). */
export function patientName(resource: Record<string, unknown>): string {
  const names = Array.isArray(resource.name) ? (resource.name as Name[]) : [];
  const n = names[0];
  if (!n) return '（未填写姓名）';
  if (typeof n.text === 'string' && n.text.trim()) return n.text.trim();
  const given = Array.isArray(n.given) ? n.given.filter((g): g is string => typeof g === 'string').join('') : '';
  const family = typeof n.family === 'string' ? n.family : '';
  return `${family}${given}` || '（未填写姓名）';
}

export function summarizeExport(bundle: Pick<Bundle, 'entry'>): ExportSummary {
  const s: ExportSummary = { people: [], reports: 0, observations: 0, appointments: 0, other: 0, total: bundle.entry.length };
  for (const { resource } of bundle.entry) {
    switch (resource.resourceType) {
      case 'Patient':
        s.people.push(patientName(resource));
        break;
      case 'DiagnosticReport':
        s.reports += 1;
        break;
      case 'Observation':
        s.observations += 1;
        break;
      case 'Appointment':
        s.appointments += 1;
        break;
      default:
        s.other += 1;
    }
  }
  return s;
}

/** The lines under 导出结果. */
export function summaryLines(s: ExportSummary): string[] {
  return [
    `就诊人：${s.people.length ? `${s.people.length}位（${s.people.join('、')}）` : '无'}`,
    `检查检验报告：${s.reports}份`,
    `检验结果与测量记录：${s.observations}条`,
    `预约记录：${s.appointments}次`,
    ...(s.other ? [`其他记录：${s.other}条`] : []),
  ];
}

/** ASCII, so every host's file system and chat accepts it: `hospital-my-data-20261204.json` (Beijing date). */
export function exportFileName(now: Date): string {
  const d = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `hospital-my-data-${d}.json`;
}

/** Pretty JSON: readable in any text editor, and what another hospital's FHIR system reads. */
export const exportText = (bundle: Bundle) => `${JSON.stringify(bundle, null, 2)}\n`;
