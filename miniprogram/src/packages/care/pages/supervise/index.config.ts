export default definePageConfig({ navigationBarTitleText: '督导服药' });
