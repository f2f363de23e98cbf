/**
 * Call-back numbers of an SOS, from anywhere: a mainland mobile typed as 11 digits, or any
 * number in international form (+44 7400 123456, 0044…). Parsed with libphonenumber-js (the
 * JavaScript port of Google's libphonenumber; its `min` metadata validates length and leading
 * digits per country, which is what a call-back needs and keeps the mini-program small).
 *
 * Stored form: a mainland mobile stays its 11 digits (as every other part of the app keeps it);
 * everything else is E.164 (`+447400123456`), so the dispatcher dials it as is.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface CallerPhone {
  /** 11 digits for a mainland mobile, else E.164. */
  phone: string;
  /** ISO 3166-1 alpha-2 when the number belongs to one country (`GB`); undefined for +800 and the like. */
  country?: string;
  /** `+44`. */
  callingCode: string;
  /** Not a mainland number (Hong Kong, Macao and Taiwan included: 境外号码 to a 120 desk). */
  foreign: boolean;
}

/** What a person may type between digits: spaces, dashes, dots, brackets. */
const SEPARATORS = /[\s\-.()（）]/g;

/** The number as the caller typed it, or undefined when it is not a number anyone can call back. */
export function parseCallerPhone(input: string, defaultCountry: CountryCode = 'CN'): CallerPhone | undefined {
  const raw = input.replace(SEPARATORS, '').replace(/^＋/, '+').replace(/^00/, '+');
  if (!/^\+?\d{3,17}$/.test(raw)) return undefined;
  const p = parsePhoneNumberFromString(raw, defaultCountry);
  if (!p || !p.isValid()) return undefined;
  const mainland = p.countryCallingCode === '86';
  const mobile = mainland && /^1[3-9]\d{9}$/.test(p.nationalNumber);
  return {
    phone: mobile ? p.nationalNumber : p.number,
    country: p.country,
    callingCode: `+${p.countryCallingCode}`,
    foreign: !mainland,
  };
}

export const isCallerPhone = (input: string) => parseCallerPhone(input) !== undefined;

/** Names the desk reads for the countries most visitors come from; others show the ISO code. */
const COUNTRY_ZH: Record<string, string> = {
  HK: '中国香港', MO: '中国澳门', TW: '中国台湾', US: '美国', GB: '英国', JP: '日本', KR: '韩国', DE: '德国', FR: '法国',
  RU: '俄罗斯', AU: '澳大利亚', CA: '加拿大', SG: '新加坡', MY: '马来西亚', TH: '泰国', IT: '意大利', ES: '西班牙',
  NL: '荷兰', IN: '印度', NZ: '新西兰', VN: '越南', ID: '印度尼西亚', PH: '菲律宾', MN: '蒙古', KZ: '哈萨克斯坦',
};

/** `英国（GB，+44）`, `+800` for a number of no one country. */
export function countryLabel(p: Pick<CallerPhone, 'country' | 'callingCode'>): string {
  if (!p.country) return p.callingCode;
  const zh = COUNTRY_ZH[p.country];
  return zh ? `${zh}（${p.country}，${p.callingCode}）` : `${p.country}（${p.callingCode}）`;
}
