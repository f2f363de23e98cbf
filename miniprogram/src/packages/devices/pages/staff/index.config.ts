export default definePageConfig({ navigationBarTitleText: '一体机数据分配' });
