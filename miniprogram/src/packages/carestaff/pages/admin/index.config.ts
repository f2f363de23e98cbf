export default definePageConfig({ navigationBarTitleText: '团队与服务包' });
