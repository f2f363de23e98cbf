export default definePageConfig({
  navigationBarTitleText: '紧急求助',
});
