/**
 * 一体机管理 (admin): the organisation's health kiosks, registering a new one (its printed QR code
 * and its signing secret) and rotating a secret. A secret's value is shown once — right after
 * registering or rotating — and never again; the previous secret keeps working until the next
 * rotation, so a kiosk being reconfigured does not stop.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import type { KioskView } from '@hospital/shared';
import { AsyncView } from '../../../../components/AsyncView';
import { Btn } from '../../../../components/Btn';
import { api, describeError, type Result } from '../../../../services/api';
import { useSession } from '../../../../services/session';
import { useAction, useApi } from '../../../../services/useApi';
import { when } from '../../components/format';
import { checkKiosk, newestFirst, secretsText, serverKioskErrors, type KioskField, type KioskFieldErrors } from '../../logic/kiosk-admin';
import { adminScope } from '../../../../services/authority';
import '../../devices.css';

type Issued = Result<typeof api.devices.createKiosk> & { kind: 'created' | 'rotated' };

/** The secret, once: copy it into the kiosk's settings, print the QR URL. */
function SecretBox({ issued, onClose }: { issued: Issued; onClose: () => void }) {
  const { kiosk, secret, kind } = issued;
  const copy = async (data: string, what: string) => {
    try {
      await Taro.setClipboardData({ data });
      void Taro.showToast({ title: `${what}已复制`, icon: 'none' });
    } catch {
      void Taro.showToast({ title: '复制失败，请长按文字手动复制', icon: 'none' });
    }
  };
  return (
    <View className='card kiosk-secret' id='kiosk-secret' ariaRole='alert'>
      <Text className='kiosk-secret__warn'>密钥只显示这一次，请立即配置到一体机</Text>
      <Text className='kiosk-secret__what'>
        {kind === 'created' ? '已登记' : '已更换密钥'}：{kiosk.label}（{kiosk.orgName}）
      </Text>
      <Text className='kiosk-secret__label'>一体机编号</Text>
      <Text className='kiosk-secret__value' id='kiosk-secret-kiosk-id' userSelect>
        {kiosk.id}
      </Text>
      <Text className='kiosk-secret__label'>密钥（编号 {secret.id}）</Text>
      <Text className='kiosk-secret__value kiosk-secret__value--secret' id='kiosk-secret-value' userSelect>
        {secret.value}
      </Text>
      <Btn kind='primary' id='kiosk-secret-copy' onTap={() => void copy(secret.value, '密钥')}>
        复制密钥
      </Btn>
      <Text className='kiosk-secret__label'>二维码内容（打印后贴在一体机上，患者扫码绑定）</Text>
      <Text className='kiosk-secret__value' id='kiosk-secret-qr' userSelect>
        {kiosk.qrUrl}
      </Text>
      <Btn id='kiosk-secret-copy-qr' onTap={() => void copy(kiosk.qrUrl, '二维码网址')}>
        复制二维码网址
      </Btn>
      {kind === 'rotated' ? <Text className='muted'>旧密钥在下一次更换前仍然有效，请尽快把新密钥配置到一体机。</Text> : null}
      <Btn id='kiosk-secret-done' onTap={onClose}>
        我已配置好，关闭
      </Btn>
    </View>
  );
}

function KioskCard({ k, busy, error, onRotate }: { k: KioskView; busy: boolean; error?: string; onRotate: () => void }) {
  return (
    <View className='card kiosk-item' id={`kiosk-${k.id}`}>
      <Text className='kiosk-item__label'>{k.label}</Text>
      <Text className='kiosk-item__line'>编号：{k.id}</Text>
      <Text className='kiosk-item__line'>机构：{k.orgName}</Text>
      <Text className='kiosk-item__line'>登记于 {when(k.createdAt)}</Text>
      <Text className='kiosk-item__line'>{secretsText(k)}</Text>
      <Text className='kiosk-item__line kiosk-item__qr' userSelect>
        二维码：{k.qrUrl}
      </Text>
      {error ? <Text className='error-text'>{error}</Text> : null}
      <Btn id={`kiosk-rotate-${k.id}`} busy={busy} onTap={onRotate}>
        更换密钥
      </Btn>
    </View>
  );
}

function NewKiosk({ fixedOrg, allowed, onIssued }: { fixedOrg?: string; allowed: string[]; onIssued: (r: Result<typeof api.devices.createKiosk>) => void }) {
  const orgs = useApi(api.catalog.orgs);
  const create = useAction(api.devices.createKiosk);
  const [orgId, setOrgId] = useState(fixedOrg ?? '');
  const [label, setLabel] = useState('');
  const [kioskId, setKioskId] = useState('');
  const [errors, setErrors] = useState<KioskFieldErrors>({});
  const shown: KioskFieldErrors = { ...serverKioskErrors(create.error), ...errors };
  const fieldError = (f: KioskField) =>
    shown[f] ? (
      <Text className='error-text' id={`kiosk-new-${f}-error`}>
        {shown[f]}
      </Text>
    ) : null;
  const edit = (f: KioskField, set: (v: string) => void) => (v: string) => {
    set(v);
    setErrors((e) => ({ ...e, [f]: undefined }));
    if (create.error) create.reset();
  };
  const submit = async () => {
    const checked = checkKiosk({ orgId, label, kioskId });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const r = await create.run({ body: checked.value });
    if (r) {
      setLabel('');
      setKioskId('');
      onIssued(r);
    }
  };
  const otherError = create.error && Object.keys(serverKioskErrors(create.error)).length === 0 ? describeError(create.error) : undefined;

  return (
    <View className='card kiosk-form' id='kiosk-form'>
      <Text className='assign-form__label'>所属机构</Text>
      <AsyncView state={orgs} isEmpty={(d) => d.items.length === 0} emptyText='没有可选的机构'>
        {(d) => (
          <View className='chips' id='kiosk-new-orgId'>
            {/* An admin registers kiosks only for the organisations they administer. */}
            {d.items
              .filter((o) => allowed.includes(o.id) && (!fixedOrg || o.id === fixedOrg))
              .map((o) => (
                <View
                  key={o.id}
                  id={`kiosk-org-${o.id}`}
                  className={`chip ${orgId === o.id ? 'chip--selected' : ''}`}
                  hoverClass='btn--pressed'
                  ariaRole='radio'
                  ariaLabel={o.name}
                  onClick={() => edit('orgId', setOrgId)(o.id)}
                >
                  <Text>{o.name}</Text>
                </View>
              ))}
          </View>
        )}
      </AsyncView>
      {fieldError('orgId')}
      <Text className='assign-form__label'>名称（贴在一体机上的名字）</Text>
      <Input className='assign-form__input' id='kiosk-new-label' value={label} maxlength={60} placeholder='如：社区服务中心一楼健康一体机' onInput={(e) => edit('label', setLabel)(e.detail.value)} />
      {fieldError('label')}
      <Text className='assign-form__label'>一体机编号（可不填，自动生成）</Text>
      <Input className='assign-form__input' id='kiosk-new-kioskId' value={kioskId} maxlength={64} placeholder='字母、数字、- 或 _' onInput={(e) => edit('kioskId', setKioskId)(e.detail.value)} />
      {fieldError('kioskId')}
      {otherError ? <Text className='error-text'>{otherError}</Text> : null}
      <Btn kind='primary' id='kiosk-create' busy={create.loading} onTap={() => void submit()}>
        登记一体机
      </Btn>
    </View>
  );
}

export default function KioskAdmin() {
  const session = useSession();
  const scope = adminScope(session?.user);
  const fixedOrg = scope.fixed;
  const kiosks = useApi(api.devices.listKiosks, undefined, { refreshOnShow: true });
  const rotate = useAction(api.devices.rotateSecret);
  const [rotating, setRotating] = useState<string>();
  const [issued, setIssued] = useState<Issued>();

  const show = (r: Result<typeof api.devices.createKiosk>, kind: Issued['kind']) => {
    setIssued({ ...r, kind });
    kiosks.retry();
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
  };

  const askRotate = async (k: KioskView) => {
    const { confirm } = await Taro.showModal({
      title: '更换密钥',
      content: `将为「${k.label}」生成新密钥。旧密钥在下一次更换前仍可使用，请尽快把新密钥配置到一体机。确定更换吗？`,
      confirmText: '更换',
      cancelText: '取消',
    });
    if (!confirm) return;
    setRotating(k.id);
    const r = await rotate.run({ params: { kioskId: k.id } });
    if (r) show(r, 'rotated');
  };

  return (
    <View className='page kiosk-admin'>
      <Text className='title'>一体机管理</Text>
      {issued ? <SecretBox issued={issued} onClose={() => setIssued(undefined)} /> : null}
      <Text className='muted'>登记健康一体机后，把密钥配置到一体机，并打印二维码贴在机身上，患者扫码即可绑定测量。</Text>
      <Text className='subtitle'>已登记的一体机</Text>
      <AsyncView state={kiosks} isEmpty={(d) => d.items.length === 0} emptyText='还没有登记一体机'>
        {(d) => (
          <View id='kiosk-list'>
            {newestFirst(d.items).map((k) => (
              <KioskCard
                key={k.id}
                k={k}
                busy={rotate.loading && rotating === k.id}
                error={rotate.error && rotating === k.id ? describeError(rotate.error) : undefined}
                onRotate={() => void askRotate(k)}
              />
            ))}
          </View>
        )}
      </AsyncView>
      <Text className='subtitle'>登记新一体机</Text>
      <NewKiosk fixedOrg={fixedOrg} allowed={scope.orgs} onIssued={(r) => show(r, 'created')} />
    </View>
  );
}
