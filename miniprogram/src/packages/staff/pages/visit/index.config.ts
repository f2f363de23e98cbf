export default definePageConfig({
  navigationBarTitleText: '会诊工作台',
});
