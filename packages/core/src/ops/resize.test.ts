import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { RESIZE_FILTERS } from '../pipeline.js';
import { diffImages } from '../testing/compare.js';
import { lanczos } from './kernels.js';
import { resizeImage } from './resize.js';
import type { HostImage, PixelFormat } from '../image.js';

function image(width: number, height: number, format: PixelFormat, values: number[]): HostImage {
  return createHostImage(width, height, format, { data: Uint8Array.from(values) });
}

/** A gray image from a function of (x, y). */
function grayFrom(width: number, height: number, f: (x: number, y: number) => number): HostImage {
  const img = createHostImage(width, height, 'gray');
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.data[y * width + x] = f(x, y);
  return img;
}

describe('resizeImage', () => {
  for (const filter of RESIZE_FILTERS) {
    it(`${filter}: a constant image stays constant, shrinking and enlarging, in every format`, () => {
      for (const format of ['gray', 'rgb', 'rgba', 'bgra', 'rgb-planar'] as const) {
        const channels = { gray: 1, rgb: 3, rgba: 4, bgra: 4, 'rgb-planar': 3 }[format];
        const pixel = [200, 17, 93, 140].slice(0, channels);
        const src = createHostImage(7, 5, format);
        if (format === 'rgb-planar')
          for (let c = 0; c < 3; c++) src.data.fill(pixel[c]!, c * 35, (c + 1) * 35);
        else for (let i = 0; i < src.data.length; i++) src.data[i] = pixel[i % channels]!;
        for (const [w, h] of [
          [3, 4],
          [11, 9],
          [1, 1],
        ] as const) {
          const out = resizeImage(src, w, h, { filter });
          expect(out.data.length).toBe(w * h * channels);
          const expected = createHostImage(w, h, format);
          if (format === 'rgb-planar')
            for (let c = 0; c < 3; c++) expected.data.fill(pixel[c]!, c * w * h, (c + 1) * w * h);
          else for (let i = 0; i < expected.data.length; i++) expected.data[i] = pixel[i % channels]!;
          expect(Array.from(out.data)).toEqual(Array.from(expected.data));
        }
      }
    });
  }

  it('bilinear 2×1 → 1×1 is the average, rounded half up', () => {
    expect(Array.from(resizeImage(image(2, 1, 'gray', [10, 20]), 1, 1, { filter: 'bilinear' }).data)).toEqual(
      [15],
    );
    expect(Array.from(resizeImage(image(2, 1, 'gray', [10, 21]), 1, 1, { filter: 'bilinear' }).data)).toEqual(
      [16],
    );
    expect(
      Array.from(resizeImage(image(2, 1, 'rgb', [0, 100, 255, 1, 0, 0]), 1, 1, { filter: 'bilinear' }).data),
    ).toEqual([1, 50, 128]);
  });

  it('bilinear 2 → 4 interpolates at the pixel centres', () => {
    // Centres −0.25, 0.25, 0.75, 1.25: 0, 0.75·0 + 0.25·100, 0.25·0 + 0.75·100, 100.
    expect(Array.from(resizeImage(image(2, 1, 'gray', [0, 100]), 4, 1, { filter: 'bilinear' }).data)).toEqual(
      [0, 25, 75, 100],
    );
  });

  it('catmull-rom 2 → 4 gives 0, 20, 80, 107 (hand-computed: weights −0.0703, 0.8672, 0.2266, −0.0234)', () => {
    // Output 1 centres on 0.25: inputs −1, 0, 1, 2 at distances 1.25, 0.25, 0.75, 1.75, weights
    // −0.0703125, 0.8671875, 0.2265625, −0.0234375; inputs 1 and 2 are 100 → 100 · 0.203125 = 20.3 → 20.
    // Output 0 centres on −0.25: only input 1 (distance 1.25, weight −0.0703) is 100 → −7 → clamped to 0;
    // output 3 mirrors it: 100 + 7.03 = 107, an overshoot that stays because it is inside 0–255.
    expect(
      Array.from(resizeImage(image(2, 1, 'gray', [0, 100]), 4, 1, { filter: 'catmull-rom' }).data),
    ).toEqual([0, 20, 80, 107]);
  });

  it('mitchell 2 → 4 gives 0, 24, 76, 102 (hand-computed: weights −0.0234, 0.7821, 0.2561, −0.0148)', () => {
    // Output 1: 100 · (0.2560764 − 0.0147569) = 24.1 → 24; output 3: 100 · (1 + 0.0234375) = 102.3 → 102.
    expect(Array.from(resizeImage(image(2, 1, 'gray', [0, 100]), 4, 1, { filter: 'mitchell' }).data)).toEqual(
      [0, 24, 76, 102],
    );
  });

  it('mitchell at the same size blurs: [0, 90, 0] → [5, 80, 5] (weights 1/18, 8/9, 1/18)', () => {
    expect(
      Array.from(resizeImage(image(3, 1, 'gray', [0, 90, 0]), 3, 1, { filter: 'mitchell' }).data),
    ).toEqual([5, 80, 5]);
  });

  it('catmull-rom, lanczos3, bilinear, box and nearest at the same size are the identity', () => {
    const src = grayFrom(9, 7, (x, y) => (x * 37 + y * 101) % 256);
    for (const filter of ['catmull-rom', 'lanczos3', 'bilinear', 'box', 'nearest'] as const) {
      expect(Array.from(resizeImage(src, 9, 7, { filter }).data)).toEqual(Array.from(src.data));
    }
  });

  it('nearest 4×4 → 2×2 picks pixels (1,1), (3,1), (1,3), (3,3)', () => {
    const src = grayFrom(4, 4, (x, y) => y * 4 + x);
    expect(Array.from(resizeImage(src, 2, 2, { filter: 'nearest' }).data)).toEqual([5, 7, 13, 15]);
  });

  it('nearest enlarging 2×1 → 5×1 repeats by floor((d + 0.5) · 0.4)', () => {
    expect(Array.from(resizeImage(image(2, 1, 'gray', [10, 200]), 5, 1, { filter: 'nearest' }).data)).toEqual(
      [10, 10, 200, 200, 200],
    );
  });

  it('box 4 → 2 averages exactly, and 4×4 → 2×2 takes the mean of each 2×2 block', () => {
    expect(
      Array.from(resizeImage(image(4, 1, 'gray', [10, 20, 30, 41]), 2, 1, { filter: 'box' }).data),
    ).toEqual([15, 36]);
    const src = image(4, 4, 'gray', [0, 4, 100, 101, 8, 12, 102, 103, 255, 255, 1, 2, 255, 254, 3, 4]);
    // Means: 24/4 = 6, 406/4 = 101.5 → 102, 1019/4 = 254.75 → 255, 10/4 = 2.5 → 3.
    expect(Array.from(resizeImage(src, 2, 2, { filter: 'box' }).data)).toEqual([6, 102, 255, 3]);
  });

  it('box 3 → 2 weighs by area (2/3, 1/3) and box 2 → 4 replicates', () => {
    // (2·30 + 90) / 3 = 50, (90 + 2·150) / 3 = 130.
    expect(Array.from(resizeImage(image(3, 1, 'gray', [30, 90, 150]), 2, 1, { filter: 'box' }).data)).toEqual(
      [50, 130],
    );
    expect(Array.from(resizeImage(image(2, 1, 'gray', [7, 9]), 4, 1, { filter: 'box' }).data)).toEqual([
      7, 7, 9, 9,
    ]);
  });

  it('lanczos3 enlarging a step edge overshoots on both sides, and the overshoot is clamped', () => {
    const values = [0, 0, 255, 255];
    const out = resizeImage(image(4, 1, 'gray', values), 8, 1, { filter: 'lanczos3' });
    // The same sums written out independently: output d at centre (d + 0.5)/2 − 0.5, inputs within ±3,
    // indices clamped, weights L3(i − centre) normalised.
    const L3 = lanczos(3);
    const unclamped = Array.from({ length: 8 }, (_, d) => {
      const centre = (d + 0.5) / 2 - 0.5;
      let sum = 0;
      let norm = 0;
      for (let i = Math.floor(centre) - 3; i <= Math.ceil(centre) + 3; i++) {
        const w = L3(i - centre);
        sum += w * values[Math.min(Math.max(i, 0), 3)]!;
        norm += w;
      }
      return sum / norm;
    });
    expect(Math.min(...unclamped)).toBeLessThan(-5); // undershoot on the dark side …
    expect(Math.max(...unclamped)).toBeGreaterThan(260); // … and overshoot on the bright side
    expect(Array.from(out.data)).toEqual(
      unclamped.map((v) => Math.min(255, Math.max(0, Math.floor(v + 0.5)))),
    );
    expect(Array.from(out.data)).toEqual([8, 0, 0, 54, 201, 255, 255, 247]);
  });

  it('premultiplies alpha: a transparent neighbour does not tint an opaque pixel', () => {
    // Opaque red next to fully transparent green: the average is half-transparent pure red, not olive.
    const rgba = resizeImage(image(2, 1, 'rgba', [255, 0, 0, 255, 0, 255, 0, 0]), 1, 1, {
      filter: 'bilinear',
    });
    expect(Array.from(rgba.data)).toEqual([255, 0, 0, 128]);
    const bgra = resizeImage(image(2, 1, 'bgra', [0, 0, 255, 255, 0, 255, 0, 0]), 1, 1, {
      filter: 'bilinear',
    });
    expect(Array.from(bgra.data)).toEqual([0, 0, 255, 128]);
    // Alpha 200 and 100, colour 100 and 250: premultiplied (20000 + 25000)/2 / 150 = 150, not (100 + 250)/2 = 175.
    const mixed = resizeImage(image(2, 1, 'rgba', [100, 100, 100, 200, 250, 250, 250, 100]), 1, 1, {
      filter: 'box',
    });
    expect(Array.from(mixed.data)).toEqual([150, 150, 150, 150]);
  });

  it('a fully transparent result has colour 0', () => {
    const out = resizeImage(image(2, 1, 'rgba', [9, 8, 7, 0, 6, 5, 4, 0]), 1, 1, { filter: 'box' });
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0]);
  });

  it('planar formats give the same samples as interleaved', () => {
    const rgb = image(
      4,
      2,
      'rgb',
      [...Array(24).keys()].map((i) => (i * 41) % 256),
    );
    const planar = createHostImage(4, 2, 'rgb-planar');
    for (let p = 0; p < 8; p++) for (let c = 0; c < 3; c++) planar.data[c * 8 + p] = rgb.data[p * 3 + c]!;
    for (const filter of RESIZE_FILTERS) {
      const a = resizeImage(rgb, 3, 3, { filter });
      const b = resizeImage(planar, 3, 3, { filter });
      expect(b.format).toBe('rgb-planar');
      expect(diffImages(b, a).maxAbs).toBe(0);
    }
  });

  it('linear light: a black/white checkerboard halved is ~188 (50 % light), not 128', () => {
    const board = grayFrom(64, 64, (x, y) => ((x + y) % 2 ? 255 : 0));
    // Box averages exactly two black and two white: linear 0.5 → sRGB 0.7354 · 255 = 187.5 → 188.
    expect(new Set(resizeImage(board, 32, 32, { filter: 'box', linear: true }).data)).toEqual(new Set([188]));
    expect(new Set(resizeImage(board, 32, 32, { filter: 'box' }).data)).toEqual(new Set([128]));
    // Lanczos3 pairs every black input with a white one at the same distance away from the edges.
    const lin = resizeImage(board, 32, 32, { filter: 'lanczos3', linear: true });
    const gam = resizeImage(board, 32, 32, { filter: 'lanczos3' });
    for (let y = 4; y < 28; y++) {
      for (let x = 4; x < 28; x++) {
        expect(Math.abs(lin.data[y * 32 + x]! - 188)).toBeLessThanOrEqual(1);
        expect(Math.abs(gam.data[y * 32 + x]! - 128)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('linear light leaves alpha linear and round-trips exact samples through nearest', () => {
    const src = image(2, 2, 'rgba', [0, 1, 2, 255, 100, 128, 255, 7, 54, 200, 3, 128, 250, 251, 252, 0]);
    const out = resizeImage(src, 2, 2, { filter: 'nearest', linear: true });
    // The transparent pixel's colour becomes 0; everything else is exact.
    expect(Array.from(out.data)).toEqual([0, 1, 2, 255, 100, 128, 255, 7, 54, 200, 3, 128, 0, 0, 0, 0]);
    // Alpha 0 and 255 averaged stays 127.5 → 128 in linear mode too (alpha is never gamma-decoded).
    const a = resizeImage(image(2, 1, 'rgba', [255, 255, 255, 0, 255, 255, 255, 255]), 1, 1, {
      linear: true,
      filter: 'box',
    });
    expect(Array.from(a.data)).toEqual([255, 255, 255, 128]);
  });

  it('honours the input stride, never modifies the input, and keeps the metadata', () => {
    const tight = grayFrom(5, 3, (x, y) => x * 50 + y);
    const padded = createHostImage(5, 3, 'gray', { stride: 8, orientation: 6 });
    padded.icc = Uint8Array.of(1, 2, 3);
    padded.backend = 'wasm';
    for (let y = 0; y < 3; y++) padded.data.set(tight.data.subarray(y * 5, y * 5 + 5), y * 8);
    padded.data.fill(99, 5, 8); // padding that must be ignored
    const before = Uint8Array.from(padded.data);
    const out = resizeImage(padded, 3, 2, { filter: 'lanczos3' });
    expect(Array.from(out.data)).toEqual(Array.from(resizeImage(tight, 3, 2, { filter: 'lanczos3' }).data));
    expect(out.stride).toBe(3);
    expect([out.orientation, out.icc, out.backend]).toEqual([6, padded.icc, 'wasm']);
    expect(padded.data).toEqual(before);
  });

  it('rejects bad sizes and options with E_INVALID_ARGUMENT', () => {
    const src = image(2, 1, 'gray', [0, 0]);
    expect(() => resizeImage(src, 0, 1)).toThrow(
      'Expected integer between 1 and 1073741824 for width but received 0',
    );
    expect(() => resizeImage(src, 1, 1.5)).toThrow(/for height but received 1.5/);
    expect(() => resizeImage(src, 1, 1, { filter: 'cubic' as never })).toThrow(
      /for filter but received "cubic"/,
    );
    expect(() => resizeImage(src, 1, 1, { linear: 1 as never })).toThrow(
      'Expected boolean for linear but received 1',
    );
  });
});
