export default definePageConfig({ navigationBarTitleText: '居民留言' });
