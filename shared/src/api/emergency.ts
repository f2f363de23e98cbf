/**
 * Emergency help (紧急求助) and the 120 dispatch console.
 *
 * Caller routes are `public`: a tourist has no account. A logged-in resident sends their
 * access token and is known; everyone gets back a capability token (`accessToken`) that opens
 * only this one emergency — send it as `Authorization: Bearer` to read, add details or cancel,
 * and as `?token=` on the WebSocket to be pushed each change (topic `emergency:<id>`).
 * The console is for dispatchers only; it is pushed on `role:dispatcher` and polls as fallback.
 */
import * as z from 'zod';
import { route } from './contract';
import { LatLng } from './catalog';
import { isCallerPhone } from '../phone';
import { Complaint, DispatcherAction, EmergencyStatus, FloodSource } from '../emergency';

export const CoordSystem = z.enum(['gcj02', 'wgs84']);
export type CoordSystem = z.infer<typeof CoordSystem>;

/** A fix as the phone reported it: mini-programs give GCJ-02, browsers WGS-84. */
export const CapturedLocation = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** Horizontal accuracy in metres, as reported. */
  accuracy: z.number().min(0).max(100_000),
  coordSystem: CoordSystem,
  capturedAt: z.iso.datetime({ offset: true }),
});
export type CapturedLocation = z.infer<typeof CapturedLocation>;

const note = z.string().trim().max(500);
/** A mainland mobile, or any number with its country code (+44 7400 123456): shared/src/phone.ts. */
const phone = z.string().trim().max(40).refine(isCallerPhone, '请填写能回拨的电话号码（境外号码请加国家代码，如 +44）');

/**
 * A random secret the app makes once and keeps on the device (Taro storage). It is sent with the
 * press (in the body, so a retry with the same Idempotency-Key from another device is a different
 * request) and with every later read or change as `X-Device-Secret`: the capability token works
 * only together with it. Never shown, never logged; the server keeps only a digest.
 */
export const DeviceSecret = z.string().regex(/^[\w-]{22,128}$/, '设备标识无效');
export const DEVICE_SECRET_HEADER = 'x-device-secret';

/**
 * Location first: a press needs nothing but itself. The position and the time go at once; the
 * call-back number, what happened and the person may come with it or after it (`details`). A
 * press with no position and no words is stored all the same: the dispatcher sees when and from
 * which device, and the request fills in as the caller adds to it.
 */
export const CreateEmergencyRequest = z.object({
  location: CapturedLocation.optional(),
  /** Where the person is, in words, when location is refused or poor (十八盘中段、红门售票处). */
  place: z.string().trim().max(200).optional(),
  /** The nearest known station the person chose when location is refused. */
  stationId: z.string().trim().min(1).max(80).optional(),
  /** The number to call back (optional; a logged-in person's defaults to the person's phone). */
  phone: phone.optional(),
  complaints: z.array(Complaint).max(5).default([]),
  text: z.string().trim().max(500).optional(),
  /** A person on the caller's account (logged in only): the dispatcher sees their health summary. */
  patientId: z.string().trim().min(1).max(80).optional(),
  /** The app's device secret (see DeviceSecret). Without one the request is stored all the same, but no capability is returned. */
  device: DeviceSecret.optional(),
});
export type CreateEmergencyRequest = z.input<typeof CreateEmergencyRequest>;

/**
 * caller: the request this device pressed (or pressed again). joined: this press was linked, for
 * the dispatcher, to an open request another device made for the same phone number; this device
 * sees and changes only its own press (never the other caller's location or words).
 */
export const CallerViewKind = z.enum(['caller', 'joined']);

export const EmergencyCreated = z.object({
  /** The request to follow: the open one when this device pressed again, else this press. */
  id: z.string(),
  status: EmergencyStatus,
  /** True when this press joined an open request from the same phone (within 2 minutes). */
  attached: z.boolean(),
  view: CallerViewKind,
  /**
   * Capability token for `id` only (read, add details, cancel, live updates), bound to the
   * device secret sent with the press; absent when the press carried none.
   */
  accessToken: z.string().optional(),
  accessExpiresAt: z.string().optional(),
  topic: z.string(),
  createdAt: z.string(),
});
export type EmergencyCreated = z.infer<typeof EmergencyCreated>;

export const EmergencyDispatchInfo = z.object({
  team: z.string(),
  etaMinutes: z.number().int(),
  /** When the team is expected (dispatchedAt + ETA). */
  eta: z.string(),
  dispatchedAt: z.string(),
});

export const EmergencyTimelineKind = z.enum(['created', 'repeat', 'details', 'acknowledge', 'dispatch', 'arrive', 'close', 'false_alarm', 'cancel']);
export const CallerEmergencyTimelineEntry = z.object({ at: z.string(), kind: EmergencyTimelineKind, text: z.string() });

/** What the caller sees of their own request (no dispatcher notes, phone masked). */
export const CallerEmergencyView = z.object({
  id: z.string(),
  view: CallerViewKind,
  /** joined: the linked request's status (never its content); caller: this request's. */
  status: EmergencyStatus,
  statusText: z.string(),
  open: z.boolean(),
  complaints: z.array(Complaint),
  text: z.string().optional(),
  place: z.string().optional(),
  /** Absent until the caller gives a number. */
  phoneMasked: z.string().optional(),
  location: CapturedLocation.optional(),
  dispatch: EmergencyDispatchInfo.optional(),
  /** True when this caller's token may cancel (the one who pressed first). */
  canCancel: z.boolean(),
  /** joined: what happened to this press, in words. */
  joinedNote: z.string().optional(),
  timeline: z.array(CallerEmergencyTimelineEntry),
  topic: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CallerEmergencyView = z.infer<typeof CallerEmergencyView>;

export const AddEmergencyDetailsRequest = z
  .object({
    text: z.string().trim().min(1).max(500).optional(),
    complaints: z.array(Complaint).min(1).max(5).optional(),
    location: CapturedLocation.optional(),
    /** The call-back number, when the press went without one (or a better one). */
    phone: phone.optional(),
    place: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { path: ['text'], message: '请填写要补充的情况' });

export const CancelEmergencyRequest = z.object({ reason: note.optional() });

// ── stations ──

export const RescueStationKind = z.enum(['station', 'hospital', 'rescue']);
export const RescueStationView = z.object({
  id: z.string(),
  name: z.string(),
  kind: RescueStationKind,
  phone: z.string().optional(),
  /** Stored in WGS-84; GCJ-02 is derived. */
  wgs84: LatLng,
  gcj02: LatLng,
});
export type RescueStationView = z.infer<typeof RescueStationView>;

export const CreateRescueStationRequest = z.object({
  name: z.string().trim().min(1).max(60),
  kind: RescueStationKind,
  phone: z.string().trim().regex(/^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$|^120$/, '请输入有效的电话号码').optional(),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  coordSystem: CoordSystem,
});

// ── console ──

export const NearRescueStation = z.object({
  id: z.string(),
  name: z.string(),
  kind: RescueStationKind,
  phone: z.string().optional(),
  distanceMeters: z.number().int(),
  /** From the station to the caller, degrees clockwise from north, and in words (东南). */
  bearingDegrees: z.number().int(),
  direction: z.string(),
});
export type NearRescueStation = z.infer<typeof NearRescueStation>;

export const ConsoleEmergencyTimelineEntry = z.object({
  at: z.string(),
  kind: EmergencyTimelineKind,
  text: z.string(),
  note: z.string().optional(),
  by: z.string().optional(),
});

export const ConsoleEmergencyListItem = z.object({
  id: z.string(),
  status: EmergencyStatus,
  severity: z.number().int(),
  complaints: z.array(Complaint),
  text: z.string().optional(),
  /** Unmasked: the dispatcher calls back. Absent until the caller gives one. */
  phone: z.string().optional(),
  /** The number's country (`GB`) and calling code, and whether it is not a mainland number (a visitor). */
  phoneCountry: z.object({ code: z.string().optional(), callingCode: z.string(), label: z.string() }).optional(),
  foreignCaller: z.boolean().optional(),
  patientName: z.string().optional(),
  place: z.string().optional(),
  accuracy: z.number().optional(),
  nearest: NearRescueStation.optional(),
  /** The station the person chose when there was no location. */
  chosenStation: z.object({ id: z.string(), name: z.string() }).optional(),
  presses: z.number().int(),
  /** Presses for the same number from other devices, linked to this request (see `linked` in the detail). */
  linkedCount: z.number().int().optional(),
  /** Anonymous, from a source that is flooding (it is listed in that flood group). */
  suspectedFlood: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConsoleEmergencyListItem = z.infer<typeof ConsoleEmergencyListItem>;

/**
 * Anonymous requests from one source past its threshold (SOS_FLOOD_THRESHOLD), collapsed into one
 * entry listed after every request from a normal source. Each member stays a stored request the
 * dispatcher can open; `dismiss` marks the reviewed ones a false alarm in one action.
 */
export const FloodGroupView = z.object({
  id: z.string(),
  source: FloodSource,
  /** 同一设备 / 同一网络地址 / 同一号段 139 1234. */
  label: z.string(),
  count: z.number().int(),
  /** Untouched members (status received): what dismiss would end. */
  open: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  /** Members, newest first (at most 200 here; `count` has them all). */
  members: z.array(ConsoleEmergencyListItem),
});
export type FloodGroupView = z.infer<typeof FloodGroupView>;

export const DismissFloodRequest = z.object({
  reason: note.min(1, '请说明判断为批量误报的理由'),
  /** The newest member the dispatcher reviewed: anything that arrived after it stays. */
  upTo: z.iso.datetime({ offset: true }),
});

export const EmergencyHealthSummary = z.object({
  bloodType: z.string(),
  allergies: z.array(z.string()),
  conditions: z.array(z.string()),
  medications: z.array(z.string()),
  emergencyContacts: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string() })),
});

/** A press for the same number from another device, linked to the request for the dispatcher. */
export const LinkedPressView = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  complaints: z.array(Complaint),
  text: z.string().optional(),
  place: z.string().optional(),
  /** Whether a logged-in account pressed. */
  known: z.boolean(),
  location: z
    .object({ reported: CapturedLocation, wgs84: LatLng, gcj02: LatLng, mapLinks: z.object({ amap: z.string(), osm: z.string() }) })
    .optional(),
  nearest: NearRescueStation.optional(),
  timeline: z.array(CallerEmergencyTimelineEntry),
});
export type LinkedPressView = z.infer<typeof LinkedPressView>;

export const ConsoleEmergencyView = ConsoleEmergencyListItem.extend({
  caller: z.object({
    known: z.boolean(),
    patient: z.object({ id: z.string(), name: z.string(), sex: z.enum(['male', 'female']), age: z.number().int() }).optional(),
  }),
  location: z
    .object({
      reported: CapturedLocation,
      wgs84: LatLng,
      gcj02: LatLng,
      /** 高德 (GCJ-02) and OpenStreetMap (WGS-84) links. */
      mapLinks: z.object({ amap: z.string(), osm: z.string() }),
    })
    .optional(),
  nearestStations: z.array(NearRescueStation),
  dispatch: EmergencyDispatchInfo.optional(),
  /** Read under the emergency grant and audited; absent without a person or once it has ended. */
  healthSummary: EmergencyHealthSummary.optional(),
  healthSummaryNote: z.string().optional(),
  timeline: z.array(ConsoleEmergencyTimelineEntry),
  /** Presses for the same number from other devices: their own location and words. */
  linked: z.array(LinkedPressView),
});
export type ConsoleEmergencyView = z.infer<typeof ConsoleEmergencyView>;

export const DispatcherActionRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acknowledge'), note: note.optional() }),
  z.object({
    action: z.literal('dispatch'),
    team: z.string().trim().min(1, '请填写出车单位或车辆').max(60),
    etaMinutes: z.number().int().min(1).max(240),
    note: note.optional(),
  }),
  z.object({ action: z.literal('arrive'), note: note.optional() }),
  /** Ending asks for a reason, which the caller reads on their timeline (the note stays on the console). */
  z.object({ action: z.literal('close'), reason: note.min(1, '请填写结束原因（求助人可以看到）'), note: note.optional() }),
  z.object({ action: z.literal('false_alarm'), reason: note.min(1, '请说明误报原因（求助人可以看到）'), note: note.optional() }),
]);
export type DispatcherActionRequest = z.input<typeof DispatcherActionRequest>;
// Every dispatcher action has a request shape (a compile-time check).
const _actions: DispatcherAction extends DispatcherActionRequest['action'] ? true : never = true;
void _actions;

const DISPATCHER = ['dispatcher'] as const;
/**
 * A caller's own routes (read, add details, cancel) get a ceiling far above any real caller's
 * pace — the tracking page polls, a moving caller sends their location — so only a flood meets it.
 */
const CALLER_CEILING = { rules: [{ per: 'ip', max: 1200, windowSeconds: 60 }, { per: 'account', max: 600, windowSeconds: 60 }] } as const;

export const emergencyRoutes = {
  create: route({
    method: 'POST',
    path: '/v1/emergencies',
    access: 'public',
    body: CreateEmergencyRequest,
    response: EmergencyCreated,
    status: 201,
    idempotency: 'required',
    // Never 429: a real caller may be inside a flood. Floods are stored and grouped for the console instead.
    rateLimit: { neverRefuse: 'an SOS is stored first and never refused; floods are grouped on the 120 console (emergency/flood.ts)' },
    summary: 'Call for help: stored first, answered at once; repeated presses from one phone within 2 minutes join the open request',
  }),
  get: route({ method: 'GET', path: '/v1/emergencies/{emergencyId}', access: 'public', response: CallerEmergencyView, rateLimit: CALLER_CEILING, summary: "The caller's view (capability token or the owner's login)" }),
  addDetails: route({
    method: 'POST',
    path: '/v1/emergencies/{emergencyId}/details',
    access: 'public',
    body: AddEmergencyDetailsRequest,
    response: CallerEmergencyView,
    idempotency: 'optional',
    rateLimit: CALLER_CEILING,
    summary: 'The caller adds what happened or a better location while the request is open',
  }),
  cancel: route({
    method: 'POST',
    path: '/v1/emergencies/{emergencyId}/cancel',
    access: 'public',
    body: CancelEmergencyRequest,
    response: CallerEmergencyView,
    idempotency: 'optional',
    rateLimit: CALLER_CEILING,
    summary: 'The caller cancels (until help has arrived)',
  }),
  stations: route({ method: 'GET', path: '/v1/stations', access: 'public', response: z.object({ items: z.array(RescueStationView) }), summary: 'Known rescue points (南天门, the city hospital …)' }),
  addStation: route({ method: 'POST', path: '/v1/stations', access: ['platform_admin'], body: CreateRescueStationRequest, response: RescueStationView, status: 201, idempotency: 'optional', summary: 'The platform admin adds a rescue point (audited): the region’s, no one organisation’s' }),
  list: route({
    method: 'GET',
    path: '/v1/dispatch/emergencies',
    access: DISPATCHER,
    query: z.object({ scope: z.enum(['open', 'recent']).default('open') }),
    response: z.object({
      items: z.array(ConsoleEmergencyListItem),
      floods: z.array(FloodGroupView),
      serverTime: z.string(),
      /** Seconds unacknowledged before a request escalates (SOS_ESCALATE_AFTER_SECONDS; isEscalated). */
      escalateAfterSeconds: z.number().int(),
    }),
    summary: 'Open emergencies from normal sources, most severe then newest first (recent: also those ended in the last 24 h); suspected floods collapsed into groups after them',
  }),
  detail: route({ method: 'GET', path: '/v1/dispatch/emergencies/{emergencyId}', access: DISPATCHER, response: ConsoleEmergencyView, summary: 'One emergency with location, nearest stations, health summary (audited) and timeline' }),
  act: route({
    method: 'POST',
    path: '/v1/dispatch/emergencies/{emergencyId}/actions',
    access: DISPATCHER,
    body: DispatcherActionRequest,
    response: ConsoleEmergencyView,
    idempotency: 'optional',
    summary: 'Acknowledge, dispatch (team, ETA), arrived, close or false alarm, each with a note (409 EMERGENCY_STATE when not allowed now)',
  }),
  dismissFlood: route({
    method: 'POST',
    path: '/v1/dispatch/floods/{groupId}/dismiss',
    access: DISPATCHER,
    body: DismissFloodRequest,
    response: z.object({ groupId: z.string(), dismissed: z.number().int(), kept: z.number().int() }),
    idempotency: 'optional',
    summary: 'A dispatcher reviewed a suspected flood: its untouched members up to `upTo` become false alarms in one action (acknowledged ones stay)',
  }),
};
