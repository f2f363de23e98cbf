export default definePageConfig({
  navigationBarTitleText: '患者档案与报告',
});
