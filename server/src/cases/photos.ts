// Photos attached to a case. Checked by content, never by name or declared type: the magic
// bytes must say JPEG, PNG or WebP and the whole image must decode. Every photo is re-encoded,
// which drops EXIF (GPS position, camera serial) and anything hidden after the image data,
// and turned upright by its EXIF orientation first. A JPEG thumbnail is made alongside.
import { createHash } from 'node:crypto';
import { HTTPException } from 'hono/http-exception';
import sharp from 'sharp';
import { PHOTO_LIMITS } from '@grid-atlas/contract';

export type PhotoMime = (typeof PHOTO_LIMITS.mimes)[number];

export interface ProcessedPhoto {
  mime: PhotoMime;
  image: Buffer;
  thumbnail: Buffer;
  size: number;
  width: number;
  height: number;
  sha256: string;
}

/** The type the bytes say they are, or null. */
export function sniff(b: Uint8Array): PhotoMime | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

// 40 megapixels is more than any phone camera; a "decompression bomb" stops here.
const MAX_PIXELS = 40_000_000;

export async function processPhoto(input: Uint8Array, name = 'photo'): Promise<ProcessedPhoto> {
  if (input.length > PHOTO_LIMITS.maxBytes) {
    throw new HTTPException(413, { message: `照片 ${name} 超过 5 MB (photo ${name} is larger than 5 MB)` });
  }
  if (input.length === 0) throw new HTTPException(400, { message: `照片 ${name} 是空文件 (photo ${name} is empty)` });
  const mime = sniff(input);
  if (!mime) {
    throw new HTTPException(415, { message: `照片 ${name} 不是 JPEG、PNG 或 WebP 图片 (photo ${name} is not a JPEG, PNG or WebP image)` });
  }
  try {
    // failOn 'warning': a truncated or corrupt image is refused, not half-decoded.
    const source = sharp(input, { failOn: 'warning', limitInputPixels: MAX_PIXELS }).rotate();
    const encoded = mime === 'image/jpeg' ? source.jpeg({ quality: 85, mozjpeg: true })
      : mime === 'image/png' ? source.png({ compressionLevel: 9 })
      : source.webp({ quality: 82 });
    const { data: image, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(image)
      .resize(PHOTO_LIMITS.thumbPx, PHOTO_LIMITS.thumbPx, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer();
    if (image.length > PHOTO_LIMITS.maxBytes) {
      throw new HTTPException(413, { message: `照片 ${name} 重新编码后超过 5 MB (photo ${name} is larger than 5 MB once re-encoded)` });
    }
    return {
      mime, image, thumbnail, size: image.length, width: info.width, height: info.height,
      sha256: createHash('sha256').update(image).digest('hex'),
    };
  } catch (err) {
    if (err instanceof HTTPException) throw err;
    throw new HTTPException(415, { message: `照片 ${name} 无法解码 (photo ${name} could not be decoded: ${(err as Error).message.split('\n')[0]})` });
  }
}
