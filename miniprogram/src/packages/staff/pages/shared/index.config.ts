export default definePageConfig({
  navigationBarTitleText: '共享给我的患者',
});
