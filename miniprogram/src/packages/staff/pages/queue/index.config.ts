export default definePageConfig({
  navigationBarTitleText: '门诊叫号',
});
