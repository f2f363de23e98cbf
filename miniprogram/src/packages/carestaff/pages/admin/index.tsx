import { useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { PACKAGE_KIND_LABEL, PackageKind, TEAM_ROLE_LABEL, TeamRole, type PackageView, type TeamAdminView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { priceText } from '../../../../care/format';
import { Badge, Line, Pill } from '../../../../care/widgets';
import '../../../../care/care.css';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

/**
 * Admin: the family-doctor teams (members, contacts) and service packages of each centre.
 * Stopping a team or package takes it off the signing page; contracts already signed stay.
 */
export default function CareAdmin() {
  const teams = useApi(api.care.adminTeams);
  const packages = useApi(api.care.adminPackages);
  const orgs = useApi(api.catalog.orgs);
  const updateTeam = useAction(api.care.updateTeam);
  const updatePackage = useAction(api.care.updatePackage);
  const [adding, setAdding] = useState<'team' | 'package'>();

  const toggleTeam = async (t: TeamAdminView) => {
    const body = { orgId: t.orgId, name: t.name, intro: t.intro, members: t.members, active: !t.active };
    if (await updateTeam.run({ params: { teamId: t.id }, body })) teams.retry();
  };
  const togglePackage = async (p: PackageView) => {
    const { id: _id, orgName: _o, ...body } = p;
    if (await updatePackage.run({ params: { packageId: p.id }, body: { ...body, active: !p.active } })) packages.retry();
  };
  const community = (orgs.data?.items ?? []).filter((o) => o.kind !== 'hospital');

  return (
    <View className='page care-admin'>
      <Text className='subtitle'>家庭医生团队</Text>
      <AsyncView state={teams} isEmpty={(d) => d.items.length === 0} emptyText='还没有团队'>
        {(d) => (
          <View>
            {d.items.map((t) => (
              <View className='care-card' key={t.id} id={`admin-team-${t.id}`}>
                <View className='care-card__head'>
                  <Text className='care-card__name'>{t.name}</Text>
                  <Badge tone={t.active ? 'ok' : 'off'}>{t.active ? '签约中' : '已停止签约'}</Badge>
                </View>
                <Line>{t.orgName}</Line>
                {t.members.map((m) => (
                  <Line key={`${m.name}-${m.phone}`}>
                    {m.name}（{TEAM_ROLE_LABEL[m.role]}）{m.phone} {m.userId ? '· 已绑定账号' : ''}
                  </Line>
                ))}
                <Btn busy={updateTeam.loading} onTap={() => toggleTeam(t)}>
                  {t.active ? '停止签约' : '恢复签约'}
                </Btn>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
      {updateTeam.error ? <Text className='error-text'>{describeError(updateTeam.error)}</Text> : null}
      {adding === 'team' ? <NewTeam orgs={community} onDone={() => (setAdding(undefined), teams.retry())} /> : <Btn onTap={() => setAdding('team')}>+ 新建团队</Btn>}

      <Text className='subtitle'>服务包</Text>
      <AsyncView state={packages} isEmpty={(d) => d.items.length === 0} emptyText='还没有服务包'>
        {(d) => (
          <View>
            {d.items.map((p) => (
              <View className='care-card' key={p.id} id={`admin-package-${p.id}`}>
                <View className='care-card__head'>
                  <Text className='care-card__name'>{p.name}</Text>
                  <Badge tone={p.active ? 'ok' : 'off'}>{p.active ? '可签约' : '已停用'}</Badge>
                </View>
                <Line>
                  {PACKAGE_KIND_LABEL[p.kind]} · {priceText(p.priceFen)} · {p.orgName}
                </Line>
                <Line>{p.services.map((s) => s.name).join('、')}</Line>
                <Btn busy={updatePackage.loading} onTap={() => togglePackage(p)}>
                  {p.active ? '停用' : '启用'}
                </Btn>
              </View>
            ))}
          </View>
        )}
      </AsyncView>
      {updatePackage.error ? <Text className='error-text'>{describeError(updatePackage.error)}</Text> : null}
      {adding === 'package' ? <NewPackage orgs={community} onDone={() => (setAdding(undefined), packages.retry())} /> : <Btn onTap={() => setAdding('package')}>+ 新建服务包</Btn>}
    </View>
  );
}

type Org = { id: string; name: string };

function OrgPick({ orgs, orgId, onPick }: { orgs: Org[]; orgId?: string; onPick: (id: string) => void }) {
  return (
    <View className='care-row care-row--wrap'>
      {orgs.map((o) => (
        <Pill key={o.id} on={orgId === o.id} onTap={() => onPick(o.id)}>
          {o.name}
        </Pill>
      ))}
    </View>
  );
}

/** Members one per line: 姓名,角色(家庭医生/社区护士/公卫医生/乡村医生),电话[,账号ID]. */
function NewTeam({ orgs, onDone }: { orgs: Org[]; onDone: () => void }) {
  const create = useAction(api.care.createTeam);
  const [orgId, setOrgId] = useState<string>();
  const [name, setName] = useState('');
  const [lines, setLines] = useState('');
  const roleOf = (label: string) => TeamRole.options.find((r) => TEAM_ROLE_LABEL[r] === label.trim()) ?? 'doctor';
  const submit = async () => {
    const members = lines
      .split('\n')
      .map((l) => l.split(/[,，]/).map((x) => x.trim()))
      .filter((f) => f[0])
      .map(([n, role, phone, userId]) => ({ name: n, role: roleOf(role ?? ''), phone: phone ?? '', title: '', ...(userId ? { userId } : {}) }));
    if (await create.run({ body: { orgId: orgId ?? '', name, members } })) onDone();
  };
  return (
    <View className='care-card'>
      <Text className='care-label'>机构</Text>
      <OrgPick orgs={orgs} orgId={orgId} onPick={setOrgId} />
      <Input className='care-input' value={name} placeholder='团队名称' onInput={(e) => setName(e.detail.value)} />
      <Textarea className='care-textarea' value={lines} placeholder={'成员，每行一人：姓名,角色,电话,账号ID(可选)\n如：孙慧,家庭医生,0538-6201001,demo-family-doctor'} onInput={(e) => setLines(e.detail.value)} />
      {create.error ? <Text className='error-text'>{describeError(create.error)}</Text> : null}
      <Btn kind='primary' busy={create.loading} onTap={submit}>
        创建团队
      </Btn>
    </View>
  );
}

/** Services one per line: 项目,说明. */
function NewPackage({ orgs, onDone }: { orgs: Org[]; onDone: () => void }) {
  const create = useAction(api.care.createPackage);
  const [orgId, setOrgId] = useState<string>();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PackageKind>('basic');
  const [price, setPrice] = useState('0');
  const [lines, setLines] = useState('');
  const submit = async () => {
    const services = lines
      .split('\n')
      .map((l) => l.split(/[,，]/).map((x) => x.trim()))
      .filter((f) => f[0])
      .map(([n, detail]) => ({ name: n, detail: detail ?? '' }));
    const priceFen = Math.round(Number(price || '0') * 100);
    if (await create.run({ body: { orgId: orgId ?? '', name, kind, services, priceFen } })) onDone();
  };
  return (
    <View className='care-card'>
      <Text className='care-label'>机构</Text>
      <OrgPick orgs={orgs} orgId={orgId} onPick={setOrgId} />
      <Input className='care-input' value={name} placeholder='服务包名称' onInput={(e) => setName(e.detail.value)} />
      <View className='care-row care-row--wrap'>
        {PackageKind.options.map((k) => (
          <Pill key={k} on={kind === k} onTap={() => setKind(k)}>
            {PACKAGE_KIND_LABEL[k]}
          </Pill>
        ))}
      </View>
      <Input className='care-input' type='digit' value={price} placeholder='每年价格（元），免费填0' onInput={(e) => setPrice(e.detail.value)} />
      <Textarea className='care-textarea' value={lines} placeholder={'服务项目，每行一项：项目,说明'} onInput={(e) => setLines(e.detail.value)} />
      {create.error ? <Text className='error-text'>{describeError(create.error)}</Text> : null}
      <Btn kind='primary' busy={create.loading} onTap={submit}>
        创建服务包
      </Btn>
    </View>
  );
}
