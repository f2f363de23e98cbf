/** The phone's own permissions, explained under 授权管理. */
export const PERMISSIONS_TEXT = {
  /** WeChat / Alipay: the mini-program's permission page. */
  mini: '定位、相机和相册由手机系统和微信/支付宝分别授权。您可以在设置页中随时开启或关闭；关闭定位后，紧急求助时请手动填写您的位置。',
  /** A browser manages them itself. */
  unsupported: '网页版的定位和相机权限由浏览器管理：请点击地址栏左侧的锁形图标或在浏览器设置中修改。关闭定位后，紧急求助时请手动填写您的位置。',
} as const;
