/** A photo from the camera or album, uploaded for a message or a dose (`POST /v1/care/images`). */
import Taro from '@tarojs/taro';
import type { ImageRef } from '@hospital/shared';
import { pickPhoto } from '../platform/media';
import { api, call, describeError } from '../services/api';

/** The uploaded image, or null when the person cancelled or it failed (they were told why). */
export async function choosePhotoAndUpload(): Promise<ImageRef | null> {
  try {
    const photo = await pickPhoto();
    if (!photo) return null;
    Taro.showLoading({ title: '正在上传…' });
    try {
      return await call(api.messages.uploadImage, { body: { contentType: photo.contentType, dataBase64: photo.base64 } });
    } finally {
      Taro.hideLoading();
    }
  } catch (e) {
    await Taro.showToast({ title: describeError(e), icon: 'none', duration: 2500 });
    return null;
  }
}

/** Image links from the API are paths under the API base. */
export const imageSrc = (path: string) => (/^https?:/.test(path) ? path : `${API_BASE}${path}`);
