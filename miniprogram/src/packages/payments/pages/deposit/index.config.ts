export default definePageConfig({
  navigationBarTitleText: '住院押金',
});
