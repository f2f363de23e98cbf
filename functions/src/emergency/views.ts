/** What each side sees of a request: the caller (masked phone, no dispatcher notes) and the console. */
import {
  countryLabel,
  emergencyTopic,
  EMERGENCY_STATUS_LABEL,
  isOpenEmergency,
  maskPhone,
  type CallerEmergencyView,
  type ConsoleEmergencyListItem,
  type EmergencyStatus,
  type NearRescueStation,
} from '@hospital/shared';
import type { EmergencyItem, StationItem } from './store';
import { nearestStations } from './geo';

const ORDER = ['chest_pain', 'breathing', 'allergy', 'fall_injury', 'other'];
const sortComplaints = (c: EmergencyItem['complaints']) => [...c].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));

export function callerView(e: EmergencyItem, mayCancel: boolean): CallerEmergencyView {
  return {
    id: e.id,
    view: 'caller',
    status: e.status,
    statusText: EMERGENCY_STATUS_LABEL[e.status],
    open: isOpenEmergency(e.status),
    complaints: sortComplaints(e.complaints),
    text: e.text,
    place: e.place,
    phoneMasked: e.phone ? maskPhone(e.phone) : undefined,
    location: e.location,
    dispatch: e.dispatch,
    canCancel: mayCancel,
    timeline: e.timeline.map(({ at, kind, text }) => ({ at, kind, text })),
    topic: emergencyTopic(e.id),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** The linked request's status in words for a joined device: an ending is not "you cancelled". */
const JOINED_STATUS_LABEL: Record<EmergencyStatus, string> = {
  ...EMERGENCY_STATUS_LABEL,
  closed: '同一号码的求助已结束',
  false_alarm: '同一号码的求助已结束',
  cancelled: '同一号码的求助已结束',
  merged: '同一号码的求助已结束',
};

/**
 * What a device whose press was linked to another device's open request sees: its own press (its
 * words, its location, its timeline) and the request's status, nothing of the first caller's
 * location, words or the team sent; it cannot cancel.
 */
export function joinedView(own: EmergencyItem, lead: EmergencyItem): CallerEmergencyView {
  const open = isOpenEmergency(lead.status);
  return {
    id: own.id,
    view: 'joined',
    status: lead.status,
    statusText: JOINED_STATUS_LABEL[lead.status],
    open,
    complaints: sortComplaints(own.complaints),
    text: own.text,
    place: own.place,
    phoneMasked: own.phone ? maskPhone(own.phone) : undefined,
    location: own.location,
    canCancel: false,
    joinedNote: open
      ? `这个号码已有一条进行中的求助（另一台手机发出）。您的求助和位置已一并转给调度员，调度员会${own.phone ? `回拨 ${maskPhone(own.phone)}` : '尽快与您联系'}。`
      : '这个号码的求助已结束。如仍需帮助，请重新求助或拨打 120。',
    timeline: own.timeline.map(({ at, kind, text }) => ({ at, kind, text })),
    topic: emergencyTopic(own.id),
    createdAt: own.createdAt,
    updatedAt: own.updatedAt,
  };
}

export function listItem(e: EmergencyItem, stations: readonly StationItem[], suspectedFlood = false): ConsoleEmergencyListItem & { nearestStations: NearRescueStation[] } {
  const near = e.wgs84 ? nearestStations(e.wgs84, stations) : [];
  const chosen = e.stationId ? stations.find((s) => s.id === e.stationId) : undefined;
  return {
    id: e.id,
    status: e.status,
    severity: e.severity,
    complaints: sortComplaints(e.complaints),
    text: e.text,
    phone: e.phone,
    phoneCountry: e.callingCode ? { code: e.phoneCountry, callingCode: e.callingCode, label: countryLabel({ country: e.phoneCountry, callingCode: e.callingCode }) } : undefined,
    foreignCaller: e.foreign || undefined,
    patientName: e.patientName,
    place: e.place,
    accuracy: e.location?.accuracy,
    nearest: near[0],
    chosenStation: chosen ? { id: chosen.id, name: chosen.name } : undefined,
    presses: e.presses,
    linkedCount: e.linkedCount,
    suspectedFlood: suspectedFlood || undefined,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    nearestStations: near,
  };
}

/** Open first; then the most severe; then the newest. */
export function consoleOrder(a: EmergencyItem, b: EmergencyItem): number {
  const open = Number(isOpenEmergency(b.status)) - Number(isOpenEmergency(a.status));
  if (open) return open;
  if (a.severity !== b.severity) return a.severity - b.severity;
  return b.createdAt.localeCompare(a.createdAt);
}
