export default definePageConfig({ navigationBarTitleText: '服药计划' });
