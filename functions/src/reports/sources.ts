/**
 * Laboratories allowed to push reports, and their signing secrets.
 *
 * `LAB_SOURCES=city-lis=泰安市中心医院检验科,regional-lab=泰安区域医学检验中心`: source id (the
 * `X-Source` header) = the name shown when a report does not name its performer.
 * Secrets: `LAB_SECRET_<SOURCE>` (comma-separated: old and new during a rotation), else SSM
 * `lab/<source>`. A local stage without one uses `local-lab-secret-<source>` (README) so a
 * developer can sign a push by hand; deployed stages never do.
 */
import { config, secret } from '#lib/config';

const LOCAL_SOURCES = 'city-lis=泰安市中心医院检验科,regional-lab=泰安区域医学检验中心';
const LOCAL_SOURCE_ORGS = 'city-lis=org-city-hospital,regional-lab=org-community-centre';

/**
 * The organisation that receives each laboratory's reports: its lab desk (doctors, nurses and
 * admins there) sees and matches the reports no person matched, and nobody else does.
 * `LAB_SOURCE_ORGS=city-lis=org-city-hospital,regional-lab=org-community-centre`; `*=<orgId>`
 * names the organisation of every source not listed (one hospital with several instruments).
 * A source with neither has no lab desk: its held reports wait unseen (configure it).
 */
export function receivingOrg(source: string): string | undefined {
  const raw = process.env.LAB_SOURCE_ORGS || (config.isLocal ? LOCAL_SOURCE_ORGS : '');
  const pairs = new Map(raw.split(',').map((p) => p.split('=').map((s) => s.trim()) as [string, string]).filter(([s, o]) => s && o));
  return pairs.get(source) ?? pairs.get('*');
}

/** The configured sources whose reports these organisations receive. */
export const sourcesReceivedBy = (orgIds: string[]) => [...labSources().keys()].filter((s) => orgIds.includes(receivingOrg(s) ?? ''));

export function labSources(): Map<string, string> {
  const raw = process.env.LAB_SOURCES || (config.isLocal ? LOCAL_SOURCES : '');
  const out = new Map<string, string>();
  for (const pair of raw.split(',')) {
    const [source, name] = pair.split('=').map((s) => s?.trim());
    if (source && name) out.set(source, name);
  }
  return out;
}

const envName = (source: string) => `LAB_SECRET_${source.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export async function labSecrets(source: string): Promise<string[] | undefined> {
  if (!labSources().has(source)) return undefined;
  const name = envName(source);
  let value: string;
  if (process.env[name]) value = process.env[name] as string;
  else if (config.isLocal) value = `local-lab-secret-${source}`;
  else value = await secret(name, `lab/${source}`);
  // A short secret is a configuration mistake, not a key.
  const list = value.split(',').map((s) => s.trim()).filter((s) => s.length >= 16);
  return list.length ? list : undefined;
}
