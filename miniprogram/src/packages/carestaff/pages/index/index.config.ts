export default definePageConfig({ navigationBarTitleText: '家庭医生工作台' });
