/**
 * Choosing a photo (a message image, a dose photo) and reading it as base64 for
 * `POST /v1/care/images`. Each target has its own file (media.weapp.ts, media.alipay.ts,
 * media.h5.ts), picked at build time; this one is what the type checker and other targets see.
 */
export interface PickedPhoto {
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  base64: string;
}

/** Largest photo we send: the server takes about 1.5 MB. */
export const MAX_PHOTO_BYTES = 1_400_000;

export const photoTypeOf = (path: string): PickedPhoto['contentType'] => (/\.png$/i.test(path) ? 'image/png' : /\.webp$/i.test(path) ? 'image/webp' : 'image/jpeg');

/** Null when the person cancels; throws a PlatformError with a message to show otherwise. */
export async function pickPhoto(): Promise<PickedPhoto | null> {
  return null;
}
