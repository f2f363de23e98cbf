export default definePageConfig({ navigationBarTitleText: '家庭医生' });
