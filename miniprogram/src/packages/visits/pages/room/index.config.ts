export default definePageConfig({
  navigationBarTitleText: '视频诊室',
  navigationBarBackgroundColor: '#1b1d21',
});
