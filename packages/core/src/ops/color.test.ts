import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  cmykToRgb,
  cmykToRgbBuffer,
  fix,
  rgbToYcbcr,
  rgbToYcbcrBuffer,
  ycbcrToRgb,
  ycbcrToRgbBuffer,
  ycbcrToRgbTables,
  ycckToCmyk,
  ycckToCmykBuffer,
} from './color.js';

describe('fix()', () => {
  it('gives libjpeg’s constants', () => {
    expect([1.402, 1.772, 0.71414, 0.34414].map(fix)).toEqual([91881, 116130, 46802, 22554]);
    expect([0.299, 0.587, 0.114, 0.16874, 0.33126, 0.5, 0.41869, 0.08131].map(fix)).toEqual([
      19595, 38470, 7471, 11059, 21709, 32768, 27439, 5329,
    ]);
  });
});

describe('ycbcrToRgb (jdcolor.c)', () => {
  it('neutral chroma gives grey', () => {
    expect(ycbcrToRgb(128, 128, 128)).toEqual([128, 128, 128]);
    expect(ycbcrToRgb(255, 128, 128)).toEqual([255, 255, 255]);
    expect(ycbcrToRgb(0, 128, 128)).toEqual([0, 0, 0]);
    for (let y = 0; y < 256; y++) expect(ycbcrToRgb(y, 128, 128)).toEqual([y, y, y]);
  });

  it('hand-computed: (100, 150, 200) → (201, 41, 139)', () => {
    // Cr − 128 = 72, Cb − 128 = 22.
    // R: 100 + ((91881 · 72 + 32768) >> 16) = 100 + (6648200 >> 16 = 101) = 201
    // G: 100 + ((−22554 · 22 + 32768 − 46802 · 72) >> 16) = 100 + (−3833164 >> 16 = −59) = 41
    // B: 100 + ((116130 · 22 + 32768) >> 16) = 100 + (2587628 >> 16 = 39) = 139
    expect(ycbcrToRgb(100, 150, 200)).toEqual([201, 41, 139]);
  });

  it('G shifts the sum once (floor of a negative): (50, 0, 255)', () => {
    // R: 50 + ((91881 · 127 + 32768) >> 16 = 178) = 228
    // G: 50 + ((22554 · 128 + 32768 − 46802 · 127) >> 16) = 50 + (−3024174 >> 16 = −47) = 3
    // B: 50 + ((116130 · −128 + 32768) >> 16 = −227) = −177 → 0
    expect(ycbcrToRgb(50, 0, 255)).toEqual([228, 3, 0]);
  });

  it('clamps out-of-range results (range_limit)', () => {
    // x = 127: G = 255 + ((−22554 · 127 + 32768 − 46802 · 127) >> 16) = 255 + (−8775444 >> 16 = −134) = 121;
    // R = 255 + 178 and B = 255 + 225 clamp to 255.
    expect(ycbcrToRgb(255, 255, 255)).toEqual([255, 121, 255]);
    // x = −128: G = 0 + ((22554 · 128 + 32768 + 46802 · 128) >> 16) = 8910336 >> 16 = 135; R, B clamp to 0.

    expect(ycbcrToRgb(0, 0, 0)).toEqual([0, 135, 0]);
  });

  it('exposes the tables (Cr_r_tab[0] = (91881 · −128 + 32768) >> 16 = −179)', () => {
    const t = ycbcrToRgbTables();
    expect([t.crR[0], t.crR[128], t.crR[255], t.cbB[0], t.cbB[255]]).toEqual([-179, 0, 178, -227, 225]);
    expect([t.crG[129], t.cbG[128], t.cbG[129]]).toEqual([-46802, 32768, 32768 - 22554]);
  });
});

describe('rgbToYcbcr (jccolor.c)', () => {
  it('greys have neutral chroma and Y = v', () => {
    for (let v = 0; v < 256; v++) expect(rgbToYcbcr(v, v, v)).toEqual([v, 128, 128]);
  });

  it('pure red and blue reach 255 in Cr and Cb thanks to the "− 1" (not 256)', () => {
    // Cr of red: (32768 · 255 + 128 · 65536 + 32767) >> 16 = 16777215 >> 16 = 255.
    // Cb of red: (−11059 · 255 + 8388608 + 32767) >> 16 = 5601330 >> 16 = 85.
    expect(rgbToYcbcr(255, 0, 0)).toEqual([76, 85, 255]);
    expect(rgbToYcbcr(0, 0, 255)).toEqual([29, 255, 107]);
    expect(rgbToYcbcr(0, 255, 0)).toEqual([150, 44, 21]);
  });

  it('stays within 0–255 for every corner of the cube', () => {
    for (const r of [0, 255]) {
      for (const g of [0, 255]) {
        for (const b of [0, 255]) {
          for (const v of rgbToYcbcr(r, g, b)) expect(v >= 0 && v <= 255).toBe(true);
        }
      }
    }
  });

  it('round-trips through ycbcrToRgb within ±2 on a coarse grid', () => {
    let max = 0;
    for (let r = 0; r < 256; r += 15) {
      for (let g = 0; g < 256; g += 15) {
        for (let b = 0; b < 256; b += 15) {
          const [y, cb, cr] = rgbToYcbcr(r, g, b);
          const back = ycbcrToRgb(y, cb, cr);
          max = Math.max(max, Math.abs(back[0] - r), Math.abs(back[1] - g), Math.abs(back[2] - b));
        }
      }
    }
    expect(max).toBeLessThanOrEqual(2);
  });
});

describe('cmykToRgb (djpeg cmyk.h)', () => {
  it('multiplies inverted ink by inverted black and rounds', () => {
    expect(cmykToRgb(255, 255, 255, 255)).toEqual([255, 255, 255]); // no ink: white
    expect(cmykToRgb(255, 255, 255, 0)).toEqual([0, 0, 0]); // full black
    // 100 · 128 / 255 = 50.196 → 50; 200 · 128 / 255 = 100.39 → 100; 254 · 128 / 255 = 127.498 → 127.
    expect(cmykToRgb(100, 200, 254, 128)).toEqual([50, 100, 127]);
    // 3 · 170 / 255 = 2 exactly; 131 · 170 / 255 = 87.33 → 87; 255 → 170.
    expect(cmykToRgb(3, 131, 255, 170)).toEqual([2, 87, 170]);
  });
});

describe('ycckToCmyk (jdcolor.c ycck_cmyk_convert)', () => {
  it('inverts the YCbCr → RGB result and passes K through', () => {
    expect(ycckToCmyk(128, 128, 128, 77)).toEqual([127, 127, 127, 77]);
    expect(ycckToCmyk(255, 128, 128, 9)).toEqual([0, 0, 0, 9]);
    expect(ycckToCmyk(100, 150, 200, 0)).toEqual([54, 214, 116, 0]); // 255 − (201, 41, 139)
    expect(ycckToCmyk(50, 0, 255, 255)).toEqual([27, 252, 255, 255]); // 255 − (228, 3, 0)
  });
});

describe('whole-buffer helpers', () => {
  it('convert every pixel, also in place', () => {
    const ycc = Uint8Array.of(128, 128, 128, 100, 150, 200, 50, 0, 255);
    expect(Array.from(ycbcrToRgbBuffer(ycc))).toEqual([128, 128, 128, 201, 41, 139, 228, 3, 0]);
    const inPlace = Uint8Array.from(ycc);
    expect(ycbcrToRgbBuffer(inPlace, inPlace)).toBe(inPlace);
    expect(Array.from(inPlace)).toEqual([128, 128, 128, 201, 41, 139, 228, 3, 0]);
    expect(Array.from(rgbToYcbcrBuffer(Uint8Array.of(255, 0, 0, 9, 9, 9)))).toEqual([
      76, 85, 255, 9, 128, 128,
    ]);
    expect(Array.from(cmykToRgbBuffer(Uint8Array.of(100, 200, 254, 128, 255, 255, 255, 0)))).toEqual([
      50, 100, 127, 0, 0, 0,
    ]);
    expect(Array.from(ycckToCmykBuffer(Uint8Array.of(100, 150, 200, 0, 128, 128, 128, 77)))).toEqual([
      54, 214, 116, 0, 127, 127, 127, 77,
    ]);
  });
  it('refuse an output buffer that is too small', () => {
    expect(() => cmykToRgbBuffer(new Uint8Array(8), new Uint8Array(5))).toThrow(RangeError);
  });
});

describe('cmykToRgb against djpeg’s reference PPM of the CMYK fixture', () => {
  it('reproduces fixtures/ref/photo-cmyk.ppm exactly from the decoded CMYK samples', async () => {
    const root = new URL('../../../../fixtures/', import.meta.url);
    const jpeg = readFileSync(fileURLToPath(new URL('jpeg/photo-cmyk.jpg', root)));
    // libvips hands back CMYK with Adobe's inversion undone (0 = no ink); invert again to get the stored samples.
    const { data, info } = await sharp(jpeg)
      .pipelineColourspace('cmyk')
      .toColourspace('cmyk')
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    const stored = Uint8Array.from(data, (v) => 255 - v);
    const ppm = readFileSync(fileURLToPath(new URL('ref/photo-cmyk.ppm', root)));
    const header = `P6\n${info.width} ${info.height}\n255\n`;
    expect(ppm.subarray(0, header.length).toString('latin1')).toBe(header);
    const ours = cmykToRgbBuffer(stored);
    expect(Buffer.from(ours).equals(ppm.subarray(header.length))).toBe(true);
  });
});
