export default definePageConfig({ navigationBarTitleText: '新建服药督导计划' });
