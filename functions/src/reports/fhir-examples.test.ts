/**
 * The official FHIR R4 DiagnosticReport examples (hl7.org/fhir/R4, fixtures/fhir/r4-official,
 * unchanged) pushed as published. Each is accepted (202: filed, or held for staff because the
 * examples' patients carry no Chinese ID number), or refused for a reason the specification
 * backs — one test per refusal, the reason in its name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFhir } from './ingest/fhir-in';
import { MAX_REPORT_BYTES } from './ingest';
import { newLab, pushAs } from './fixtures/helpers';

const official = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/fhir/r4-official', `${name}.json`), 'utf8');
const paths = (r: { body: { rejected?: { path: string }[]; error?: { fields?: { path: string }[] } } }) => (r.body.rejected ?? r.body.error?.fields ?? []).map((x) => x.path);

describe('official R4 DiagnosticReport examples that are accepted as published', () => {
  const accepted: [string, number, string[]][] = [
    // name, results filed, parts named as not filed
    ['diagnosticreport-example', 17, []],
    ['diagnosticreport-example-ghp', 48, []],
    ['diagnosticreport-example-lipids', 4, []],
    ['diagnosticreport-example-lri', 20, []],
    ['diagnosticreport-genetics-comprehensive-bone-marrow-report', 13, []],
    ['diagnosticreport-example-f201-brainct', 0, []],
    ['diagnosticreport-example-ultrasound', 0, []],
    ['diagnosticreport-example-papsmear', 0, []],
    ['diagnosticreport-example-dxa', 0, ['body.result.0.reference']],
    ['diagnosticreport-example-f001-bloodexam', 0, [0, 1, 2, 3, 4].map((i) => `body.entry.0.resource.result.${i}.reference`)],
    ['diagnosticreport-example-f202-bloodculture', 0, ['body.entry.0.resource.result.0.reference']],
    ['diagnosticreport-micro1', 20, ['body.entry.3.resource.value[x]', 'body.entry.22.resource.value[x]']],
  ];
  for (const [name, results, notFiled] of accepted) {
    it(`${name}: 202, ${results} results filed, held for staff (no resident ID number on its Patient)${notFiled.length ? `, ${notFiled.length} part(s) named as not filed` : ''}`, async () => {
      const r = await pushAs(newLab(), official(name));
      expect(r.status).toBe(202);
      expect(r.body.reports).toEqual([expect.objectContaining({ held: true, heldReason: 'no_id_number', results: expect.any(Number) })]);
      expect(parseFhir(JSON.parse(official(name))).reports[0].observations).toHaveLength(results);
      expect(paths(r)).toEqual(notFiled);
    });
  }

  it('narrative-only reports are filed when text.status says the narrative carries more than the data (papsmear: additional)', () => {
    const parsed = parseFhir(JSON.parse(official('diagnosticreport-example-papsmear')));
    expect(parsed.reports[0].findings).toContain('GYN CYTOLOGY (PAP SMEAR) REPORT');
  });
});

describe('official R4 examples refused, each for a reason the specification backs', () => {
  it('gingival-mass is refused 413: 748 KB is over what one push may carry, all of it a base64 PDF in presentedForm', async () => {
    const body = official('diagnosticreport-example-gingival-mass');
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_REPORT_BYTES);
    const r = await pushAs(newLab(), body);
    expect(r.status).toBe(413);
    // Read anyway, it has nothing but the PDF (presentedForm) and a generated narrative to show.
    expect(parseFhir(JSON.parse(body)).problems.map((p) => p.path)).toEqual(['body.presentedForm']);
  });

  it('examples-general is refused: 600 KB over the push limit, and a collection of Bundles holds no DiagnosticReport entry of its own', async () => {
    const body = official('diagnosticreport-examples-general');
    expect((await pushAs(newLab(), body)).status).toBe(413);
    expect(parseFhir(JSON.parse(body)).problems).toEqual([{ path: 'body.entry', message: 'Bundle 中没有 DiagnosticReport' }]);
  });

  it('pgx is refused 400: its only rendition is presentedForm (a PDF R4 calls the report as issued, which cannot be shown) and its one result is a reference to an Observation not in the message (R4 Bundle reference resolution)', async () => {
    const r = await pushAs(newLab(), official('diagnosticreport-example-pgx'));
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['body.presentedForm', 'body.result.0.reference']);
  });

  it('hla-genetics is refused 400: its Observations carry no value[x], component or dataAbsentReason (the genotypes live in MolecularSequence via derivedFrom) and its narrative is text.status=generated, a restatement of that data', async () => {
    const r = await pushAs(newLab(), official('diagnosticreport-hla-genetics-results-example'));
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['body.entry.0.resource.text', 'body.entry.15.resource.value[x]', 'body.entry.18.resource.value[x]', 'body.entry.21.resource.value[x]']);
  });

  it('genetics family history is refused 400: both results are references to Observations not in the Bundle, and its narrative is text.status=generated', async () => {
    const r = await pushAs(newLab(), official('diagnosticreport-genetics-example-2-familyhistory'));
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['body.entry.0.resource.text', 'body.entry.0.resource.result.0.reference', 'body.entry.0.resource.result.1.reference']);
  });
});
