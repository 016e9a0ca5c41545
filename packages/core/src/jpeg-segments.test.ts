import { describe, expect, it } from 'vitest';
import { iccSegments, insertMetadata } from './jpeg-segments.js';
import { inspect } from './inspect.js';

// nvJPEG and the webgpu coefficient writer write no ICC or EXIF; these segments are spliced in after SOI and JFIF,
// where core's parser and every reader look for them, as libjpeg writes them.

// A 1×1 gray baseline JPEG with a JFIF APP0 (built by hand: SOI APP0 DQT SOF0 DHT×2 SOS data EOI).
const tiny = Uint8Array.from([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  0x4a,
  0x46,
  0x49,
  0x46,
  0x00,
  0x01,
  0x01,
  0x00,
  0x00,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00,
  0xff,
  0xdb,
  0x00,
  0x43,
  0x00,
  ...new Array<number>(64).fill(1),
  0xff,
  0xc0,
  0x00,
  0x0b,
  0x08,
  0x00,
  0x01,
  0x00,
  0x01,
  0x01,
  0x01,
  0x11,
  0x00,
  0xff,
  0xc4,
  0x00,
  0x14,
  0x00,
  0x01,
  ...new Array<number>(15).fill(0),
  0x00,
  0xff,
  0xc4,
  0x00,
  0x14,
  0x10,
  0x01,
  ...new Array<number>(15).fill(0),
  0x00,
  0xff,
  0xda,
  0x00,
  0x08,
  0x01,
  0x01,
  0x00,
  0x00,
  0x3f,
  0x00,
  0x00,
  0xff,
  0xd9,
]);

describe('insertMetadata', () => {
  it('returns the JPEG untouched when there is nothing to add', () => {
    expect(insertMetadata(tiny)).toBe(tiny);
  });

  it('adds EXIF and a multi-chunk ICC profile that core reads back byte for byte', () => {
    const icc = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7) & 0xff);
    const exif = Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
    const out = insertMetadata(tiny, icc, exif);
    expect(Array.from(out.subarray(0, 20))).toEqual(Array.from(tiny.subarray(0, 20))); // SOI + JFIF first
    expect([out[20], out[21]]).toEqual([0xff, 0xe1]);
    const header = inspect(out);
    expect(header.exif).toEqual(exif);
    expect(header.icc).toEqual(icc);
    expect(header.width).toBe(1);
    expect(iccSegments(icc).length).toBe(3); // 65519-byte chunks
  });

  it('refuses an EXIF block that cannot fit one segment', () => {
    expect(() => insertMetadata(tiny, undefined, new Uint8Array(70_000))).toThrow(
      'Expected at most 65527 bytes for exif but received 70000',
    );
  });

  it('keeps an Exif prefix the data already has, as the wasm encoder does', () => {
    const exif = Uint8Array.from([0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]);
    expect(inspect(insertMetadata(tiny, undefined, exif)).exif).toEqual(exif.subarray(6));
  });
});
