import { declaredPages, routes } from './routes';

/**
 * Pages and subpackages come from the route registry (`routes.ts`): a page is added there once.
 * The main package holds the tab pages, login, the QR landing page and 紧急求助; every service behind
 * the home grid is a subpackage, loaded when first opened.
 */
const { main, subPackages } = declaredPages();

const tab = (path: string, text: string) => ({ pagePath: path.slice(1), text });

export default defineAppConfig({
  pages: main,
  subPackages,
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#0b5cad',
    navigationBarTitleText: '互联网医院',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f5f7',
  },
  // Text-only tabs (icons are optional on WeChat and Alipay); big labels on H5 via app.css.
  tabBar: {
    color: '#4a4a4a',
    selectedColor: '#0b5cad',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      tab(routes.home.path, '首页'),
      tab(routes.appointments.path, '预约'),
      tab(routes.reports.path, '报告'),
      tab(routes.me.path, '我的'),
    ],
  },
  // WeChat: inject only the components a page uses (start-up guidance); other hosts lack the key.
  ...(process.env.TARO_ENV === 'weapp' ? { lazyCodeLoading: 'requiredComponents' } : {}),
  // WeChat: getLocation (紧急求助 sends the caller's position) must be declared and explained.
  ...(process.env.TARO_ENV === 'weapp'
    ? { requiredPrivateInfos: ['getLocation'], permission: { 'scope.userLocation': { desc: '紧急求助时把您的位置发送给120调度员' } } }
    : {}),
  // Subpackages the person is likely to open next are fetched in the background on the home page.
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['packages/booking'] },
  },
});
