import { JpegError } from './errors.js';
import { channelCount, createHostImage, isPlanar, pixelOffset } from './image.js';
import type { HostImage } from './image.js';

/**
 * Reads a binary PNM: P5 (gray) or P6 (RGB), 8-bit (maxval ≤ 255), as djpeg writes them.
 *
 * @example
 * ```ts
 * const ref = readPnm(readFileSync('ref.ppm')); // { format: 'rgb', width, height, data, … }
 * ```
 */
export function readPnm(bytes: Uint8Array): HostImage {
  let pos = 0;
  const fields: number[] = [];
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (magic !== 'P5' && magic !== 'P6')
    throw new JpegError('E_CORRUPT', `not a binary PNM (P5/P6): starts with "${magic}"`);
  pos = 2;
  while (fields.length < 3) {
    const c = bytes[pos];
    if (c === undefined) throw new JpegError('E_TRUNCATED', 'PNM header ends early');
    if (c === 0x23) {
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
    } else if (c >= 0x30 && c <= 0x39) {
      let n = 0;
      while (pos < bytes.length && bytes[pos]! >= 0x30 && bytes[pos]! <= 0x39) {
        n = n * 10 + (bytes[pos]! - 0x30);
        if (n > 1 << 30) throw new JpegError('E_CORRUPT', 'PNM header number too large');
        pos++;
      }
      fields.push(n);
      continue;
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      throw new JpegError('E_CORRUPT', `unexpected byte ${c} in PNM header at offset ${pos}`);
    }
    pos++;
  }
  pos++; // the single whitespace byte after maxval
  const [width, height, maxval] = fields as [number, number, number];
  if (width < 1 || height < 1) throw new JpegError('E_CORRUPT', `PNM size ${width}×${height}`);
  if (maxval < 1 || maxval > 255)
    throw new JpegError('E_UNSUPPORTED', `PNM maxval ${maxval} (only 8-bit is read)`);
  const format = magic === 'P5' ? 'gray' : 'rgb';
  const length = width * height * channelCount(format);
  if (bytes.length - pos < length)
    throw new JpegError('E_TRUNCATED', `PNM pixel data has ${bytes.length - pos} of ${length} bytes`);
  return createHostImage(width, height, format, { data: bytes.slice(pos, pos + length) });
}

/**
 * Writes a host image as binary PNM: P5 for gray, P6 for every colour format (alpha dropped, BGR and
 * planar layouts reordered to RGB).
 */
export function writePnm(img: HostImage): Uint8Array {
  const gray = img.format === 'gray';
  const header = new TextEncoder().encode(`${gray ? 'P5' : 'P6'}\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.width * img.height * (gray ? 1 : 3));
  out.set(header);
  let o = header.length;
  const bgr = img.format === 'bgr' || img.format === 'bgra' || img.format === 'bgr-planar';
  const order = gray ? [0] : bgr ? [2, 1, 0] : [0, 1, 2];
  if (
    !isPlanar(img.format) &&
    img.stride === img.width * channelCount(img.format) &&
    (gray || img.format === 'rgb')
  ) {
    out.set(img.data.subarray(0, img.width * img.height * channelCount(img.format)), o);
    return out;
  }
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      for (const c of order) out[o++] = img.data[pixelOffset(img, x, y, c)]!;
    }
  }
  return out;
}
