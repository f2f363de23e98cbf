export default definePageConfig({ navigationBarTitleText: '健康监测' });
