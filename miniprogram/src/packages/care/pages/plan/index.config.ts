export default definePageConfig({ navigationBarTitleText: '服药记录' });
