/**
 * Resident ID card numbers (居民身份证号码, GB 11643-1999) and phone numbers: validation and the
 * masks every response uses. Pure functions, shared by the server and the mini-program's forms.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CODES = '10X98765432';
/** Province-level codes (first two digits) issued under GB/T 2260, plus 71/81/82 (TW/HK/MO residents' cards). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
]);

export type IdCardProblem = 'format' | 'region' | 'birth_date' | 'checksum';

export type IdCardResult =
  | { ok: true; idNumber: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; problem: IdCardProblem; message: string };

const MESSAGES: Record<IdCardProblem, string> = {
  format: '身份证号码应为18位，最后一位可为数字或X',
  region: '身份证号码的地区码无效',
  birth_date: '身份证号码中的出生日期无效',
  checksum: '身份证号码校验位不正确，请核对',
};

/** The check character (0-9 or X) of the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CODES[sum % 11];
}

/**
 * Validates an 18-digit resident ID number: format, province code, a real birth date not in the
 * future (and not before 1900), and the ISO 7064 MOD 11-2 check character. Lower-case x is accepted
 * and normalised. `today` (YYYY-MM-DD, hospital calendar) is injectable for tests.
 */
export function validateIdCard(input: string, today = new Date().toISOString().slice(0, 10)): IdCardResult {
  const idNumber = input.trim().toUpperCase();
  const fail = (problem: IdCardProblem): IdCardResult => ({ ok: false, problem, message: MESSAGES[problem] });
  if (!/^\d{17}[\dX]$/.test(idNumber)) return fail('format');
  if (!PROVINCES.has(Number(idNumber.slice(0, 2)))) return fail('region');
  const y = Number(idNumber.slice(6, 10));
  const m = Number(idNumber.slice(10, 12));
  const d = Number(idNumber.slice(12, 14));
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const real = new Date(Date.UTC(y, m - 1, d));
  const isRealDate = real.getUTCFullYear() === y && real.getUTCMonth() === m - 1 && real.getUTCDate() === d;
  if (!isRealDate || y < 1900 || birthDate > today) return fail('birth_date');
  if (idCardCheckChar(idNumber.slice(0, 17)) !== idNumber[17]) return fail('checksum');
  // The 17th digit (sequence code) is odd for men, even for women.
  return { ok: true, idNumber, birthDate, sex: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female' };
}

/** `110101199003071234` → `1101**********1234`: first four and last four only. */
export function maskIdCard(idNumber: string): string {
  if (idNumber.length <= 8) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 4)}${'*'.repeat(idNumber.length - 8)}${idNumber.slice(-4)}`;
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/** `13812345678` → `138****5678`. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** `张建国` → `张*国`, `王五` → `王*`: for lists others may see (queue screens, staff lists). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Whole years between a birth date and a day, both YYYY-MM-DD. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
