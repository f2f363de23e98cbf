export default definePageConfig({
  navigationBarTitleText: '编辑健康档案',
});
