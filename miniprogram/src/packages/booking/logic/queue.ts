/** The waiting queue (候诊) as the resident reads it. */
import type { QueueStatus } from '@hospital/shared';

export interface QueueDisplay {
  /** `5号` or `未开始`. */
  called: string;
  waiting: number;
  mine?: {
    number: string;
    state: 'waiting' | 'called' | 'passed';
    /** The big sentence: 前面还有 2 人 / 轮到您了 … */
    headline: string;
    /** 预计等待约 30 分钟 */
    wait?: string;
  };
}

/**
 * The queue as seen from one appointment. The server's `mine` is the account's first person in
 * the queue; when two people of one family wait in the same session and this page is the other
 * one's, their place is worked out from their own number (people ahead counted without gaps, so
 * an upper bound, written 约).
 */
export function queueDisplay(q: QueueStatus, own?: { id: string; queueNumber?: number }): QueueDisplay {
  const out: QueueDisplay = { called: q.calledNumber > 0 ? `${q.calledNumber}号` : '未开始', waiting: q.waiting };
  let m = q.mine;
  // Not checked in yet: whatever the server found is someone else of the family.
  if (own && !own.queueNumber) m = undefined;
  if (own?.queueNumber && m && m.appointmentId !== own.id) {
    const n = own.queueNumber;
    const ahead = Math.max(0, n - Math.max(q.calledNumber, 0) - 1);
    const state = n > q.calledNumber ? 'waiting' : n === q.calledNumber ? 'called' : 'passed';
    if (state === 'waiting' && ahead > 0) {
      return { ...out, mine: { number: `${n}号`, state, headline: `前面还有约 ${ahead} 人`, wait: `预计等待约 ${ahead * q.minutesPerPatient} 分钟` } };
    }
    m = { appointmentId: own.id, number: n, ahead, estimatedWaitMinutes: ahead * q.minutesPerPatient, state };
  }
  if (!m) return out;
  const number = `${m.number}号`;
  if (m.state === 'called') return { ...out, mine: { number, state: m.state, headline: '轮到您了，请到诊室就诊' } };
  if (m.state === 'passed') return { ...out, mine: { number, state: m.state, headline: '已过号，请到分诊台咨询' } };
  if (m.ahead === 0) return { ...out, mine: { number, state: m.state, headline: '下一位就是您，请在诊室门口等候' } };
  return {
    ...out,
    mine: { number, state: m.state, headline: `前面还有 ${m.ahead} 人`, wait: `预计等待约 ${m.estimatedWaitMinutes} 分钟` },
  };
}
