/**
 * Real-world-shaped messages (fixtures/README.md says where each comes from and what was changed)
 * pushed through the signed lab route into DynamoDB Local: for each, the results stored equal the
 * expected table exactly — code, value as written, number, comparator, unit (UCUM and as sent),
 * range, flag, status — under the right person, and the answer names everything not filed.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, SNOMED_SYSTEM } from '@hospital/shared';
import { call, tokenFor } from '#test/http';
import { fixture, newLab, person, pushAs, rows, type Row } from './fixtures/helpers';
import { handler } from './handler';
import { reportIdOf } from './ingest';
import * as store from './store';

async function filed(source: string, identifier: string) {
  const r = await store.getReport(reportIdOf(source, identifier));
  expect(r, `report ${identifier}`).toBeDefined();
  return r!;
}

const JOHNSON = '110101200705260018';
const ANDERSON = '110101198609300024';
const EVERYMAN = '110101198006020111';
const MILLER = '11010120050715031X';
const WHITEAGLE = '110101198003210518';
const EVERYWOMAN = '110101196203200622';

describe('HL7 v2 ORU^R01 from public conformance samples', () => {
  it('NIST ORU_R01 2.5.1 test case 1 (blood lead): the value, UCUM unit, the lab’s range text and H, under Philip Johnson (Latin name joined with a space)', async () => {
    const lab = newLab();
    // Registered in the order a Chinese registration desk writes a foreign name: family first.
    const p = await person('JOHNSON PHILIP', JOHNSON);
    const r = await pushAs(lab, fixture('hl7/nist-tc1-lead.hl7'));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ processing: 'production', rejected: [], reports: [{ identifier: '9700123', outcome: 'created', held: false, status: 'final', results: 1, rejected: 0 }] });
    expect(r.body.ack.split('\r')[1]).toBe('MSA|AA|NIST-100929110701660|全部已归档');
    const item = await filed(lab, '9700123');
    expect(item).toMatchObject({ personKey: p.key, title: '血铅', subject: { name: 'Philip Johnson' }, issuedAt: '2008-08-19T01:00:00.000Z', effectiveAt: '2008-08-15T17:30:00.000Z', status: 'final' });
    expect(rows(item.observations)).toEqual([['10368-9', null, 50, null, 'ug/dL', null, '<9 mcg/dL:  Acceptable background lead exposure', 'high', 'final']]);
    expect(item.observations[0]).toMatchObject({ name: '血铅', labName: 'Lead BldC-mCnc' });
  });

  it('two PATIENT_RESULT groups in one message: each report is filed under its own PID, never the first one’s', async () => {
    const lab = newLab();
    const johnson = await person('Philip Johnson', JOHNSON);
    const anderson = await person('Janet Anderson', ANDERSON);
    const r = await pushAs(lab, fixture('hl7/nist-two-patients.hl7'));
    expect(r.status).toBe(202);
    expect(r.body.reports.map((x: { identifier: string; held: boolean }) => [x.identifier, x.held])).toEqual([['9700123', false], ['8778324', false]]);
    const lead = await filed(lab, '9700123');
    const anthrax = await filed(lab, '8778324');
    expect(lead.personKey).toBe(johnson.key);
    expect(anthrax.personKey).toBe(anderson.key);
    expect(rows(anthrax.observations)).toEqual([['11469-4', 'Isolated', null, null, null, null, null, null, 'final']]);
    // Each person sees their own report only.
    const mine = async (x: typeof johnson) => (await call(handler, api.reports.mine, { token: x.token, query: { patientId: x.patientId } })).body.items.map((i: { id: string }) => i.id);
    expect(await mine(johnson)).toContain(lead.reportId);
    expect(await mine(johnson)).not.toContain(anthrax.reportId);
    expect(await mine(anderson)).toEqual([anthrax.reportId]);
  });

  it('NIST test case 2 then 3: the corrected report (OBR-25 C, OBX-11 C) is the next version with its own value; the first is kept in the history', async () => {
    const lab = newLab();
    const p = await person('Philip Johnson', JOHNSON);
    expect((await pushAs(lab, fixture('hl7/nist-tc2-lead-final.hl7'))).body.reports[0].outcome).toBe('created');
    const c = await pushAs(lab, fixture('hl7/nist-tc3-lead-corrected.hl7'));
    expect(c.body.reports[0]).toMatchObject({ outcome: 'amended', status: 'corrected' });
    const item = await filed(lab, '9700123');
    expect(item).toMatchObject({ version: 2, status: 'corrected', personKey: p.key });
    expect(rows(item.observations)).toEqual([['10368-9', null, 25, null, 'ug/dl', null, '<10 ug/dl', 'high', 'corrected']]);
    const versions = await store.listVersions(item.reportId);
    expect(versions.map((v) => [v.version, v.status, v.observations[0].value])).toEqual([[1, 'final', 50], [2, 'corrected', 25]]);
  });

  it('a preliminary report (OBR-25 P, OBX-11 P) shows as 初步结果 and the final replaces it; a result later marked X is never shown as a value', async () => {
    const lab = newLab();
    const p = await person('Philip Johnson', JOHNSON);
    const tc2 = fixture('hl7/nist-tc2-lead-final.hl7');
    // Derived from NIST test case 2: the same message sent first as preliminary (OBR-25, OBX-11 P).
    const preliminary = tc2.replace('|||F||||||787.91', '|||P||||||787.91').replace('|H|||F|', '|H|||P|');
    expect((await pushAs(lab, preliminary)).body.reports[0]).toMatchObject({ outcome: 'created', status: 'preliminary' });
    const reportId = reportIdOf(lab, '9700123');
    const list1 = (await call(handler, api.reports.mine, { token: p.token, query: { patientId: p.patientId } })).body.items.find((i: { id: string }) => i.id === reportId);
    expect(list1).toMatchObject({ status: 'preliminary', preliminary: true });
    expect(rows((await filed(lab, '9700123')).observations)[0][8]).toBe('preliminary');

    expect((await pushAs(lab, tc2)).body.reports[0]).toMatchObject({ outcome: 'updated', status: 'final' });
    const d = await call(handler, api.reports.detail, { token: p.token, params: { reportId } });
    expect(d.body).toMatchObject({ status: 'final', preliminary: false, amended: false, version: 2 });
    expect(d.body.observations[0]).toMatchObject({ value: 50 });
    expect(d.body.observations[0].status).toBeUndefined();

    // The lab then says the result could not be obtained after all (OBX-11 X in a correction).
    const cancelled = tc2.replace('200808181800-0700|||F||||||787.91', '200808191800-0700|||C||||||787.91').replace('|H|||F|', '|H|||X|');
    expect((await pushAs(lab, cancelled)).body.reports[0]).toMatchObject({ outcome: 'amended' });
    const after = await call(handler, api.reports.detail, { token: p.token, params: { reportId } });
    expect(after.body.observations[0]).toMatchObject({ code: '10368-9', status: 'cancelled' });
    expect(after.body.observations[0].value).toBeUndefined();
    expect(after.body.observations[0].flag).toBeUndefined();
    expect(after.body).toMatchObject({ abnormalCount: 0, critical: false });
    expect(after.body.versions).toHaveLength(3);
  });

  it('NIST test case 6 as published: one of three results has a LOINC code with a wrong check digit (20995-1); the other two are filed, the bad one named in the answer, the ACK (AE) and the staff list', async () => {
    const lab = newLab();
    const p = await person('Adam Whiteagle', WHITEAGLE);
    const r = await pushAs(lab, fixture('hl7/nist-tc6-stool-bad-loinc.hl7'));
    expect(r.status).toBe(202);
    expect(r.body.reports[0]).toMatchObject({ identifier: '2233817', outcome: 'created', results: 2, rejected: 1 });
    expect(r.body.rejected).toEqual([{ path: 'OBX[2]-3', message: expect.stringContaining('20995-1'), report: '2233817', code: '20995-1', name: 'Salmonella' }]);
    const ack = r.body.ack.split('\r');
    expect(ack[1]).toMatch(/^MSA\|AE\|NIST-100929111015653\|/);
    expect(ack[2]).toMatch(/^ERR\|\|OBX\^2\^3\|103\^Table value not found\^HL70357\|E\|/);
    const item = await filed(lab, '2233817');
    expect(item.personKey).toBe(p.key);
    expect(rows(item.observations)).toEqual([
      ['6331-3', 'Isolated', null, null, null, null, null, null, 'final'],
      ['17576-0', 'Not Isolated', null, null, null, null, null, null, 'final'],
    ]);
    const nurse = await tokenFor(['nurse'], `nurse-${randomUUID()}`, 'org-city', '检验科护士');
    const held = await call(handler, api.reports.held, { token: nurse });
    const entry = held.body.items.find((i: { id: string }) => i.id === item.reportId);
    expect(entry).toMatchObject({ reason: 'results_rejected', rejected: [{ path: 'OBX[2]-3', code: '20995-1', name: 'Salmonella' }] });
  });

  it('ELR Campylobacter (HL7 v2.5.1 ELR IG example): the SNOMED CT coded answer keeps system, code and display; OBX-11 P is a preliminary result', async () => {
    const lab = newLab();
    const p = await person('Adam A Everyman', EVERYMAN);
    const r = await pushAs(lab, fixture('hl7/elr-campylobacter-preliminary.hl7'));
    expect(r.status).toBe(202);
    const item = await filed(lab, '9700123');
    expect(item).toMatchObject({ personKey: p.key, title: '粪便培养', status: 'final' });
    expect(rows(item.observations)).toEqual([['625-4', 'Campylobacter jejuni', null, null, null, null, null, null, 'preliminary']]);
    expect(item.observations[0].valueCodings).toEqual([{ system: SNOMED_SYSTEM, code: '66543000', display: 'Campylobacter jejuni' }]);
  });

  it('ELR Campylobacter with a bad LOINC (xx625-4), its only result: nothing can be filed, 400 names OBX[1]-3 and carries an AR acknowledgement', async () => {
    const lab = newLab();
    await person('Adam A Everyman', EVERYMAN);
    const r = await pushAs(lab, fixture('hl7/elr-cj-badloinc.hl7'));
    expect(r.status).toBe(400);
    expect(r.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['OBR[1]', 'OBX[1]-3']);
    expect(r.body.error.ack).toMatch(/\rMSA\|AR\|1234567890\|/);
    expect(r.body.error.ack).toContain('ERR||OBX^1^3|');
    expect(await store.getReport(reportIdOf(lab, '9700123'))).toBeUndefined();
  });

  it('ELR hepatitis C as published (its SN result shifted two fields right): that result is left out and named, the age and employment results are filed', async () => {
    const lab = newLab();
    const p = await person('Adam A Everyman', EVERYMAN);
    const r = await pushAs(lab, fixture('hl7/elr-hcv-shifted-sn.hl7'));
    expect(r.status).toBe(202);
    expect(r.body.rejected.map((x: { path: string }) => x.path)).toEqual(['OBX[1]-5', 'OBX[1]-8']);
    const item = await filed(lab, '9700123');
    expect(item.personKey).toBe(p.key);
    expect(item.title).toBe('丙型肝炎病毒抗体');
    expect(rows(item.observations)).toEqual([
      ['35659-2', null, 29, null, 'a', null, null, null, 'final'],
      ['11294-6', 'food handler', null, null, null, null, null, null, 'final'],
    ]);
  });

  it('Cerner ELR sample with CRLF line ends: a coded answer sent as text only (^Bordetella pertussis^SNM) and flag A, under an ID number ending in X', async () => {
    const lab = newLab();
    const p = await person('Paul One Miller', MILLER);
    const r = await pushAs(lab, fixture('hl7/cerner-bordetella-crlf.hl7'));
    expect(r.status).toBe(202);
    const item = await filed(lab, '2010273000016');
    expect(item).toMatchObject({ personKey: p.key, category: 'MB', subject: { name: 'Paul One Miller' } });
    expect(rows(item.observations)).toEqual([['548-8', 'Bordetella pertussis', null, null, null, null, null, 'abnormal', 'final']]);
  });

  it('athena sample (MSH-11 D, LF line ends, an OBR without OBX): checked like production, and refused for having no result', async () => {
    const r = await pushAs(newLab(), fixture('hl7/athena-debug-lf.hl7'));
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: 'OBR[1]', message: '报告没有任何 OBX 结果' }]);
  });

  it('the HL7 standard’s GHH LAB example and the SN forms of the standard: ^182, >^300, ^1^:^128, ^4^-^6, ^2^+, NM 5.90, escapes in TX and NTE', async () => {
    const lab = newLab();
    const p = await person('EVE E EVERYWOMAN', EVERYWOMAN);
    const r = await pushAs(lab, fixture('hl7/hl7-standard-sn-forms.hl7'));
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([]);
    const item = await filed(lab, '1045813');
    expect(item).toMatchObject({ personKey: p.key, code: '15545', codeSystem: 'L', title: 'GLUCOSE', issuedAt: '2002-02-15T01:30:00.000Z' });
    expect(rows(item.observations)).toEqual([
      ['1554-5', null, 182, null, 'mg/dL', 'mg/dl', '70_105', 'high', 'final'],
      ['2093-3', '>300', null, '>', 'mg/dL', null, '<200', null, 'final'],
      ['ASO', '1:128', null, null, null, null, '<1:200', null, 'final'],
      ['URBC', '4-6', null, null, '/[HPF]', null, '0–2', 'high', 'final'],
      ['5794-3', '2+', null, null, null, null, null, 'abnormal', 'final'],
      ['2345-7', '5.90', 5.9, null, 'mmol/L', null, '3.9–6.1', 'normal', 'preliminary'],
    ]);
    expect(item.observations.map((o) => o.sn)).toEqual([undefined, { comparator: '>', num1: 300 }, { num1: 1, separator: ':', num2: 128 }, { num1: 4, separator: '-', num2: 6 }, { num1: 2, separator: '+' }, undefined]);
    expect(item.observations[0].system).toBe('POST 12H CFST:MCNC:PT:SER/PLAS:QN');
    expect(item.conclusion).toBe('GLUCOSE ELEVATED\nREPEAT FASTING & HBA1C \\ 3 MONTHS\nSEE NOTE\n（备注：SPECIMEN SLIGHTLY HEMOLYZED | RESULTS NOT AFFECTED）');
    // The patient reads the lab's own forms, never one number for a ratio.
    const d = await call(handler, api.reports.detail, { token: p.token, params: { reportId: item.reportId } });
    expect(d.body.observations.find((o: { code: string }) => o.code === 'ASO')).toMatchObject({ valueText: '1:128', sn: { num1: 1, separator: ':', num2: 128 } });
    expect(d.body.observations.find((o: { code: string }) => o.code === 'ASO').value).toBeUndefined();
  });

  it('the same message marked training (MSH-11 T) is answered 202 with what would be filed, and nothing is stored', async () => {
    const lab = newLab();
    await person('EVE E EVERYWOMAN', EVERYWOMAN);
    const training = fixture('hl7/hl7-standard-sn-forms.hl7').replace('|CNTRL-3456|P|2.4', '|CNTRL-3456|T|2.4');
    const r = await pushAs(lab, training);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ processing: 'training', reports: [{ identifier: '1045813', outcome: 'not_filed', held: false, results: 7 }] });
    expect(r.body.ack).toMatch(/\|T\|2\.4\rMSA\|AA\|CNTRL-3456\|/);
    expect(await store.getReport(reportIdOf(lab, '1045813'))).toBeUndefined();
  });
});

describe('FHIR R4 from the official examples (hl7.org/fhir/R4), adapted only to carry a test person', () => {
  it('lipids: four results with UCUM units; one-sided ranges; flags computed from the range when the lab sent none', async () => {
    const lab = newLab();
    const p = await person('王秀英', '110101197001010710');
    const r = await pushAs(lab, fixture('fhir/r4-lipids.json'));
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([]);
    const item = await filed(lab, '5234342');
    expect(item).toMatchObject({ personKey: p.key, title: '血脂', performer: 'Acme Laboratory, Inc', category: 'HM', effectiveAt: '2011-03-03T21:30:00.000Z' });
    expect(rows(item.observations)).toEqual([
      ['35200-5', null, 6.3, null, 'mmol/L', null, '≤4.5', 'high', 'final'],
      ['35217-9', null, 1.3, null, 'mmol/L', null, '≤2', 'normal', 'final'],
      ['2085-9', null, 1.3, null, 'mmol/L', null, '≥1.5', 'low', 'final'],
      ['13457-7', null, 4.6, null, 'mmol/L', null, '≤3', 'high', 'final'],
    ]);
    expect(item.observations.map((o) => [o.name, o.labName])).toEqual([
      ['总胆固醇', 'Cholesterol'],
      ['甘油三酯', 'Triglyceride'],
      ['高密度脂蛋白胆固醇', 'Cholesterol in HDL'],
      ['低密度脂蛋白胆固醇', 'LDL Chol. (Calc)'],
    ]);
  });

  it('f001 blood count: its five Observations are not in the Bundle — named as not filed; the conclusion is filed', async () => {
    const lab = newLab();
    const p = await person('赵德福', '110101195507200918');
    const r = await pushAs(lab, fixture('fhir/r4-f001-bloodexam.json'));
    expect(r.status).toBe(202);
    expect(r.body.rejected.map((x: { path: string }) => x.path)).toEqual([0, 1, 2, 3, 4].map((i) => `body.entry.0.resource.result.${i}.reference`));
    const item = await filed(lab, 'nr1239044');
    expect(item).toMatchObject({ personKey: p.key, conclusion: 'Core lab', observations: [], title: '血常规' });
  });

  it('f001 with the official Observation examples it can carry: final with H, a comparator (<1 /uL), cancelled with its reason, entered-in-error, coded SNOMED answers, preliminary', async () => {
    const lab = newLab();
    const p = await person('赵德福', '110101195507200918');
    const r = await pushAs(lab, fixture('fhir/r4-f001-statuses.json'));
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([]);
    const item = await filed(lab, 'nr1239044-statuses');
    expect(item.personKey).toBe(p.key);
    expect(rows(item.observations)).toEqual([
      ['15074-8', null, 6.3, null, 'mmol/L', 'mmol/l', '3.1–6.2', 'high', 'final'],
      ['26464-8', '<1', null, '<', '/uL', null, null, null, 'final'],
      ['15074-8', null, null, null, null, null, '3.1–6.2', null, 'cancelled'],
      ['8310-5', null, 39, null, 'Cel', 'degrees C', '≤38.2', null, 'entered-in-error'],
      ['600-7', 'Staphylococcus aureus', null, null, null, null, null, 'abnormal', 'final'],
      ['41857-4', 'POSITIVE', null, null, null, null, 'NEGATIVE', 'abnormal', 'preliminary'],
    ]);
    expect(item.observations[2].absentReason).toBe('Specimen unsatisfactory for evaluation');
    expect(item.observations[4].valueCodings).toEqual([{ system: SNOMED_SYSTEM, code: '3092008', display: 'Staphylococcus aureus' }]);
    expect(item.observations[4].codings).toEqual([
      { system: 'http://acmelabs.org', code: '104177', display: 'Blood culture' },
      { system: 'http://loinc.org', code: '600-7', display: 'Bacteria identified in Blood by Culture' },
    ]);
    // What the patient reads: the retracted temperature not at all, the cancelled glucose without a value.
    const d = await call(handler, api.reports.detail, { token: p.token, params: { reportId: item.reportId } });
    expect(d.body.observations.map((o: { code: string; status?: string }) => [o.code, o.status ?? 'final'])).toEqual([
      ['15074-8', 'final'],
      ['26464-8', 'final'],
      ['15074-8', 'cancelled'],
      ['600-7', 'final'],
      ['41857-4', 'preliminary'],
    ]);
    expect(d.body.observations[2]).toEqual(expect.not.objectContaining({ value: expect.anything() }));
    expect(d.body.observations[1]).toMatchObject({ valueText: '<1', sn: { comparator: '<', num1: 1 } });
    expect(d.body.observations[1].value).toBeUndefined();
    // High glucose, Staphylococcus POS, the oyster's A: the retracted temperature does not count.
    expect(d.body).toMatchObject({ abnormalCount: 3 });
  });

  it('two subjects in one Bundle: each report under its own Patient; an Observation naming the other Patient is not filed under this one', async () => {
    const lab = newLab();
    const wang = await person('王秀英', '110101197001010710');
    const zhou = await person('周建华', '110101197809091023');
    const r = await pushAs(lab, fixture('fhir/r4-lipids-two-subjects.json'));
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([expect.objectContaining({ path: 'body.entry.9.resource.subject', report: '5234342-pat3', code: '2085-9' })]);
    const a = await filed(lab, '5234342');
    const b = await filed(lab, '5234342-pat3');
    expect(a.personKey).toBe(wang.key);
    expect(b.personKey).toBe(zhou.key);
    expect(rows(a.observations).map((x) => x[0])).toEqual(['35200-5', '35217-9', '2085-9', '13457-7']);
    expect(rows(b.observations).map((x) => x[0])).toEqual(['35200-5', '35217-9', '13457-7']);
  });

  it('ghp (General Health Profile): a lab’s own report code, panels of panels (hasMember), units given only as words — all 48 results filed', async () => {
    const lab = newLab();
    const p = await person('李晓梅', '110101198503150822');
    const r = await pushAs(lab, fixture('fhir/r4-ghp.json'));
    expect(r.status).toBe(202);
    expect(r.body.rejected).toEqual([]);
    const item = await filed(lab, 'ghp-example');
    expect(item).toMatchObject({ personKey: p.key, code: 'GHP', codeSystem: 'http://acme.com/labs/reports', title: 'General Health Profile' });
    expect(rows(item.observations)).toEqual(GHP_TABLE);
  });
});

/** The ghp example's results in the order the report lists them (Chemistry, CBC, Urinalysis panels). */
const GHP_TABLE: Row[] = JSON.parse(fixture('fhir/r4-ghp.expected.json'));
