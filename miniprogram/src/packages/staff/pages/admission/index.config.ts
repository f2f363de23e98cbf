export default definePageConfig({
  navigationBarTitleText: '住院账户',
});
