export default definePageConfig({
  navigationBarTitleText: '今日问诊与会诊',
});
