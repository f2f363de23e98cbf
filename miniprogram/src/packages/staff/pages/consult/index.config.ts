export default definePageConfig({
  navigationBarTitleText: '发起远程会诊',
});
