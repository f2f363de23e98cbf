/**
 * 实名核验 (nurse / doctor / cashier / admin) at a window, a 南天门工作站 or beside a kiosk: the
 * person shows the 8-digit code from their phone and their ID card. Staff type (or scan) the code,
 * compare the masked details with the card, type the full number from the card and the place,
 * confirm 确认已核对身份证原件？, and the person is verified on that account (audited with the
 * staff member and the place).
 */
import { useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { IN_PERSON_VERIFIERS, PERSON_CODE, StaffRoles, type ResponseOf, type identityRoutes } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { StatusBlock } from '../../../../components/StatusBlock';
import { useRouteParams } from '../../../../navigation';
import { platform } from '../../../../platform';
import { api, describeError } from '../../../../services/api';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import { StepError, VerifiedCard } from '../../components/parts';
import { checkStaffInput, defaultPlace, lookupLines, type PersonLookup, type StaffInput } from '../../logic/staff';
import { digitsOnly, groupedCode, personCodeFrom, refusalText } from '../../logic/verify';
import '../../identity.css';

type Done = ResponseOf<typeof identityRoutes.staffVerify>;

function CodeEntry({ onCode }: { onCode: (code: string) => void }) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (text: string) => {
    const code = personCodeFrom(text);
    if (!code) {
      setProblem(`请输入${PERSON_CODE.length}位就诊人核验码`);
      return;
    }
    setProblem(null);
    onCode(code);
  };
  const scan = async () => {
    try {
      const text = await platform.scan();
      if (text) submit(text);
    } catch (e) {
      setProblem(describeError(e));
    }
  };
  return (
    <View className='card idv-flow' id='staff-idv-entry'>
      <Text className='idv-label'>就诊人核验码</Text>
      <Input
        id='staff-idv-code'
        className={`field-input idv-input--code${problem ? ' field-input--invalid' : ''}`}
        type='number'
        maxlength={PERSON_CODE.length}
        value={typed}
        placeholder={`${PERSON_CODE.length}位数字`}
        onInput={(e) => {
          setTyped(digitsOnly(e.detail.value, PERSON_CODE.length));
          setProblem(null);
        }}
        onConfirm={() => submit(typed)}
      />
      {problem ? (
        <Text className='error-text' id='staff-idv-code-error'>
          {problem}
        </Text>
      ) : null}
      <Btn kind='primary' id='staff-idv-lookup' disabled={typed.length !== PERSON_CODE.length} onTap={() => submit(typed)}>
        查询
      </Btn>
      {platform.canScan ? (
        <Btn id='staff-idv-scan' onTap={() => void scan()}>
          扫码
        </Btn>
      ) : null}
      <Text className='muted'>请就诊人在小程序“实名认证 → 到窗口核验”中出示核验码，并递交身份证原件。</Text>
    </View>
  );
}

function CheckCard({ code, person, orgName, onDone }: { code: string; person: PersonLookup; orgName?: string; onDone: (d: Done) => void }) {
  const [input, setInput] = useState<StaffInput>({ idNumber: '', place: defaultPlace(orgName) });
  const [placeTouched, setPlaceTouched] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<keyof StaffInput, string>>>({});
  const verify = useAction(api.identity.staffVerify);

  // The organisation's name arrives after the card: prefill the place unless staff typed one.
  useEffect(() => {
    if (!placeTouched && orgName) setInput((i) => ({ ...i, place: defaultPlace(orgName) }));
  }, [orgName, placeTouched]);

  const edit = (field: keyof StaffInput, value: string) => {
    setInput((i) => ({ ...i, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    if (verify.error) verify.reset();
  };

  const submit = async () => {
    const c = checkStaffInput(input, person.idNumberMasked);
    if (!c.ok) {
      setErrors(c.errors);
      return;
    }
    const { confirm } = await Taro.showModal({
      title: '确认已核对身份证原件？',
      content: `请确认证件照片与本人相符，证件上的姓名为“${person.name}”，号码与您输入的一致。确认后该就诊人即完成实名认证。`,
      confirmText: '已核对',
      cancelText: '再看看',
    });
    if (!confirm) return;
    const d = await verify.run({ body: { code, ...c.value } });
    if (d) onDone(d);
  };

  const idError = errors.idNumber ?? verify.error?.fieldError('idNumber') ?? (verify.error?.code === 'ID_MISMATCH' ? refusalText(verify.error) : undefined);
  const placeError = errors.place ?? verify.error?.fieldError('place');
  const otherError = verify.error && !idError && !placeError ? verify.error : null;

  return (
    <View>
      <View className='card' id='staff-idv-person'>
        <Text className='idv-flow__title'>请与身份证原件核对</Text>
        {lookupLines(person).map((l) => (
          <View key={l.label} className='idv-lookup__row'>
            <Text className='idv-lookup__label'>{l.label}</Text>
            <Text className='idv-lookup__value'>{l.value}</Text>
          </View>
        ))}
        <Text className='muted'>核验码 {groupedCode(code)}</Text>
      </View>
      {person.verification.state === 'verified' ? (
        <StatusBlock kind='idv-already' icon='i' title='该就诊人已在此账户实名' message='无需再次核验。' />
      ) : (
        <View className='card idv-flow' id='staff-idv-form'>
          <Text className='idv-label'>证件上的身份证号</Text>
          <Input
            id='staff-idv-id-number'
            className={`field-input${idError ? ' field-input--invalid' : ''}`}
            type='idcard'
            maxlength={18}
            value={input.idNumber}
            placeholder='对照身份证原件输入18位号码'
            onInput={(e) => edit('idNumber', e.detail.value)}
          />
          {idError ? (
            <Text className='error-text' id='staff-idv-id-error'>
              {idError}
            </Text>
          ) : null}
          <Text className='idv-label'>核验地点</Text>
          <Input
            id='staff-idv-place'
            className={`field-input${placeError ? ' field-input--invalid' : ''}`}
            maxlength={60}
            value={input.place}
            placeholder='例如：南天门工作站窗口'
            onInput={(e) => {
              setPlaceTouched(true);
              edit('place', e.detail.value);
            }}
          />
          {placeError ? (
            <Text className='error-text' id='staff-idv-place-error'>
              {placeError}
            </Text>
          ) : null}
          <StepError id='staff-idv-error' error={otherError} />
          <Btn kind='primary' id='staff-idv-confirm' busy={verify.loading} disabled={!input.idNumber.trim()} onTap={() => void submit()}>
            确认核验
          </Btn>
        </View>
      )}
    </View>
  );
}

function Lookup({ code, orgName, onDone, onAgain }: { code: string; orgName?: string; onDone: (d: Done) => void; onAgain: () => void }) {
  const lookup = useApi(api.identity.staffLookup, { params: { code } });
  if (lookup.error?.status === 404) {
    return (
      <StatusBlock kind='async-empty idv-code-unknown' icon='!' title='核验码无效或已过期' message={refusalText(lookup.error) ?? '请让就诊人在小程序中重新获取核验码。'}>
        <Btn kind='primary' id='staff-idv-again' onTap={onAgain}>
          重新输入核验码
        </Btn>
      </StatusBlock>
    );
  }
  return (
    <View>
      <AsyncView state={lookup} loadingText='正在查询就诊人…'>
        {(p) => <CheckCard code={code} person={p} orgName={orgName} onDone={onDone} />}
      </AsyncView>
      <Btn id='staff-idv-cancel' onTap={onAgain}>
        换一个核验码
      </Btn>
    </View>
  );
}

export default function StaffVerifyPerson() {
  const session = useSession();
  const params = useRouteParams('staffVerifyPerson');
  const [code, setCode] = useState<string | null>(() => personCodeFrom(params.code ?? ''));
  const [done, setDone] = useState<Done | null>(null);
  const orgId = session?.user.orgId;
  const org = useApi(api.catalog.org, { params: { orgId: orgId ?? '' } }, { enabled: !!orgId });
  const roles = session?.user.roles ?? [];
  const allowed = roles.some((r) => (IN_PERSON_VERIFIERS as readonly string[]).includes(r));

  const again = () => {
    setDone(null);
    setCode(null);
  };

  if (!allowed) {
    return (
      <View className='page idv-page'>
        <StatusBlock
          kind='idv-not-staff'
          icon='i'
          title='仅限医护人员'
          message={roles.some((r) => (StaffRoles as readonly string[]).includes(r)) ? '实名核验由护士、医生、收费员或管理员办理。' : '请使用工作人员账号登录。'}
        />
      </View>
    );
  }

  return (
    <View className='page idv-page staff-idv'>
      {done ? (
        <VerifiedCard name={done.name} verification={done.verification}>
          <Btn kind='primary' id='staff-idv-next' onTap={again}>
            核验下一位
          </Btn>
        </VerifiedCard>
      ) : code ? (
        <Lookup key={code} code={code} orgName={org.data?.name} onDone={setDone} onAgain={again} />
      ) : (
        <CodeEntry onCode={setCode} />
      )}
    </View>
  );
}
