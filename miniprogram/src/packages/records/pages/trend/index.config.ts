export default definePageConfig({
  navigationBarTitleText: '历次变化',
});
