/** What each side sees of a request: the caller (masked phone, no dispatcher notes) and the console. */
import {
  emergencyTopic,
  EMERGENCY_STATUS_LABEL,
  isOpenEmergency,
  maskPhone,
  type CallerEmergencyView,
  type ConsoleEmergencyListItem,
  type NearRescueStation,
} from '@hospital/shared';
import type { EmergencyItem, StationItem } from './store';
import { nearestStations } from './geo';

const ORDER = ['chest_pain', 'breathing', 'allergy', 'fall_injury', 'other'];
const sortComplaints = (c: EmergencyItem['complaints']) => [...c].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));

export function callerView(e: EmergencyItem, mayCancel: boolean): CallerEmergencyView {
  return {
    id: e.id,
    status: e.status,
    statusText: EMERGENCY_STATUS_LABEL[e.status],
    open: isOpenEmergency(e.status),
    complaints: sortComplaints(e.complaints),
    text: e.text,
    place: e.place,
    phoneMasked: maskPhone(e.phone),
    location: e.location,
    dispatch: e.dispatch,
    canCancel: mayCancel,
    timeline: e.timeline.map(({ at, kind, text }) => ({ at, kind, text })),
    topic: emergencyTopic(e.id),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function listItem(e: EmergencyItem, stations: readonly StationItem[]): ConsoleEmergencyListItem & { nearestStations: NearRescueStation[] } {
  const near = e.wgs84 ? nearestStations(e.wgs84, stations) : [];
  const chosen = e.stationId ? stations.find((s) => s.id === e.stationId) : undefined;
  return {
    id: e.id,
    status: e.status,
    severity: e.severity,
    complaints: sortComplaints(e.complaints),
    text: e.text,
    phone: e.phone,
    patientName: e.patientName,
    place: e.place,
    accuracy: e.location?.accuracy,
    nearest: near[0],
    chosenStation: chosen ? { id: chosen.id, name: chosen.name } : undefined,
    presses: e.presses,
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
