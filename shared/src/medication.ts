/**
 * Supervised medication (督导服药, directly observed therapy for tuberculosis): the dose
 * calendar of a regimen, adherence arithmetic, missed-dose marking at the end of the hospital's
 * day (Asia/Shanghai) and the escalation rule, as pure functions the server and the
 * mini-program share.
 *
 * Every scheduled dose is one item `YYYY-MM-DD_HHmm` (sortable in time order). A dose can be
 * confirmed on its own day only; once that day is over (00:00 Beijing) it is missed. Two
 * consecutive misses, or any reported side effect, alert the clinician.
 */
import * as z from 'zod';
import { addDays, localDate } from './time';

export const DoseStatus = z.enum(['scheduled', 'taken', 'missed']);
export type DoseStatus = z.infer<typeof DoseStatus>;
export const DOSE_STATUS_LABEL: Record<DoseStatus, string> = { scheduled: '待服药', taken: '已服药', missed: '漏服' };

/** How the dose was observed: by the supervisor in person or by video/photo, or self-reported with a photo. */
export const ConfirmMethod = z.enum(['in_person', 'video', 'photo', 'self_photo']);
export type ConfirmMethod = z.infer<typeof ConfirmMethod>;
export const CONFIRM_METHOD_LABEL: Record<ConfirmMethod, string> = {
  in_person: '当面督导',
  video: '视频督导',
  photo: '照片确认',
  self_photo: '本人拍照自报',
};

/** Adverse reactions of first-line TB drugs a supervisor or the patient may report. */
export const SideEffect = z.enum(['jaundice', 'vision_change', 'rash', 'nausea', 'joint_pain', 'numbness', 'hearing_loss', 'other']);
export type SideEffect = z.infer<typeof SideEffect>;
export const SIDE_EFFECT_LABEL: Record<SideEffect, string> = {
  jaundice: '皮肤或眼睛发黄',
  vision_change: '视力下降或看颜色异常',
  rash: '皮疹、瘙痒',
  nausea: '恶心、呕吐、食欲差',
  joint_pain: '关节疼痛',
  numbness: '手脚麻木',
  hearing_loss: '耳鸣、听力下降',
  other: '其他不适',
};

export const PlanStatus = z.enum(['active', 'completed', 'stopped']);
export type PlanStatus = z.infer<typeof PlanStatus>;
export const PLAN_STATUS_LABEL: Record<PlanStatus, string> = { active: '治疗中', completed: '疗程结束', stopped: '已停止' };

export const SupervisorKind = z.enum(['staff', 'family']);
export type SupervisorKind = z.infer<typeof SupervisorKind>;
/** A family member must accept the role before they can confirm doses; staff are assigned. */
export const SupervisorState = z.enum(['invited', 'accepted', 'declined']);
export type SupervisorState = z.infer<typeof SupervisorState>;

export const AlertReason = z.enum(['missed_doses', 'side_effect', 'supervisor_declined']);
export type AlertReason = z.infer<typeof AlertReason>;

/** Two consecutive missed doses alert the clinician. */
export const ESCALATE_AFTER_MISSES = 2;
/** Reminders go out this many minutes before a dose. */
export const DOSE_REMINDER_MINUTES = 30;

export interface RegimenPreset {
  code: string;
  name: string;
  phases: { name: string; days: number; drugs: { name: string; dose: string }[] }[];
}

/** 2HRZE/4HR: two months of isoniazid, rifampicin, pyrazinamide and ethambutol, then four of H and R. */
export const REGIMEN_PRESETS: readonly RegimenPreset[] = [
  {
    code: '2HRZE/4HR',
    name: '初治肺结核标准方案',
    phases: [
      {
        name: '强化期',
        days: 60,
        drugs: [
          { name: '异烟肼 (H)', dose: '0.3g' },
          { name: '利福平 (R)', dose: '0.45g' },
          { name: '吡嗪酰胺 (Z)', dose: '1.5g' },
          { name: '乙胺丁醇 (E)', dose: '0.75g' },
        ],
      },
      {
        name: '巩固期',
        days: 120,
        drugs: [
          { name: '异烟肼 (H)', dose: '0.3g' },
          { name: '利福平 (R)', dose: '0.45g' },
        ],
      },
    ],
  },
];

export interface DoseSlot {
  id: string;
  date: string;
  /** HH:mm, Beijing time. */
  time: string;
  /** Index of the regimen phase. */
  phase: number;
}

/** `2025-06-01_0800`: sorts in time order and is safe in a URL. */
export const doseIdOf = (date: string, time: string) => `${date}_${time.replace(':', '')}`;
export const DOSE_ID = /^\d{4}-\d{2}-\d{2}_\d{4}$/;

/** Every dose of the plan: each day of each phase, at each dose time, in time order. */
export function scheduleDoses(startDate: string, phases: readonly { days: number }[], doseTimes: readonly string[]): DoseSlot[] {
  const times = [...doseTimes].sort();
  const out: DoseSlot[] = [];
  let day = 0;
  phases.forEach((p, phase) => {
    for (let i = 0; i < p.days; i++, day++) {
      const date = addDays(startDate, day);
      for (const time of times) out.push({ id: doseIdOf(date, time), date, time, phase });
    }
  });
  return out;
}

export const planEndDate = (startDate: string, phases: readonly { days: number }[]) =>
  addDays(startDate, phases.reduce((n, p) => n + p.days, 0) - 1);

/** The hospital's day of `now` is later than the dose's day. */
export const dayIsOver = (date: string, now: number | Date = Date.now()) => localDate(now) > date;

/** Still open when its day ended: to be marked missed. */
export const isMissedAt = (dose: { status: DoseStatus; date: string }, now: number | Date = Date.now()) =>
  dose.status === 'scheduled' && dayIsOver(dose.date, now);

/** A dose is confirmed on its own day (Beijing), not before and not after. */
export const canConfirmAt = (dose: { status: DoseStatus; date: string }, now: number | Date = Date.now()) =>
  dose.status === 'scheduled' && dose.date === localDate(now);

export interface Rate {
  taken: number;
  missed: number;
  /** Doses that count: taken, missed, and open ones whose day is over. */
  due: number;
  /** Whole percent, or null while nothing is due. */
  percent: number | null;
}

const rate = (taken: number, missed: number): Rate => {
  const due = taken + missed;
  return { taken, missed, due, percent: due === 0 ? null : Math.round((taken * 100) / due) };
};

export interface Adherence {
  overall: Rate;
  phases: Rate[];
  /** Today's doses: how many of them were taken so far. */
  today: { date: string; taken: number; total: number; percent: number | null };
}

/**
 * Adherence = taken / due. A dose taken today counts at once; one still open today does not
 * count against the patient until the day is over.
 */
export function adherence(doses: readonly { date: string; phase: number; status: DoseStatus }[], phaseCount: number, now: number | Date = Date.now()): Adherence {
  const today = localDate(now);
  const taken = Array.from({ length: phaseCount }, () => 0);
  const missed = Array.from({ length: phaseCount }, () => 0);
  let todayTaken = 0;
  let todayTotal = 0;
  for (const d of doses) {
    if (d.status === 'taken') taken[d.phase]++;
    else if (d.status === 'missed' || isMissedAt(d, now)) missed[d.phase]++;
    if (d.date === today) {
      todayTotal++;
      if (d.status === 'taken') todayTaken++;
    }
  }
  const sum = (a: number[]) => a.reduce((n, x) => n + x, 0);
  return {
    overall: rate(sum(taken), sum(missed)),
    phases: taken.map((t, i) => rate(t, missed[i])),
    today: { date: today, taken: todayTaken, total: todayTotal, percent: todayTotal === 0 ? null : Math.round((todayTaken * 100) / todayTotal) },
  };
}

/** Missed doses in a row at the end of the record (open doses of a finished day count as missed). */
export function consecutiveMisses(doses: readonly { id: string; date: string; status: DoseStatus }[], now: number | Date = Date.now()): number {
  const sorted = [...doses].sort((a, b) => a.id.localeCompare(b.id));
  let run = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const d = sorted[i];
    if (d.status === 'taken') break;
    if (d.status === 'missed' || isMissedAt(d, now)) run++;
    // an open dose of today (or later) neither breaks nor extends the run
  }
  return run;
}

export const shouldEscalate = (misses: number) => misses >= ESCALATE_AFTER_MISSES;

/** The dose's local time as an ISO instant (+08:00), for reminders. */
export const doseInstant = (dose: { date: string; time: string }) => `${dose.date}T${dose.time}:00+08:00`;

/** Days of the plan's last phase are over: the course is complete. */
export const planEnded = (endDate: string, now: number | Date = Date.now()) => dayIsOver(endDate, now);

