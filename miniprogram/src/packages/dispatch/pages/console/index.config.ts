export default definePageConfig({
  navigationBarTitleText: '120 调度台',
  navigationBarBackgroundColor: '#b71c1c',
  navigationBarTextStyle: 'white',
});
