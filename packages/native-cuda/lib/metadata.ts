/**
 * ICC and EXIF segments for encoded JPEGs: nvJPEG writes neither, so they are spliced in after SOI (and the
 * JFIF APP0 segment when there is one), as libjpeg writes them.
 */
import { JpegError } from '@jpegkit/core';

const ICC_CHUNK = 65519; // 65535 − 2 (length) − 12 ("ICC_PROFILE\0") − 2 (sequence, count)
const EXIF_MAX = 65527; // 65535 − 2 − 6 ("Exif\0\0")

function segment(marker: number, payload: Uint8Array[]): Uint8Array {
  const length = 2 + payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(2 + length);
  out.set([0xff, marker, length >> 8, length & 0xff]);
  let at = 4;
  for (const p of payload) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The APP1 Exif and APP2 ICC_PROFILE segments for these payloads. */
export function metadataSegments(icc?: Uint8Array, exif?: Uint8Array): Uint8Array[] {
  const segments: Uint8Array[] = [];
  if (exif && exif.length > 0) {
    if (exif.length > EXIF_MAX) {
      throw new JpegError(
        'E_INVALID_ARGUMENT',
        `Expected at most ${EXIF_MAX} bytes for exif but received ${exif.length}`,
      );
    }
    segments.push(segment(0xe1, [new TextEncoder().encode('Exif\0\0'), exif]));
  }
  if (icc && icc.length > 0) {
    const count = Math.ceil(icc.length / ICC_CHUNK);
    if (count > 255) {
      throw new JpegError(
        'E_INVALID_ARGUMENT',
        `Expected an ICC profile under 16 MB for icc but received ${icc.length} bytes`,
      );
    }
    const tag = new TextEncoder().encode('ICC_PROFILE\0');
    for (let i = 0; i < count; i++) {
      const chunk = icc.subarray(i * ICC_CHUNK, Math.min(icc.length, (i + 1) * ICC_CHUNK));
      segments.push(segment(0xe2, [tag, Uint8Array.of(i + 1, count), chunk]));
    }
  }
  return segments;
}

/** `jpeg` with the segments inserted after SOI and a leading APP0 (JFIF), or `jpeg` itself when none. */
export function insertMetadata(jpeg: Uint8Array, icc?: Uint8Array, exif?: Uint8Array): Uint8Array {
  const segments = metadataSegments(icc, exif);
  if (segments.length === 0) return jpeg;
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0 && jpeg.length >= 6) at = 4 + ((jpeg[4]! << 8) | jpeg[5]!);
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
