export default definePageConfig({
  navigationBarTitleText: '化验报告待认领',
});
