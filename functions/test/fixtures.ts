/** People and tokens for tests that need a patient on an account (through the real patients route). */
import { randomUUID } from 'node:crypto';
import { api, idCardCheckChar } from '@hospital/shared';
import { handler as patients } from '../src/patients/handler';
import { call, tokenFor } from './http';
import { consentAll, verifyAtWindow } from './people';

/**
 * A valid GB 11643 number from Dongcheng, Beijing with a random birth date (1940–1999) and
 * sequence: about 20 million values, so test files sharing one table never collide.
 */
export function idNumber(): string {
  const r = (n: number) => Math.floor(Math.random() * n);
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  const first17 = `110101${1940 + r(60)}${pad(1 + r(12), 2)}${pad(1 + r(28), 2)}${pad(r(1000), 3)}`;
  return first17 + idCardCheckChar(first17);
}

/** A patient-role user with one person (themself) on the account, verified unless `verified: false`. */
export async function patientAccount(name = '测试患者', o: { verified?: boolean } = {}) {
  const userId = `u_${randomUUID()}`;
  const token = await tokenFor(['patient'], userId);
  await consentAll(userId);
  const idNo = idNumber();
  const r = await call(patients, api.patients.create, {
    token,
    body: { name, relation: 'self', phone: '13800138000', idNumber: idNo },
    headers: { 'idempotency-key': `fixture-${randomUUID()}` },
  });
  if (r.status !== 201 && r.status !== 200) throw new Error(`could not create a patient: ${r.status} ${r.text}`);
  if (o.verified !== false) await verifyAtWindow(userId, r.body.id, idNo);
  return { userId, token, patientId: r.body.id as string, idNumber: idNo };
}
