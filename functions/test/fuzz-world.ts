/**
 * The world the shared fuzz (fuzz.ts) runs in, for `functions/test/fuzz.test.ts` and
 * `npm run fuzz`: every feature's handler, a table of its own with the demo data seeded (so
 * random requests also reach real people, sessions, orders and contracts), the provider
 * sandboxes, callers of every role (demo staff of the seeded organisations and strangers), signers
 * for the kiosk (pushes and its one-time code), lab and HIS pushes, well-formed push bodies to
 * mutate, and the ids that exist.
 *
 * Call `fuzzWorld()` after the environment points at DynamoDB Local (the test setup does; the
 * script sets it first) and import this module lazily in a script for the same reason.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { api, HisAdmissionsRequest, HisBillsRequest, HisChargesRequest, OrgRoles, type Feature, type OrgRole, type Role } from '@hospital/shared';
import { db } from '#lib/table';
import { signPush } from '#lib/hmac-push';
import { ensureTable } from '../../scripts/lib/dynamo';
import { seed, DEMO_USERS } from '../../scripts/seed';
import { DEMO_KIOSK } from '../../scripts/seed-devices';
import { fhirBundle, fullCheckup, hl7Message } from '../src/devices/simulator';
import { CBC, fhirReport, hl7Report } from '../src/reports/test-fixtures';
import { startSandboxes } from './sandboxes';
import { tokenFor } from './http';
import type { FuzzWorld, Handler } from './fuzz';
import { handler as health } from '../src/health/handler';
import { handler as auth } from '../src/auth/handler';
import { handler as records } from '../src/records/handler';
import { handler as reports } from '../src/reports/handler';
import { handler as fhir } from '../src/fhir/handler';
import { handler as catalog } from '../src/catalog/handler';
import { handler as qr } from '../src/qr/handler';
import { handler as patients } from '../src/patients/handler';
import { handler as booking } from '../src/booking/handler';
import { handler as queue } from '../src/queue/handler';
import { handler as notifications } from '../src/notifications/handler';
import { handler as emergency } from '../src/emergency/handler';
import { handler as devices } from '../src/devices/handler';
import { handler as visits } from '../src/visits/handler';
import { handler as payments } from '../src/payments/handler';
import { handler as care } from '../src/care/handler';
import { handler as medication } from '../src/medication/handler';
import { handler as messages } from '../src/messages/handler';
import { handler as followups } from '../src/followups/handler';
import { handler as identity } from '../src/identity/handler';
import { handler as privacy } from '../src/privacy/handler';

/**
 * One handler per feature of the contract. The type makes a new feature without an entry a
 * compile error; `fuzzTargets` refuses it at run time too.
 */
export const featureHandlers: Record<Feature, Handler> = {
  health, auth, records, reports, fhir, catalog, qr, patients, booking, queue, notifications,
  emergency, devices, visits, payments, care, medication, messages, followups, identity, privacy,
};

const LAB = { source: 'city-lis', secret: randomBytes(24).toString('hex') };
const HIS = { source: 'city-his', secret: randomBytes(24).toString('hex') };

const pushHeaders = (source: string, secret: string, rawBody: string, sourceHeader = 'x-source') => {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID().replace(/-/g, '');
  return { [sourceHeader]: source, 'x-timestamp': ts, 'x-nonce': nonce, 'x-signature': signPush(secret, ts, nonce, rawBody) };
};

/** Every id-like attribute in the table (`*Id`, `*No`, `id`): what exists, to aim requests at. */
async function harvestIds(tableName: string, max = 3000): Promise<string[]> {
  const ids = new Set<string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    for (const item of page.Items ?? [])
      for (const [k, v] of Object.entries(item)) if (typeof v === 'string' && (k === 'id' || /Id$|No$/.test(k)) && v.length <= 120) ids.add(v);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && ids.size < max);
  return [...ids].slice(0, max);
}

export interface World extends FuzzWorld {
  close(): Promise<void>;
}

/** A seeded table of the world's own (`TABLE_NAME` is set to it), sandboxes, callers and signers. */
export async function fuzzWorld(o: { tableName?: string } = {}): Promise<World> {
  process.env.TABLE_NAME = o.tableName ?? `internet-hospital-fuzz-${randomUUID().slice(0, 8)}`;
  await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB as string, process.env.TABLE_NAME);
  const sandboxes = await startSandboxes();
  Object.assign(process.env, {
    LAB_SOURCES: `${LAB.source}=泰安市中心医院检验科`,
    [`LAB_SECRET_${LAB.source.toUpperCase().replace(/-/g, '_')}`]: LAB.secret,
    HIS_SOURCES: `${HIS.source}=org-city-hospital`,
    [`HIS_SECRET_${HIS.source.toUpperCase().replace(/-/g, '_')}`]: HIS.secret,
  });
  await seed();
  const ids = await harvestIds(process.env.TABLE_NAME);

  // Callers: the demo users (staff hold their roles in the seeded organisations) and strangers,
  // staff of the city hospital or of an organisation that has nothing.
  type Demo = { userId: string; roles?: Role[]; memberships?: { orgId: string; roles: OrgRole[] }[] };
  const demo = new Map<Role, Demo[]>();
  for (const u of DEMO_USERS as Demo[])
    for (const r of new Set([...(u.roles ?? []), ...(u.memberships ?? []).flatMap((m) => m.roles)])) demo.set(r, [...(demo.get(r) ?? []), u]);
  const isOrgRole = (r: Role): r is OrgRole => (OrgRoles as readonly Role[]).includes(r);
  const tokens = new Map<string, Promise<string>>();
  let turn = 0;
  const token = (role: Role) => {
    const known = demo.get(role) ?? [];
    const n = turn++ % (known.length + 2);
    const k = `${role} ${n}`;
    if (!tokens.has(k)) {
      const u = known[n];
      const stranger = `u-fuzz-${role}-${n - known.length}`;
      const org = isOrgRole(role) ? (n === known.length ? 'org-city-hospital' : 'org-fuzz') : undefined;
      tokens.set(k, u ? tokenFor([role], u.userId, u.memberships?.map((m) => ({ orgId: m.orgId, roles: m.roles }))) : tokenFor([role], stranger, org));
    }
    return tokens.get(k)!;
  };

  const kiosk = (raw: string) => pushHeaders(DEMO_KIOSK.kioskId, DEMO_KIOSK.secret, raw, 'x-kiosk-id');
  const lab = (raw: string) => pushHeaders(LAB.source, LAB.secret, raw);
  const his = (raw: string) => pushHeaders(HIS.source, HIS.secret, raw);
  const spec = { identifier: `LAB-${randomUUID().slice(0, 8)}`, family: '张', given: '建国', issued: '2025-06-08T10:20:00+08:00', idNumber: '370902198001011234', values: CBC };
  const fhirJson = 'application/fhir+json';
  return {
    ids,
    token,
    signers: {
      'POST /v1/iot/readings': kiosk,
      'POST /v1/iot/kiosk-code': kiosk,
      'POST /v1/integrations/lab/reports': lab,
      'POST /v1/integrations/his/bills': his,
      'POST /v1/integrations/his/admissions': his,
      'POST /v1/integrations/his/charges': his,
    },
    providerFormat: new Set(['POST /v1/payments/notify/wechat', 'POST /v1/payments/notify/alipay']),
    samples: {
      'POST /v1/iot/readings': [
        { contentType: fhirJson, body: fhirBundle(fullCheckup(), { kioskId: DEMO_KIOSK.kioskId }) },
        { contentType: 'application/hl7-v2', body: hl7Message(fullCheckup()) },
      ],
      'POST /v1/iot/kiosk-code': [{ contentType: 'application/json', body: {} }],
      'POST /v1/integrations/lab/reports': [
        { contentType: fhirJson, body: fhirReport(spec) },
        { contentType: 'application/hl7-v2', body: hl7Report(spec) },
      ],
      'POST /v1/integrations/his/admissions': [{ contentType: 'application/json', schema: HisAdmissionsRequest }],
      'POST /v1/integrations/his/charges': [{ contentType: 'application/json', schema: HisChargesRequest }],
      'POST /v1/integrations/his/bills': [{ contentType: 'application/json', schema: HisBillsRequest }],
    },
    close: () => sandboxes.close(),
  };
}

export { api };
