/**
 * Everything the benchmark runs, behind one shape: each jpegkit backend, the browser's own codec
 * (createImageBitmap + OffscreenCanvas), @jsquash/jpeg (MozJPEG in wasm) and jpeg-js (plain JavaScript).
 * All run on the benchmark worker's one thread, one call at a time, so MP/s compare like with like.
 */
import { createCodec } from '@jpegkit/core';
import type { Codec } from '@jpegkit/core';
import decodeJsquash from '@jsquash/jpeg/decode';
import encodeJsquash from '@jsquash/jpeg/encode';
import jpegJs from 'jpeg-js';

/** RGBA pixels, tightly packed: what every encoder takes. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** A JPEG of the corpus with its upright size. */
export interface CorpusEntry {
  name: string;
  bytes: Uint8Array;
  width: number;
  height: number;
  rgba: Rgba;
}

export const THUMBNAIL_WIDTH = 320;
export const ENCODE_QUALITY = 90;
export const THUMBNAIL_QUALITY = 85;

export interface Contender {
  id: string;
  label: string;
  setup: string;
  /** JPEG → RGBA pixels. */
  decode?(entry: CorpusEntry): Promise<unknown>;
  /** RGBA pixels → JPEG (q90, 4:2:0 where the codec lets one choose). */
  encode?(entry: CorpusEntry): Promise<unknown>;
  /** JPEG → 320-pixel-wide JPEG thumbnail (q85). */
  thumbnail?(entry: CorpusEntry): Promise<unknown>;
  dispose?(): Promise<void>;
}

function thumbnailHeight(entry: CorpusEntry): number {
  return Math.max(1, Math.round((entry.height * THUMBNAIL_WIDTH) / entry.width));
}

export async function jpegkitContender(backend: string): Promise<Contender> {
  const codec: Codec = await createCodec({ backends: [backend], strict: true, init: { threads: 0 } });
  const device = codec.available[0]?.caps.device ?? backend;
  return {
    id: `jpegkit-${backend}`,
    label: `jpegkit ${backend}`,
    setup: device,
    decode: (entry) => codec.decode(entry.bytes, { format: 'rgba', orient: true }),
    encode: (entry) =>
      codec.encode(
        {
          width: entry.rgba.width,
          height: entry.rgba.height,
          format: 'rgba',
          stride: entry.rgba.width * 4,
          data: new Uint8Array(entry.rgba.data.buffer, entry.rgba.data.byteOffset, entry.rgba.data.length),
          orientation: 1,
        },
        { quality: ENCODE_QUALITY, subsampling: '4:2:0' },
      ),
    thumbnail: (entry) =>
      codec
        .pipeline(entry.bytes)
        .shrinkOnLoad() // a thumbnail may decode at a reduced DCT scale, as browsers and the peers do
        .resize({ width: THUMBNAIL_WIDTH, filter: 'lanczos3' })
        .toJpeg({ quality: THUMBNAIL_QUALITY }),
    dispose: () => codec.dispose(),
  };
}

/** The browser's own JPEG codec, as a page would use it: decode to an ImageBitmap and read its pixels back. */
export function browserContender(): Contender {
  const pixelsOf = (bitmap: ImageBitmap): ImageData => {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    return context.getImageData(0, 0, canvas.width, canvas.height);
  };
  return {
    id: 'browser',
    label: 'browser (createImageBitmap)',
    setup: 'createImageBitmap → OffscreenCanvas; convertToBlob for JPEG',
    decode: async (entry) =>
      pixelsOf(await createImageBitmap(new Blob([entry.bytes as BlobPart], { type: 'image/jpeg' }))),
    encode: async (entry) => {
      const canvas = new OffscreenCanvas(entry.rgba.width, entry.rgba.height);
      canvas
        .getContext('2d')!
        .putImageData(new ImageData(entry.rgba.data, entry.rgba.width, entry.rgba.height), 0, 0);
      return canvas.convertToBlob({ type: 'image/jpeg', quality: ENCODE_QUALITY / 100 });
    },
    thumbnail: async (entry) => {
      const height = thumbnailHeight(entry);
      const bitmap = await createImageBitmap(new Blob([entry.bytes as BlobPart], { type: 'image/jpeg' }), {
        resizeWidth: THUMBNAIL_WIDTH,
        resizeHeight: height,
        resizeQuality: 'high',
      });
      const canvas = new OffscreenCanvas(THUMBNAIL_WIDTH, height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      bitmap.close();
      return canvas.convertToBlob({ type: 'image/jpeg', quality: THUMBNAIL_QUALITY / 100 });
    },
  };
}

export function jsquashContender(): Contender {
  return {
    id: 'jsquash',
    label: '@jsquash/jpeg',
    setup: 'MozJPEG wasm; encode with its defaults (progressive, optimised Huffman)',
    decode: (entry) => decodeJsquash(entry.bytes.slice().buffer),
    encode: (entry) =>
      encodeJsquash(new ImageData(entry.rgba.data, entry.rgba.width, entry.rgba.height), {
        quality: ENCODE_QUALITY,
      }),
  };
}

export function jpegJsContender(): Contender {
  // jpeg-js's encoder ends with Buffer.from(bytes); browsers have no Buffer, so give it the one call it makes.
  const scope = globalThis as { Buffer?: unknown };
  scope.Buffer ??= { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  return {
    id: 'jpeg-js',
    label: 'jpeg-js',
    setup: 'pure JavaScript',
    decode: async (entry) => jpegJs.decode(entry.bytes, { useTArray: true, formatAsRGBA: true }),
    encode: async (entry) =>
      jpegJs.encode(
        { width: entry.rgba.width, height: entry.rgba.height, data: entry.rgba.data },
        ENCODE_QUALITY,
      ),
  };
}
