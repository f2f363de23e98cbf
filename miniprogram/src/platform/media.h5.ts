import Taro from '@tarojs/taro';
import { isCancel, PlatformError } from './types';
import { MAX_PHOTO_BYTES, type PickedPhoto } from './media';

export { MAX_PHOTO_BYTES, photoTypeOf, type PickedPhoto } from './media';

/** The longest side after scaling: enough to read a pill box, small enough to send. */
const MAX_SIDE = 1280;

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = reject;
    img.src = url;
  });
}

/** Browser: the file input behind Taro.chooseImage, scaled down and re-encoded as JPEG on a canvas. */
export async function pickPhoto(): Promise<PickedPhoto | null> {
  try {
    const res = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['camera', 'album'] });
    const url = res.tempFilePaths[0];
    if (!url) return null;
    const img = await loadImage(url);
    const scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.width * scale);
    canvas.height = Math.round(img.height * scale);
    canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
    const base64 = canvas.toDataURL('image/jpeg', 0.7).split(',')[1] ?? '';
    if (!base64) throw new PlatformError('无法读取照片，请重试');
    if (base64.length * 0.75 > MAX_PHOTO_BYTES) throw new PlatformError('照片太大，请重新选择');
    return { contentType: 'image/jpeg', base64 };
  } catch (e) {
    if (isCancel(e)) return null;
    if (e instanceof PlatformError) throw e;
    throw new PlatformError('无法读取照片，请重试', e);
  }
}
