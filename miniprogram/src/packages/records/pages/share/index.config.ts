export default definePageConfig({
  navigationBarTitleText: '分享给医生',
});
