import Taro from '@tarojs/taro';
import { isCancel, PlatformError } from './types';
import { MAX_PHOTO_BYTES, photoTypeOf, type PickedPhoto } from './media';

export { MAX_PHOTO_BYTES, photoTypeOf, type PickedPhoto } from './media';

/** Alipay: chooseImage (compressed), then the file as base64 through the file system manager. */
export async function pickPhoto(): Promise<PickedPhoto | null> {
  try {
    const res = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['camera', 'album'] });
    const path = res.tempFilePaths[0];
    if (!path) return null;
    const base64 = await new Promise<string>((resolve, reject) =>
      Taro.getFileSystemManager().readFile({ filePath: path, encoding: 'base64', success: (r) => resolve(r.data as string), fail: reject }),
    );
    if (base64.length * 0.75 > MAX_PHOTO_BYTES) throw new PlatformError('照片太大，请重新拍摄');
    return { contentType: photoTypeOf(path), base64 };
  } catch (e) {
    if (isCancel(e)) return null;
    if (e instanceof PlatformError) throw e;
    throw new PlatformError('无法读取照片，请重试', e);
  }
}
