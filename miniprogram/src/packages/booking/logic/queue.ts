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

export function queueDisplay(q: QueueStatus): QueueDisplay {
  const out: QueueDisplay = { called: q.calledNumber > 0 ? `${q.calledNumber}号` : '未开始', waiting: q.waiting };
  const m = q.mine;
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
