export default definePageConfig({
  navigationBarTitleText: '身份证号异常添加',
});
