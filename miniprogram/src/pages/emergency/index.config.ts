export default definePageConfig({
  navigationBarTitleText: '紧急求助',
  navigationBarBackgroundColor: '#b71c1c',
  navigationBarTextStyle: 'white',
});
