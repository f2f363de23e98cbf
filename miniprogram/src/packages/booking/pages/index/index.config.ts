export default definePageConfig({
  navigationBarTitleText: '挂号预约',
});
