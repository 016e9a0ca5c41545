/**
 * EXIF and ICC marker segments for encoded JPEGs, laid out as libjpeg-turbo writes them (cjpeg, @jpegkit/wasm's
 * encoder), for backends whose encoder writes none (nvJPEG, the webgpu coefficient path).
 */
import { JpegError } from './errors.js';

/** A marker segment's payload limit: its 16-bit length field counts itself. */
const MAX_SEGMENT_DATA = 65533;
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const ICC_ID = [0x49, 0x43, 0x43, 0x5f, 0x50, 0x52, 0x4f, 0x46, 0x49, 0x4c, 0x45, 0]; // "ICC_PROFILE\0"
/** ICC bytes per APP2 segment: the limit less the id and the two sequence bytes (libjpeg's jcicc.c). */
const ICC_CHUNK = MAX_SEGMENT_DATA - ICC_ID.length - 2;

function segment(marker: number, parts: readonly ArrayLike<number>[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(4 + length);
  out.set([0xff, marker, (length + 2) >> 8, (length + 2) & 0xff]);
  let at = 4;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The APP1 segment libjpeg-based encoders write for EXIF data ("Exif\0\0" prefixed unless it already is). */
export function exifSegment(exif: Uint8Array): Uint8Array {
  const limit = MAX_SEGMENT_DATA - EXIF_ID.length; // the same whether or not the data carries the prefix
  if (exif.length > limit) {
    throw new JpegError(
      'E_INVALID_ARGUMENT',
      `Expected at most ${limit} bytes for exif but received ${exif.length}`,
    );
  }
  const prefixed = exif.length >= 6 && EXIF_ID.every((b, i) => exif[i] === b);
  return segment(0xe1, prefixed ? [exif] : [EXIF_ID, exif]);
}

/** The APP2 segments of an ICC profile, chunked and numbered as libjpeg's jpeg_write_icc_profile does. */
export function iccSegments(icc: Uint8Array): Uint8Array[] {
  const count = Math.ceil(icc.length / ICC_CHUNK);
  if (count > 255) {
    throw new JpegError(
      'E_INVALID_ARGUMENT',
      `Expected an ICC profile of at most ${255 * ICC_CHUNK} bytes for icc but received ${icc.length}`,
    );
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = icc.subarray(i * ICC_CHUNK, Math.min(icc.length, (i + 1) * ICC_CHUNK));
    out.push(segment(0xe2, [ICC_ID, [i + 1, count], chunk]));
  }
  return out;
}

/**
 * `jpeg` with `segments` inserted where libjpeg puts markers written right after jpeg_start_compress: after SOI
 * and the JFIF APP0 / Adobe APP14 segments the library itself writes first.
 */
export function insertAfterHeader(jpeg: Uint8Array, segments: readonly Uint8Array[]): Uint8Array {
  if (segments.length === 0) return jpeg;
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && (jpeg[at + 1] === 0xe0 || jpeg[at + 1] === 0xee)) {
    at += 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
  }
  const extra = segments.reduce((n, s) => n + s.length, 0);
  const out = new Uint8Array(jpeg.length + extra);
  out.set(jpeg.subarray(0, at), 0);
  let pos = at;
  for (const s of segments) {
    out.set(s, pos);
    pos += s.length;
  }
  out.set(jpeg.subarray(at), pos);
  return out;
}

/**
 * `jpeg` with an EXIF APP1 and the ICC APP2 segments added where libjpeg writes them (EXIF first), or `jpeg`
 * itself when both are absent or empty.
 *
 * @example
 * ```ts
 * const withProfile = insertMetadata(jpegFromTheGpu, header.icc, header.exif);
 * ```
 */
export function insertMetadata(jpeg: Uint8Array, icc?: Uint8Array, exif?: Uint8Array): Uint8Array {
  const segments: Uint8Array[] = [];
  if (exif && exif.length > 0) segments.push(exifSegment(exif));
  if (icc && icc.length > 0) segments.push(...iccSegments(icc));
  return insertAfterHeader(jpeg, segments);
}
