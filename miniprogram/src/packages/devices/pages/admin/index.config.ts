export default definePageConfig({ navigationBarTitleText: '一体机管理' });
