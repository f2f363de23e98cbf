/** 排班管理: choosing the organisation, department and doctor with large chips. */
import { Text, View } from '@tarojs/components';
import { type DepartmentView, type DoctorView } from '@hospital/shared';
import { AsyncView } from '../../../components/AsyncView';
import { api } from '../../../services/api';
import { useApi } from '../../../services/useApi';
import '../staff.css';

export function Chip({ id, selected, label, sub, onTap }: { id: string; selected: boolean; label: string; sub?: string; onTap: () => void }) {
  return (
    <View id={id} className={`chip ${selected ? 'chip--selected' : ''}`} hoverClass='btn--pressed' ariaRole='radio' ariaLabel={sub ? `${label} ${sub}` : label} onClick={onTap}>
      <Text>{label}</Text>
      {sub ? <Text className='chip__sub'>{sub}</Text> : null}
    </View>
  );
}

/** One department's doctors as chips (each department reads its own list). */
export function DeptDoctors({ dept, doctorId, onPick }: { dept: DepartmentView; doctorId: string; onPick: (d: DoctorView) => void }) {
  const doctors = useApi(api.catalog.doctors, { params: { deptId: dept.id } });
  return (
    <View className='sched-dept'>
      <Text className='sched-dept__name'>{dept.name}</Text>
      <AsyncView state={doctors} isEmpty={(d) => d.items.length === 0} emptyText='本科室没有医生' loadingText='正在加载医生…'>
        {(d) => (
          <View className='chips'>
            {d.items.map((doc) => (
              <Chip key={doc.id} id={`sched-doctor-${doc.id}`} selected={doc.id === doctorId} label={doc.name} sub={doc.title} onTap={() => onPick(doc)} />
            ))}
          </View>
        )}
      </AsyncView>
    </View>
  );
}

export function DoctorPicker({ orgId, doctorId, onPick }: { orgId: string; doctorId: string; onPick: (d: DoctorView) => void }) {
  const departments = useApi(api.catalog.departments, { params: { orgId } });
  return (
    <AsyncView state={departments} isEmpty={(d) => d.items.length === 0} emptyText='本机构还没有科室'>
      {(d) => (
        <View id='sched-doctors'>
          {d.items.map((dept) => (
            <DeptDoctors key={dept.id} dept={dept} doctorId={doctorId} onPick={onPick} />
          ))}
        </View>
      )}
    </AsyncView>
  );
}

/** The organisations to pick from (`only`: those the user may act for). */
export function OrgPicker({ orgId, onPick, only }: { orgId: string; onPick: (id: string) => void; only?: string[] }) {
  const orgs = useApi(api.catalog.orgs);
  const shown = (items: { id: string; name: string }[]) => items.filter((o) => !only || only.includes(o.id));
  return (
    <AsyncView state={orgs} isEmpty={(d) => shown(d.items).length === 0} emptyText='没有可选的机构'>
      {(d) => (
        <View className='chips' id='sched-orgs'>
          {shown(d.items).map((o) => (
            <Chip key={o.id} id={`sched-org-${o.id}`} selected={o.id === orgId} label={o.name} onTap={() => onPick(o.id)} />
          ))}
        </View>
      )}
    </AsyncView>
  );
}
