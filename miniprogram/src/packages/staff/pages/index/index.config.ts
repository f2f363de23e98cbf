export default definePageConfig({
  navigationBarTitleText: '医护工作台',
});
