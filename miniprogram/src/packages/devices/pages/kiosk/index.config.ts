export default definePageConfig({ navigationBarTitleText: '健康一体机' });
