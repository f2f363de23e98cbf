export default definePageConfig({
  navigationBarTitleText: '预约视频问诊',
});
