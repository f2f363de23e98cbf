export default definePageConfig({ navigationBarTitleText: '服药督导' });
