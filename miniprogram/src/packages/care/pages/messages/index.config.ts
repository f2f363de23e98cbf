export default definePageConfig({ navigationBarTitleText: '给团队留言' });
