import Taro from '@tarojs/taro';
import { isCancel, PlatformError } from './types';
import { MAX_PHOTO_BYTES, photoTypeOf, type PickedPhoto } from './media';
import { weappRequirePrivacyAuthorize } from './privacy-weapp';

export { MAX_PHOTO_BYTES, photoTypeOf, type PickedPhoto } from './media';

/** WeChat: chooseMedia (camera or album, compressed), then the file as base64. */
export async function pickPhoto(): Promise<PickedPhoto | null> {
  // 《隐私保护指引》 first (our popup when not yet agreed); a refusal is told like any failure.
  await weappRequirePrivacyAuthorize();
  try {
    const res = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['camera', 'album'] });
    const file = res.tempFiles[0];
    if (!file) return null;
    let path = file.tempFilePath;
    if (file.size > MAX_PHOTO_BYTES) path = (await Taro.compressImage({ src: path, quality: 50 })).tempFilePath;
    const base64 = Taro.getFileSystemManager().readFileSync(path, 'base64') as string;
    if (base64.length * 0.75 > MAX_PHOTO_BYTES) throw new PlatformError('照片太大，请重新拍摄');
    return { contentType: photoTypeOf(path), base64 };
  } catch (e) {
    if (isCancel(e)) return null;
    if (e instanceof PlatformError) throw e;
    throw new PlatformError('无法读取照片，请重试', e);
  }
}
