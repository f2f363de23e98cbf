/**
 * Kiosk readings as FHIR R4 Observations for the Patient/$everything export: vital signs (blood
 * pressure as the 85354-9 panel with systolic/diastolic components), panel results as laboratory
 * Observations, our grade as the interpretation (with the guideline's label as text).
 */
import { LOINC, signName, UCUM, VitalCodes } from '@hospital/shared';
import type { ReadingItem } from './store';

const TERM = 'http://terminology.hl7.org/CodeSystem';
const INTERPRETATION = { attention: 'A', warning: 'A', critical: 'AA' } as const;
const fid = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);
const loinc = (code: string) => ({ coding: [{ system: LOINC, code, display: signName(code) }], text: signName(code) });
const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });

export function readingObservations(items: readonly ReadingItem[], subject: string): Record<string, unknown>[] {
  return items.map((r) => {
    const o: Record<string, unknown> = {
      resourceType: 'Observation',
      id: fid(r.readingId),
      status: 'final',
      category: [{ coding: [{ system: `${TERM}/observation-category`, code: r.panel ? 'laboratory' : 'vital-signs' }] }],
      code: loinc(r.code),
      subject: { reference: subject },
      effectiveDateTime: r.effectiveAt,
      issued: r.receivedAt,
      device: { display: `健康一体机 ${r.kioskId}` },
    };
    if (r.severity !== 'normal') {
      o.interpretation = [{ coding: [{ system: `${TERM}/v3-ObservationInterpretation`, code: INTERPRETATION[r.severity] }], text: r.label }];
    }
    if (r.code === VitalCodes.bpPanel && r.systolic !== undefined && r.diastolic !== undefined) {
      o.component = [
        { code: loinc(VitalCodes.systolic), valueQuantity: quantity(r.systolic, 'mm[Hg]') },
        { code: loinc(VitalCodes.diastolic), valueQuantity: quantity(r.diastolic, 'mm[Hg]') },
      ];
    } else if (r.value !== undefined) o.valueQuantity = r.unit ? quantity(r.value, r.unit) : { value: r.value };
    else if (r.valueText) o.valueString = r.valueText;
    return o;
  });
}
