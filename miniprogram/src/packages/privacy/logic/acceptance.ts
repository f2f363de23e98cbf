/** The words of the first-login acceptance page (pages/accept). */
import { CONSENT_PURPOSE_TEXT, ConsentPurpose } from '@hospital/shared';
import { OPERATOR } from './documents';

/** The policy in four lines, above the links to the full text. */
export const ACCEPT_POINTS: readonly string[] = [
  '我们收集就诊人的姓名、身份证号、手机号和健康医疗信息，用于挂号、诊疗和报告查询。',
  `${ConsentPurpose.options.map((p) => CONSENT_PURPOSE_TEXT[p].title).join('、')}属于敏感个人信息，使用相关功能时会另行征求您的同意，您可随时撤回。`,
  `您的信息存储在中国境内（${OPERATOR.regionName}），不向境外提供。`,
  '您可以在“我的—隐私与授权”中导出数据、申请更正或注销账户；病历依法由医院保存。',
];

/** 不同意: say what it means before logging out. */
export const DECLINE_CONFIRMATION = {
  title: '不同意将无法使用',
  content: '不同意用户协议和隐私政策，我们无法为您提供服务，您将退出登录。紧急求助不受影响，可随时使用。',
  confirmText: '退出登录',
  cancelText: '返回',
};
