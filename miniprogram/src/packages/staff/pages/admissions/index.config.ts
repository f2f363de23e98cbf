export default definePageConfig({
  navigationBarTitleText: '住院结算',
});
