/**
 * 导出我的数据 (PIPL Art 45, the right to a copy): the server's FHIR bundle of the account's
 * verified people (Patient, reports, results and readings, appointments), summed up here and
 * handed over as a JSON file where the host allows it:
 * - browser: a download;
 * - WeChat: written to the mini-program's user folder, then WeChat's send-to-chat sheet
 *   (文件传输助手 keeps it on the phone and computer);
 * - Alipay: no way to hand a file to the person (platform.fileExport 'none'), so only the summary,
 *   and where to get the file instead. Nothing is copied to the clipboard: a health record does not
 *   belong there.
 * The health-data consent is asked for here if missing (the server answers CONSENT_REQUIRED).
 */
import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type * as z from 'zod';
import type { ExportBundle } from '@hospital/shared';
import { Btn } from '../../../../components/Btn';
import { RequireLogin } from '../../../../components/RequireLogin';
import { StatusBlock } from '../../../../components/StatusBlock';
import { useConsent } from '../../../../components/ConsentGate';
import { platform } from '../../../../platform';
import { api, call, describeError } from '../../../../services/api';
import { toApiError } from '../../../../services/useApi';
import type { ApiError } from '../../../../services/client';
import { exportFileName, exportText, summarizeExport, summaryLines } from '../../logic/export';
import '../../privacy.css';

type Bundle = z.infer<typeof ExportBundle>;

const FILE_HINT: Record<typeof platform.fileExport, string> = {
  download: '文件为通用的医疗数据格式（FHIR，JSON 文本），可保存在电脑上，或交给其他医院。',
  share: '点击下方按钮，选择“文件传输助手”或家人，即可把文件保存到手机或电脑。文件为通用的医疗数据格式（FHIR，JSON 文本）。',
  none: '支付宝小程序暂不能保存文件。如需文件，请在微信小程序或网页版中导出；如需纸质病历，请到医院病案室申请复印。',
};

function Export() {
  const consent = useConsent();
  const [bundle, setBundle] = useState<Bundle | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [declined, setDeclined] = useState(false);
  const [saving, setSaving] = useState(false);

  const start = async () => {
    setLoading(true);
    setError(null);
    setDeclined(false);
    try {
      const r = await consent.run(() => call(api.privacy.exportData));
      if (r.ok) setBundle(r.value);
      else setDeclined(true);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoading(false);
    }
  };

  const save = async () => {
    if (!bundle) return;
    setSaving(true);
    try {
      const r = await platform.exportTextFile(exportFileName(new Date()), exportText(bundle));
      if (r === 'done') void Taro.showToast({ title: platform.fileExport === 'download' ? '已开始下载' : '已发送', icon: 'success' });
    } catch (e) {
      await Taro.showModal({ title: '未能保存文件', content: (e as Error).message || describeError(e), showCancel: false, confirmText: '知道了' });
    } finally {
      setSaving(false);
    }
  };

  const summary = bundle ? summarizeExport(bundle) : null;
  return (
    <View>
      <View className='card'>
        <Text className='pv-doc__lead'>
          导出已实名认证的就诊人的信息：基本信息、检查检验报告、检验结果与一体机测量记录、预约记录。未完成实名认证的就诊人不会导出。
        </Text>
      </View>
      {declined ? (
        <View className='hint' id='pv-export-declined'>
          <Text>导出包含健康医疗信息，需要您同意后才能导出。您可以再次点击“开始导出”。</Text>
        </View>
      ) : null}
      {error ? (
        <StatusBlock kind={error.offline ? 'async-offline' : 'async-error'} icon='!' title={error.offline ? '网络不可用' : '导出失败'} message={describeError(error)} />
      ) : null}
      {!summary ? (
        <Btn kind='primary' id='pv-export-start' busy={loading} onTap={() => void start()}>
          {error ? '重试' : '开始导出'}
        </Btn>
      ) : summary.total === 0 ? (
        <StatusBlock kind='async-empty pv-export-empty' icon='i' title='暂无可导出的数据' message='请先为就诊人完成实名认证，之后的报告和记录即可导出。' />
      ) : (
        <View className='card' id='pv-export-summary'>
          <Text className='subtitle'>导出结果</Text>
          {summaryLines(summary).map((l) => (
            <Text key={l} className='pv-list__item'>
              {l}
            </Text>
          ))}
          <Text className='pv-list__sub'>生成时间：{new Date(bundle!.timestamp).toLocaleString('zh-CN', { hour12: false })}</Text>
          <View className='hint pv-export-hint'>
            <Text>{FILE_HINT[platform.fileExport]}</Text>
          </View>
          {platform.fileExport !== 'none' ? (
            <Btn kind='primary' id='pv-export-save' busy={saving} onTap={() => void save()}>
              {platform.fileExport === 'download' ? '下载文件' : '发送到微信聊天'}
            </Btn>
          ) : null}
          <Btn id='pv-export-again' busy={loading} onTap={() => void start()}>
            重新导出
          </Btn>
        </View>
      )}
    </View>
  );
}

export default function ExportPage() {
  return (
    <View className='page pv-export-page'>
      <Text className='title'>导出我的数据</Text>
      <RequireLogin reason='登录后可导出您的数据'>{() => <Export />}</RequireLogin>
    </View>
  );
}
