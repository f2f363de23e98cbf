/**
 * Scheduled jobs of supervised medication (serverless.yml `schedule` events):
 *   markMissedDoses  00:05 Beijing (16:05 UTC): every dose still open when its day ended is
 *                    marked missed (once); a plan with two misses in a row alerts its clinician
 *                    (once per day). It looks back a few days in case a run was missed.
 *   doseReminders    every 15 minutes: doses due in the next 30 minutes remind the patient's
 *                    account and the supervisor (once per dose).
 * Reads only the sparse due index: open doses of the day, never a scan.
 */
import { addDays, consecutiveMisses, DOSE_REMINDER_MINUTES, ESCALATE_AFTER_MISSES, localDate, shouldEscalate, toLocalIso } from '@hospital/shared';
import { logger } from '#lib/logger';
import { notify } from '#lib/notifier';
import { raiseAlert } from './alerts';
import * as store from './store';
import { planStatus } from './views';
import { withProviderSecrets } from '#lib/providers/secrets';

const CATCH_UP_DAYS = 3;

export async function markMissedDoses(now = Date.now()): Promise<{ missed: number; alerts: number }> {
  const today = localDate(now);
  let missed = 0;
  let alerts = 0;
  for (let back = CATCH_UP_DAYS; back >= 1; back--) {
    const date = addDays(today, -back);
    const touched = new Map<string, store.PlanItem>();
    for (const d of await store.openDosesOn(date)) {
      const p = touched.get(d.planId) ?? (await store.getPlan(d.planId));
      // A dose of a stopped (or never completed) plan is not expected any more: off the index.
      if (!p || p.status !== 'active') {
        await store.undue(d.planId, d.doseId);
        continue;
      }
      if (await store.closeDose(d.planId, d.doseId, { status: 'missed', missedAt: new Date(now).toISOString() })) missed++;
      touched.set(p.planId, p);
    }
    for (const p of touched.values()) {
      const misses = consecutiveMisses((await store.doses(p.planId, undefined, date)).map((x) => ({ ...x, id: x.doseId })), now);
      if (!shouldEscalate(misses)) continue;
      const a = await raiseAlert(p, { alertId: `miss-${date}`, reason: 'missed_doses', misses, detail: `已连续漏服${misses}次（截至${date}），请及时联系患者和督导人` });
      if (a) alerts++;
    }
  }
  logger.info('missed doses marked', { missed, alerts, threshold: ESCALATE_AFTER_MISSES });
  return { missed, alerts };
}

export async function doseReminders(now = Date.now()): Promise<{ reminded: number }> {
  const today = localDate(now);
  const from = toLocalIso(now).slice(11, 16);
  const untilIso = toLocalIso(now + DOSE_REMINDER_MINUTES * 60_000);
  // A window that crosses midnight ends at 23:59 today; tomorrow's first doses wait for their own window.
  const to = untilIso.slice(0, 10) === today ? untilIso.slice(11, 16) : '23:59';
  let reminded = 0;
  const plans = new Map<string, store.PlanItem | undefined>();
  for (const d of await store.openDosesOn(today, from, to)) {
    if (!plans.has(d.planId)) plans.set(d.planId, await store.getPlan(d.planId));
    const p = plans.get(d.planId);
    if (!p || planStatus(p, now) !== 'active') continue;
    if (!(await store.markReminded(d.planId, d.doseId, new Date(now).toISOString()))) continue;
    const data = { ref: `medication-plan:${p.planId}`, patientName: p.patientName, orgName: '', deptName: p.diagnosis, doctorName: '', time: `${d.date} ${d.time}` };
    await notify(p.userId, 'dose_reminder', { ...data, page: 'packages/care/pages/medication/index' });
    if (p.supervisor.userId && p.supervisor.state === 'accepted' && p.supervisor.userId !== p.userId) {
      await notify(p.supervisor.userId, 'dose_reminder', { ...data, page: 'packages/care/pages/supervise/index', note: '请督导患者服药后在“服药督导”中确认' });
    }
    reminded++;
  }
  return { reminded };
}

export const missedHandler = withProviderSecrets(async () => markMissedDoses());
export const remindersHandler = withProviderSecrets(async () => doseReminders());
