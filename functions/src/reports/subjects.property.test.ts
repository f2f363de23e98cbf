/**
 * Property: no result is ever filed under a person other than its own message group's subject.
 * Random ORU^R01 messages (1–4 PATIENT_RESULT groups, each with its own person — registered,
 * unknown, or without a valid ID number — and 1–3 orders of 1–4 results, some of them bad) and
 * random FHIR Bundles (reports for several Patients whose Observations sometimes name another
 * Patient). Every value encodes the group it was written in, so a result that crossed over is seen.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCardCheckChar } from '@hospital/shared';
import { personKey } from '../patients/store';
import { newLab, person, pushAs } from './fixtures/helpers';
import { parseFhir } from './ingest/fhir-in';
import { parseHl7 } from './ingest/hl7-in';
import { reportIdOf } from './ingest';
import * as store from './store';

/** A valid ID number for a birth date and sequence (GB 11643). */
const idOf = (n: number) => {
  const first17 = `1101011960${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(100 + (n % 900)).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
};

type Subject = { kind: 'id'; n: number } | { kind: 'none' } | { kind: 'bad' };
interface Group {
  subject: Subject;
  orders: { results: ('good' | 'bad-loinc' | 'bad-value')[] }[];
}

const subjectArb: fc.Arbitrary<Subject> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }).map((n) => ({ kind: 'id' as const, n })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bad' as const }) },
);
const groupArb: fc.Arbitrary<Group> = fc.record({
  subject: subjectArb,
  orders: fc.array(fc.record({ results: fc.array(fc.constantFrom<'good' | 'bad-loinc' | 'bad-value'>('good', 'good', 'good', 'bad-loinc', 'bad-value'), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
});
const messageArb = fc.record({ groups: fc.array(groupArb, { minLength: 1, maxLength: 4 }), eol: fc.constantFrom('\r', '\n', '\r\n') });

/** The value a result carries: group, order and position, so its origin can be read back. */
const valueOf = (g: number, o: number, k: number) => 1000 * (g + 1) + 10 * o + k;
const groupOfValue = (v: number) => Math.floor(v / 1000) - 1;
const idFor = (s: Subject) => (s.kind === 'id' ? idOf(s.n) : s.kind === 'bad' ? '110101196001011234' : undefined);

function hl7(m: { groups: Group[]; eol: string }, tag: string): string {
  const segs = [`MSH|^~\\&|LIS|TACH|HIS|TACH|20250608102000+0800||ORU^R01^ORU_R01|${tag}|P|2.5.1`];
  m.groups.forEach((g, gi) => {
    const id = idFor(g.subject);
    segs.push(`PID|${gi + 1}||MRN-${gi}^^^TACH^MR${id ? `~${id}^^^^NNCHN` : ''}||测试^${gi}号`);
    g.orders.forEach((o, oi) => {
      segs.push(`OBR|${oi + 1}||${tag}-G${gi}-O${oi}^TACH|58410-2^血常规^LN|||20250608080500+0800|||||||||||||||20250608102000+0800||HM|F`);
      o.results.forEach((r, k) => {
        const code = r === 'bad-loinc' ? '6690-3' : '6690-2';
        const value = r === 'bad-value' ? 'abc' : String(valueOf(gi, oi, k));
        segs.push(`OBX|${k + 1}|NM|${code}^白细胞计数^LN||${value}|10*9/L^^UCUM|3.5-9.5||||F`);
      });
    });
  });
  return segs.join(m.eol);
}

const nameOf = (gi: number) => `测试${gi}号`;

describe('no result is ever filed under another group’s person', () => {
  it('HL7: every parsed report carries its own PATIENT_RESULT group’s person, and only its own values (1,000 random messages)', () => {
    fc.assert(
      fc.property(messageArb, (m) => {
        const parsed = parseHl7(hl7(m, 'M'));
        for (const r of parsed.reports) {
          const gi = Number(/-G(\d+)-/.exec(r.identifier.value)![1]);
          const s = m.groups[gi].subject;
          expect(r.subject.idNumber).toBe(s.kind === 'id' ? idOf(s.n) : undefined);
          for (const o of r.observations) expect(groupOfValue(o.value!)).toBe(gi);
        }
        // Every good result is filed somewhere; none is lost or duplicated.
        const good = m.groups.flatMap((g) => g.orders.flatMap((o) => (o.results.some((x) => x === 'good') ? o.results.filter((x) => x === 'good') : [])));
        expect(parsed.reports.reduce((n, r) => n + r.observations.length, 0)).toBe(good.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('FHIR: each report under its own subject; an Observation naming another Patient is never in it (500 random Bundles)', () => {
    const bundleArb = fc.array(fc.record({ n: fc.integer({ min: 0, max: 5 }), obs: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(bundleArb, (reports) => {
        const entry: unknown[] = [];
        reports.forEach((rep, ri) => {
          entry.push({ fullUrl: `urn:uuid:p-${ri}`, resource: { resourceType: 'Patient', identifier: [{ type: { coding: [{ code: 'NNCHN' }] }, value: idOf(rep.n) }], name: [{ text: nameOf(ri) }] } });
        });
        reports.forEach((rep, ri) => {
          const refs: unknown[] = [];
          rep.obs.forEach((other, k) => {
            // -1: no subject of its own (it is the report's); else the subject is report `other`'s Patient.
            const subjectOf = other < 0 ? undefined : Math.min(other, reports.length - 1);
            const url = `urn:uuid:o-${ri}-${k}`;
            refs.push({ reference: url });
            entry.push({
              fullUrl: url,
              resource: {
                resourceType: 'Observation',
                status: 'final',
                code: { coding: [{ system: 'http://loinc.org', code: '6690-2' }] },
                ...(subjectOf === undefined ? {} : { subject: { reference: `urn:uuid:p-${subjectOf}` } }),
                valueQuantity: { value: valueOf(ri, 0, k), unit: '10*9/L', system: 'http://unitsofmeasure.org', code: '10*9/L' },
              },
            });
          });
          entry.push({
            fullUrl: `urn:uuid:r-${ri}`,
            resource: { resourceType: 'DiagnosticReport', identifier: [{ value: `R-${ri}` }], status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '58410-2' }] }, subject: { reference: `urn:uuid:p-${ri}` }, issued: '2025-06-08T10:20:00+08:00', result: refs },
          });
        });
        const parsed = parseFhir({ resourceType: 'Bundle', type: 'collection', entry });
        for (const r of parsed.reports) {
          const ri = Number(r.identifier.value.slice(2));
          expect(r.subject.idNumber).toBe(idOf(reports[ri].n));
          for (const o of r.observations) {
            const k = o.value! % 10;
            const other = reports[ri].obs[k];
            expect(groupOfValue(o.value!)).toBe(ri);
            // Filed only when the Observation names no one else, or names this same Patient resource.
            expect(other < 0 || Math.min(other, reports.length - 1) === ri).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('through the signed route into the table: every stored report is under its group’s person or held, and holds only that group’s values (25 random messages)', async () => {
    const lab = newLab();
    // Persons 0–4 are registered under the name their group's PID gives; person 5 never is (its reports are held).
    const registered = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(messageArb, async (m) => {
        const tag = randomUUID().slice(0, 8);
        for (const [gi, g] of m.groups.entries()) {
          if (g.subject.kind !== 'id' || g.subject.n === 5) continue; // person 5 is never registered
          const id = idOf(g.subject.n);
          const key = `${id}|${nameOf(gi)}`;
          if (!registered.has(key)) registered.set(key, (await person(nameOf(gi), id)).key);
        }
        const r = await pushAs(lab, hl7(m, tag));
        expect([202, 400]).toContain(r.status);
        for (const [gi, g] of m.groups.entries()) {
          for (const oi of g.orders.keys()) {
            const item = await store.getReport(reportIdOf(lab, `${tag}-G${gi}-O${oi}`));
            if (!item) continue; // nothing valid in that order: refused and named
            const s = g.subject;
            if (s.kind === 'id' && s.n !== 5) expect(item.personKey).toBe(personKey(idOf(s.n)));
            else expect(item.personKey).toBeUndefined();
            if (!item.personKey) expect(item.held).toBeDefined();
            for (const o of item.observations) expect(groupOfValue(o.value!)).toBe(gi);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
