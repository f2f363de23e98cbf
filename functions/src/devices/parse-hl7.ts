/**
 * HL7 v2 ORU^R01 (IHE PCD-01 style), the older form some kiosks send. MSH-10 (message control id)
 * is the idempotency key; each OBX is one result: OBX-3 code^text^LN, OBX-5 value, OBX-6 unit
 * (UCUM), OBX-8 abnormal flag, OBX-11 status, OBX-14 time. An OBR-4 with a LOINC panel code
 * (urine routine, blood count) groups the OBX after it. Parsed with Medplum's HL7 v2 model.
 */
import { Hl7Message, type Hl7Segment } from '@medplum/core';
import type { FieldError } from '@hospital/shared';
import type { ObservationIn, PushIn } from './measure';

/** A field as text; '' when the segment is shorter (getField gives undefined past its end). */
const field = (seg: Hl7Segment, i: number) => seg.getField(i)?.toString() ?? '';

const PANELS = new Set(['24356-8', '58410-2', '85354-9']);

/** HL7 TS (`20250101120000+0800`, seconds optional) → ISO; no offset means Beijing time; a date alone (`20250101`) stays a date. */
export function hl7Time(ts: string): string | undefined {
  const day = /^(\d{4})(\d{2})(\d{2})$/.exec(ts.trim());
  if (day) return `${day[1]}-${day[2]}-${day[3]}`;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?([+-]\d{4})?$/.exec(ts.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', z = '+0800'] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${z.slice(0, 3)}:${z.slice(3)}`;
}

export function parseHl7(raw: string): { push?: PushIn; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let msg: Hl7Message;
  try {
    // Segments end with CR; tolerate LF / CRLF from tools that rewrite line ends.
    msg = Hl7Message.parse(raw.replace(/\r\n|\n/g, '\r').trim());
  } catch {
    return { errors: [{ path: 'body', message: '无法解析 HL7 v2 消息' }] };
  }
  const msh = msg.getSegment('MSH');
  if (!msh || msh.name !== 'MSH') return { errors: [{ path: 'MSH', message: '缺少 MSH 段' }] };
  if (msh.getComponent(9, 1) !== 'ORU' || msh.getComponent(9, 2) !== 'R01') errors.push({ path: 'MSH-9', message: '消息类型须为 ORU^R01' });
  const controlId = field(msh, 10).trim();
  if (!controlId || controlId.length > 200) errors.push({ path: 'MSH-10', message: 'MSH-10（消息控制ID）必填，用于去重' });

  const observations: ObservationIn[] = [];
  let panel: string | undefined;
  let obrTime: string | undefined;
  let obx = 0;
  for (const seg of msg.segments) {
    if (seg.name === 'OBR') {
      const code = seg.getComponent(4, 1);
      panel = seg.getComponent(4, 3) === 'LN' && PANELS.has(code) && code !== '85354-9' ? code : undefined;
      obrTime = hl7Time(field(seg, 7));
      continue;
    }
    if (seg.name !== 'OBX') continue;
    obx += 1;
    const at = `OBX[${obx}]`;
    const status = field(seg, 11).trim();
    if (status === 'X' || status === 'D' || status === 'W') continue; // cannot obtain / deleted / wrong
    const code = seg.getComponent(3, 1).trim();
    if (seg.getComponent(3, 3) !== 'LN' || !/^\d{1,7}-\d$/.test(code)) {
      errors.push({ path: `${at}-3`, message: 'OBX-3 须为 LOINC 编码（编码^名称^LN）' });
      continue;
    }
    const type = field(seg, 2).trim();
    const rawValue = field(seg, 5).trim();
    const when = field(seg, 14).trim();
    const o: ObservationIn = {
      ref: at,
      code,
      unit: seg.getComponent(6, 1).trim() || undefined,
      interpretation: field(seg, 8).trim() || undefined,
      effectiveAt: (when ? hl7Time(when) : undefined) ?? obrTime,
      panel,
    };
    if (when && !hl7Time(when)) errors.push({ path: `${at}-14`, message: 'OBX-14 时间格式应为 YYYYMMDDHHMMSS[+ZZZZ]' });
    if (type === 'NM' || type === 'SN') {
      const v = Number(type === 'SN' ? seg.getComponent(5, 2) : rawValue);
      if (rawValue === '' || Number.isNaN(v)) {
        errors.push({ path: `${at}-5`, message: `OBX-5 不是数值：${rawValue.slice(0, 20)}` });
        continue;
      }
      o.value = v;
    } else if (type === 'ST' || type === 'TX' || type === 'CWE' || type === 'CE' || type === 'FT') {
      o.valueText = (type === 'CWE' || type === 'CE' ? seg.getComponent(5, 2) || seg.getComponent(5, 1) : rawValue).slice(0, 200);
    } else {
      errors.push({ path: `${at}-2`, message: `不支持的值类型 ${type}（波形请使用 FHIR 格式）` });
      continue;
    }
    observations.push(o);
  }
  if (!obx) errors.push({ path: 'OBX', message: '消息中没有 OBX 结果' });
  if (errors.length) return { errors };
  return {
    errors,
    push: {
      format: 'hl7v2',
      messageId: `hl7|${field(msh, 3)}|${controlId}`,
      sentAt: hl7Time(field(msh, 7)),
      observations,
    },
  };
}
