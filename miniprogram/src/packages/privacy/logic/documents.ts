/**
 * The text of 用户协议 and 隐私政策, one module per document set, so the content is tested
 * (documents.test.ts) and the pages only lay it out. Their versions come from the shared contract
 * (USER_AGREEMENT_VERSION / PRIVACY_POLICY_VERSION): bump them there when this text changes, and
 * every account is asked to agree again at its next login.
 *
 * Facts the text relies on, each checked by a test: the storage region of serverless.yml
 * (cn-northwest-1), what deletion removes and keeps (REMOVED_AT_DELETION / RETAINED_AFTER_DELETION),
 * the separate consents (CONSENT_PURPOSE_TEXT), and the rows of 我的 → 隐私与授权.
 */
import {
  CONSENT_PURPOSE_TEXT,
  ConsentPurpose,
  PRIVACY_POLICY_VERSION,
  REMOVED_AT_DELETION,
  RETAINED_AFTER_DELETION,
  USER_AGREEMENT_VERSION,
} from '@hospital/shared';
import { privacyPath } from '../../../components/privacy-entries';

export interface DocumentSection {
  heading: string;
  paragraphs: string[];
}

export interface LegalDocument {
  id: 'agreement' | 'privacy';
  title: string;
  version: string;
  /** One sentence above the sections. */
  lead: string;
  sections: DocumentSection[];
}

/**
 * Who operates the Internet hospital. The legal name, address and the personal-information
 * contact are the hospital's to fill in before release (its 医疗机构执业许可证 and the 互联网医院
 * approval name it); until then the text names the channels that exist in the app and at the
 * hospital, and nothing invented.
 */
export const OPERATOR = {
  /** How the documents refer to the operator. */
  name: '本互联网医院的设置医院',
  /** Where a person can reach the personal-information contact today. */
  contact: '医院门诊服务台（个人信息保护专员）',
  /** PIPL Art 50: requests are answered within this many working days. */
  answerWithinWorkingDays: 15,
  /** The storage region (serverless.yml `provider.region`). */
  region: 'cn-northwest-1',
  regionName: '亚马逊云科技中国（宁夏）区域',
} as const;

const years = (n: number) => `${n}年`;

/** `门（急）诊病历…：保存15年（依据：《医疗机构病历管理规定》第二十九条）` — one line per record the hospital keeps. */
export function retainedLines(): string[] {
  return RETAINED_AFTER_DELETION.map((r) => `${r.what}：保存${years(r.years)}（依据：${r.basis}）`);
}

/** `健康医疗信息：用于……。不同意时……` — one line per separate consent. */
export function consentLines(): string[] {
  return ConsentPurpose.options.map((p) => {
    const t = CONSENT_PURPOSE_TEXT[p];
    return `${t.title}：用于${t.why}。${t.without}。`;
  });
}

export const AGREEMENT: LegalDocument = {
  id: 'agreement',
  title: '用户协议',
  version: USER_AGREEMENT_VERSION,
  lead: `欢迎使用互联网医院。本协议是您与${OPERATOR.name}（以下简称“医院”或“我们”）之间关于使用本互联网医院微信小程序、支付宝小程序和网页版的约定。请您仔细阅读，特别是第一、二节关于线上诊疗范围和紧急情况的说明。`,
  sections: [
    {
      heading: '一、我们提供的服务',
      paragraphs: [
        '挂号预约、门诊缴费、住院押金、报告查询、健康档案、视频问诊与远程会诊、家庭医生签约与服药督导、健康一体机测量记录，以及紧急求助。',
        '线上诊疗仅适用于部分常见病、慢性病的复诊。首次就诊、病情较重或变化时，请到医院就诊；线上查看的信息仅供参考，以医生的诊断和医院窗口的结果为准。',
      ],
    },
    {
      heading: '二、紧急情况',
      paragraphs: [
        '遇到危及生命的情况，请立即拨打120。“紧急求助”无需登录，按下后会把您的位置、回拨电话和您填写的情况发送给120调度员，但它不能代替拨打120；网络不好时请直接拨打120。',
      ],
    },
    {
      heading: '三、账号与就诊人',
      paragraphs: [
        '您使用微信或支付宝账号登录。我们只用它确认是您本人，不获取您的聊天记录、好友或支付账户信息。',
        '添加就诊人时，请填写真实、准确的姓名、身份证号和手机号。为家人添加就诊人，应当事先取得对方同意；不满十四周岁的未成年人，由其父母或其他监护人添加并管理。',
        '查看报告、账单等按身份证号归档的信息前，需要完成实名认证，以免他人冒用身份查看您的信息。',
      ],
    },
    {
      heading: '四、预约、缴费与退款',
      paragraphs: [
        '号源、费用和退号规则以医院公布的为准。付款通过微信支付或支付宝完成，退款按原路退回。多次预约后未就诊的，可能暂停线上预约。',
      ],
    },
    {
      heading: '五、您应当遵守的规则',
      paragraphs: [
        '不得冒用他人身份、提供虚假信息、恶意占用号源，或以任何方式干扰系统的正常运行。违反的，医院可暂停相关服务，并依法处理。',
      ],
    },
    {
      heading: '六、服务的中断',
      paragraphs: [
        '网络故障、系统维护或第三方服务（如微信、支付宝、支付机构）中断时，部分服务可能暂时无法使用。我们会尽力尽快恢复，并尽可能提前告知。',
      ],
    },
    {
      heading: '七、个人信息',
      paragraphs: ['我们如何收集、使用、保存和保护您的个人信息，以及您享有的权利，请见《隐私政策》。'],
    },
    {
      heading: '八、协议的变更',
      paragraphs: [
        '本协议更新后，版本号会改变，您下次登录时我们会请您重新阅读并同意。您不同意的，可以停止使用并注销账户；紧急求助始终可用。',
      ],
    },
    {
      heading: '九、法律适用与争议',
      paragraphs: ['本协议适用中华人民共和国法律。发生争议时，双方应友好协商；协商不成的，可向医院所在地有管辖权的人民法院起诉。'],
    },
    {
      heading: '十、联系我们',
      paragraphs: [`如对本协议有疑问，请联系${OPERATOR.contact}，或在${privacyPath('correction')}中留言。`],
    },
  ],
};

export const PRIVACY_POLICY: LegalDocument = {
  id: 'privacy',
  title: '隐私政策',
  version: PRIVACY_POLICY_VERSION,
  lead: '本政策说明我们在互联网医院中收集哪些个人信息、为什么收集、如何保存与共享，以及您如何查阅、复制、更正、删除您的信息和撤回同意。',
  sections: [
    {
      heading: '一、我们是谁',
      paragraphs: [
        `互联网医院由${OPERATOR.name}依法设置并运营（以下简称“医院”或“我们”）。我们是您个人信息的处理者，依照《中华人民共和国个人信息保护法》（以下简称《个人信息保护法》）处理您的信息。`,
        `个人信息保护事务的联系人：${OPERATOR.contact}。`,
      ],
    },
    {
      heading: '二、我们收集的信息和用途',
      paragraphs: [
        '账号信息：微信或支付宝提供的用户标识，用于登录和识别您的账户。我们不获取您的聊天记录、好友关系或支付账户信息。',
        '就诊人身份信息：姓名、性别、出生日期、与您的关系、身份证号和手机号，用于挂号、建立病历、实名认证，以及按身份证号为就诊人归档报告和账单。实名认证时，人脸识别由腾讯云人脸核身完成，短信验证码通过短信服务商发送。',
        '健康医疗信息：化验与检查报告、病历与健康档案、健康一体机的测量记录（如血压、血糖）、视频问诊记录、处方、住院与缴费信息，用于为您提供诊疗、报告查询和健康管理。',
        '位置信息：紧急求助时获取您的精确位置并发送给120调度员；查找附近的医院和工作站时获取您的位置（需您单独同意）。',
        '照片：您在家庭医生留言、服药督导中主动拍摄或选择的照片，只用于发给为您服务的医护人员。',
        '日志信息：登录记录、医护人员查看您健康信息的访问记录和操作日志，用于保障账户安全和依法审计。',
      ],
    },
    {
      heading: '三、处理的法律依据',
      paragraphs: [
        '为与您订立、履行医疗服务合同所必需，以及履行病历书写与保存等法定义务所必需，我们处理账号、就诊人和就诊信息（《个人信息保护法》第十三条第一款第二项、第三项）。',
        '医疗健康信息、身份证号、精确位置和不满十四周岁未成年人的信息属于敏感个人信息（第二十八条）。除法律另有规定外，我们在您使用相应功能时取得您的单独同意（第二十九条），并告知处理的必要性和对您的影响：',
        ...consentLines(),
        '不满十四周岁的未成年人的个人信息，由其父母或其他监护人同意并管理（第三十一条）；监护人须先完成本人实名认证，再为孩子进行监护人认证。',
        '紧急情况下为保护您或他人的生命健康，我们不以取得同意为前提处理必要的信息（第十三条第一款第四项）：紧急求助时，即使您关闭了“精确位置”授权或尚未登录，我们也会把位置、电话和您填写的情况发送给120。',
        `您可以随时在${privacyPath('consents')}中撤回上述单独同意。撤回不影响撤回前已基于同意进行的处理（第十五条）。`,
      ],
    },
    {
      heading: '四、存储地点和保存期限',
      paragraphs: [
        `您的个人信息存储在中华人民共和国境内：${OPERATOR.regionName}（${OPERATOR.region}）。我们不向境外提供您的个人信息。`,
        '在您的账户存续期间，我们为提供服务保存您的信息。',
        `您注销账户时，我们删除：${REMOVED_AT_DELETION.join('、')}。`,
        '依照医疗、财务管理的法律法规，以下记录属于医院的病历和会计档案，注销后仍由医院保存，期满后删除或匿名化处理：',
        ...retainedLines(),
      ],
    },
    {
      heading: '五、共享、委托处理和公开',
      paragraphs: [
        '医院信息系统：挂号、缴费、报告和病历信息在医院的信息系统（HIS、检验系统、检查系统、电子病历）之间同步，用于完成诊疗。',
        '检验检查机构：样本外送检验时，向承担检验的机构提供出具报告所必需的就诊人信息。',
        '120急救调度：紧急求助时，向120调度中心提供您的位置、电话、您填写的情况，以及登录状态下所选就诊人的健康摘要（如过敏史、慢性病），以便救援。',
        '支付机构：缴费时，向财付通（微信支付）或支付宝提供订单号和金额。我们不获取您的银行卡信息。',
        '受托处理者：云计算服务（亚马逊云科技中国区域，由西云数据运营）、实名认证与短信（腾讯云）、视频问诊的实时音视频服务（声网）。我们与其约定处理的目的、方式和保护措施，并监督其只按我们的要求处理。',
        '您主动共享：您在健康档案中共享给某位医生的档案，按您设定的范围和期限提供给该医生。',
        '我们不出售您的个人信息，除法律法规要求外也不公开披露。',
      ],
    },
    {
      heading: '六、您的权利和行使方式',
      paragraphs: [
        '查阅：在“报告”“健康档案”中查看就诊人的报告和档案；在健康档案的“访问记录”中查看谁在何时查看了您的信息（第四十四条、第四十五条）。',
        `复制：在${privacyPath('export')}中获取已实名认证就诊人的报告、检验结果、测量记录和预约记录（第四十五条）。`,
        `更正、补充：在${privacyPath('correction')}中提交，医院核实后更正（第四十六条）。`,
        `删除：在${privacyPath('deletion')}中注销账户；法律规定须保存的病历和账目按第四节保存（第四十七条）。`,
        `撤回同意：在${privacyPath('consents')}中关闭相应的授权；定位、相机、相册等手机权限也可在该页打开系统设置修改（第十五条）。`,
        `要求解释说明：您可联系${OPERATOR.contact}（第四十八条）。我们在${OPERATOR.answerWithinWorkingDays}个工作日内答复。`,
      ],
    },
    {
      heading: '七、我们如何保护您的信息',
      paragraphs: [
        '数据传输全程加密；页面上身份证号和手机号只显示部分；医护人员只能在诊疗需要时查看，查看须说明用途并被记录；发生或可能发生个人信息泄露时，我们会立即采取补救措施并依法通知您和主管部门。',
      ],
    },
    {
      heading: '八、本政策的更新',
      paragraphs: ['本政策更新后，版本号会改变，您下次登录时我们会请您重新阅读并同意。'],
    },
    {
      heading: '九、联系我们和投诉',
      paragraphs: [
        `如有疑问或投诉，请联系${OPERATOR.contact}。您也可以向网信部门、卫生健康主管部门投诉、举报。`,
      ],
    },
  ],
};

/** Both documents, for a page that shows either by id. */
export const DOCUMENTS = { agreement: AGREEMENT, privacy: PRIVACY_POLICY } as const;
