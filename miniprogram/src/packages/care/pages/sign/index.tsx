import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import {
  AGREEMENT_TEXT,
  AGREEMENT_TITLE,
  AGREEMENT_VERSION,
  CHRONIC_CONDITION_LABEL,
  ChronicCondition,
  PACKAGE_KIND_LABEL,
  RELATION_LABEL,
  TEAM_ROLE_LABEL,
} from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { priceText } from '../../../../care/format';
import { Check, Choice, Line } from '../../../../care/widgets';
import '../../../../care/care.css';
import { navigate, redirect } from '../../../../navigation';
import { api, describeError } from '../../../../services/api';
import { useAction, useApi } from '../../../../services/useApi';

/**
 * Signing (签约): the person, the team, the package, the conditions the team should follow up,
 * then the agreement, read and accepted (the acceptance is the recorded consent).
 */
export default function Sign() {
  const patients = useApi(api.patients.list, undefined, { refreshOnShow: true });
  const teams = useApi(api.care.teams, { query: {} });
  const packages = useApi(api.care.packages, { query: {} });
  const sign = useAction(api.care.sign);
  const [patientId, setPatientId] = useState<string>();
  const [teamId, setTeamId] = useState<string>();
  const [packageId, setPackageId] = useState<string>();
  const [conditions, setConditions] = useState<ChronicCondition[]>([]);
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState<string>();

  const team = teams.data?.items.find((t) => t.id === teamId);
  const offered = (packages.data?.items ?? []).filter((p) => !team || p.orgId === team.orgId);

  const submit = async () => {
    const gap = !patientId ? '请选择签约人' : !teamId ? '请选择家庭医生团队' : !packageId ? '请选择服务包' : !agreed ? '请阅读并勾选同意签约协议' : undefined;
    setMissing(gap);
    if (gap || !patientId || !teamId || !packageId) return;
    const c = await sign.run({ body: { patientId, teamId, packageId, conditions, agreementVersion: AGREEMENT_VERSION, accepted: true } });
    if (c) await redirect('careContract', { id: c.id });
  };

  return (
    <View className='page care-sign' id='care-sign-page'>
      <Text className='subtitle'>1. 为谁签约</Text>
      <AsyncView state={patients} isEmpty={(d) => d.items.length === 0} emptyText='还没有就诊人，请先添加'>
        {(d) => (
          <View>
            {d.items.map((p) => (
              <Choice key={p.id} id={`sign-person-${p.id}`} selected={patientId === p.id} onTap={() => setPatientId(p.id)} title={`${p.name}（${RELATION_LABEL[p.relation]}）`}>
                <Line>{p.idNumberMasked}</Line>
              </Choice>
            ))}
          </View>
        )}
      </AsyncView>
      <Btn id='sign-add-person' onTap={() => navigate('patientForm')}>
        + 添加家人
      </Btn>

      <Text className='subtitle'>2. 选择家庭医生团队</Text>
      <AsyncView state={teams} isEmpty={(d) => d.items.length === 0} emptyText='暂无可签约的团队'>
        {(d) => (
          <View>
            {d.items.map((t) => (
              <Choice
                key={t.id}
                id={`sign-team-${t.id}`}
                selected={teamId === t.id}
                onTap={() => {
                  setTeamId(t.id);
                  setPackageId(undefined);
                }}
                title={t.name}
              >
                <Line>{t.orgName}</Line>
                <Line>{t.members.map((m) => `${m.name}（${TEAM_ROLE_LABEL[m.role]}）`).join('、')}</Line>
                {t.intro ? <Line>{t.intro}</Line> : null}
              </Choice>
            ))}
          </View>
        )}
      </AsyncView>

      <Text className='subtitle'>3. 选择服务包</Text>
      <AsyncView state={packages}>
        {() =>
          offered.length === 0 ? (
            <Text className='muted'>请先选择团队</Text>
          ) : (
            <View>
              {offered.map((p) => (
                <Choice key={p.id} id={`sign-package-${p.id}`} selected={packageId === p.id} onTap={() => setPackageId(p.id)} title={`${p.name} · ${priceText(p.priceFen)}`}>
                  <Line>{PACKAGE_KIND_LABEL[p.kind]}{p.intro ? `：${p.intro}` : ''}</Line>
                  {p.services.map((s) => (
                    <Line key={s.name}>
                      · {s.name}
                      {s.detail ? `（${s.detail}）` : ''}
                    </Line>
                  ))}
                </Choice>
              ))}
            </View>
          )
        }
      </AsyncView>

      <Text className='subtitle'>4. 需要团队随访的慢病（可不选）</Text>
      {ChronicCondition.options.map((c) => (
        <Check key={c} id={`sign-condition-${c}`} on={conditions.includes(c)} onTap={() => setConditions((xs) => (xs.includes(c) ? xs.filter((x) => x !== c) : [...xs, c]))}>
          {CHRONIC_CONDITION_LABEL[c]}
        </Check>
      ))}

      <Text className='subtitle'>5. {AGREEMENT_TITLE}</Text>
      <View className='care-agreement' id='sign-agreement'>
        {AGREEMENT_TEXT.map((p) => (
          <Text key={p} className='care-agreement__p'>
            {p}
          </Text>
        ))}
        <Text className='muted'>协议版本 {AGREEMENT_VERSION}</Text>
      </View>
      <Check id='sign-agree' on={agreed} onTap={() => setAgreed(!agreed)}>
        我已阅读并同意《{AGREEMENT_TITLE}》
      </Check>

      {missing ? (
        <Text className='error-text' id='sign-missing'>
          {missing}
        </Text>
      ) : null}
      {sign.error ? (
        <Text className='error-text' id='sign-error'>
          {describeError(sign.error)}
        </Text>
      ) : null}
      <Btn kind='primary' id='sign-submit' busy={sign.loading} onTap={submit}>
        提交签约申请
      </Btn>
      <Text className='muted'>提交后由家庭医生团队审核，通过后服务期为一年。</Text>
    </View>
  );
}
