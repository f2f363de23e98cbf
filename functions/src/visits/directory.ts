/** Where a resident finds a video session to book, and whom a doctor can invite to a consultation. */
import { localDate } from '@hospital/shared';
import { getSchedule, listDaySchedules } from '../catalog/schedule-store';
import { scheduleView } from '../catalog/service';
import { listDepartments, listDoctors, listOrgs } from '../catalog/store';

export async function videoSessions(date = localDate()) {
  const day = (await listDaySchedules(date)).filter((s) => s.mode === 'video' && !s.stopped);
  const found = await Promise.all(day.map((s) => getSchedule(s.id)));
  const items = found.flatMap((f) => {
    if (!f) return [];
    const v = scheduleView(f);
    const s = f.schedule;
    return [{
      scheduleId: s.id, date: s.date, session: s.session, startsAt: s.startsAt, endsAt: s.endsAt,
      org: { id: s.orgId, name: s.orgName }, department: { id: s.deptId, name: s.deptName },
      doctor: { id: s.doctorId, name: s.doctorName, title: s.doctorTitle }, fee: s.fee, placesLeft: v.placesLeft, state: v.state,
    }];
  });
  items.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return { date, items };
}

/** Doctors with a login but the caller, every organisation (a catalogue of a few hundred at most: Queries only). */
export async function invitable(callerId: string) {
  const orgs = await listOrgs();
  const items = [];
  for (const o of orgs) {
    for (const d of await listDepartments(o.id)) {
      for (const doc of await listDoctors(d.id)) {
        if (!doc.userId || doc.userId === callerId) continue;
        items.push({ id: doc.id, name: doc.name, title: doc.title, specialty: doc.specialty, org: { id: o.id, name: o.name }, department: { id: d.id, name: d.name } });
      }
    }
  }
  return { items };
}
