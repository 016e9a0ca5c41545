// resolveResize and resizeFit checked against sharp itself: output sizes over many random cases, and where
// cover crops and contain pads, pixel for pixel.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { FIT_MODES } from '../pipeline.js';
import { diffImages } from '../testing/compare.js';
import { resizeFit, resolveResize } from './fit.js';
import type { HostImage } from '../image.js';
import type { ResizeOptions } from '../pipeline.js';

/** A deterministic generator (LCG), so a failure names a case that can be replayed. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return 1 + ((s >>> 8) % n);
  };
}

/** An RGB image with a distinct, smooth-ish value in every pixel, so shifts and crops show. */
function testImage(width: number, height: number): HostImage {
  const img = createHostImage(width, height, 'rgb');
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      img.data[i] = x % 256;
      img.data[i + 1] = y % 256;
      img.data[i + 2] = (x * 3 + y * 7) % 256;
    }
  }
  return img;
}

async function viaSharp(img: HostImage, options: ResizeOptions & { kernel?: keyof sharp.KernelEnum }) {
  const raw = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length);
  const bg = options.background ?? [0, 0, 0, 255];
  const { data, info } = await sharp(raw, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(options.width || undefined, options.height || undefined, {
      fit: options.fit ?? 'cover',
      kernel: options.kernel ?? 'lanczos3',
      background: { r: bg[0], g: bg[1], b: bg[2], alpha: bg[3] / 255 },
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return createHostImage(info.width, info.height, 'rgb', { data: new Uint8Array(data) });
}

describe('resolveResize matches sharp', () => {
  // With sharp's default kernel: for kernel 'nearest' libvips first subsamples by an integer factor, which can
  // leave a large shrink a pixel smaller; resolveResize models the path of every other kernel.
  it('output size for 400 random sizes, boxes and fit modes', async () => {
    const next = random(7);
    const mismatches: string[] = [];
    for (let k = 0; k < 400; k++) {
      const w = next(90);
      const h = next(90);
      const which = next(6);
      const options: ResizeOptions = {
        width: which === 1 ? undefined : next(70),
        height: which === 2 ? undefined : next(70),
        fit: FIT_MODES[k % FIT_MODES.length]!,
      };
      const g = resolveResize(w, h, options);
      const out = await viaSharp(createHostImage(w, h, 'rgb'), options);
      if (out.width !== g.width || out.height !== g.height) {
        mismatches.push(
          `${w}×${h} ${JSON.stringify(options)}: sharp ${out.width}×${out.height}, ours ${g.width}×${g.height}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('output size where the quotient is x.5 on paper (the rounding edge)', async () => {
    const mismatches: string[] = [];
    for (const [w, h, t] of [
      [7, 14, 9],
      [5, 10, 13],
      [5, 10, 29],
      [5, 10, 3],
      [7, 28, 18],
      [3, 2, 1],
      [21, 42, 9],
    ] as const) {
      const g = resolveResize(w, h, { height: t });
      const out = await viaSharp(createHostImage(w, h, 'rgb'), { height: t });
      if (out.width !== g.width)
        mismatches.push(`${w}×${h} → height ${t}: sharp ${out.width}, ours ${g.width}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('resizeFit matches sharp pixel for pixel where no resampling happens', () => {
  it('cover crops the same window (odd excess: 401×300 → 300×300)', async () => {
    const src = testImage(401, 300);
    const options: ResizeOptions = { width: 300, height: 300, fit: 'cover' };
    const g = resolveResize(401, 300, options);
    const ours = resizeFit(src, { ...g, filter: 'lanczos3', linear: false, background: [0, 0, 0, 255] });
    const diff = diffImages(ours, await viaSharp(src, options));
    expect(diff.maxAbs).toBe(0);
  });

  it('contain pads the same margins with the same colour (odd shortfalls of 101 and 5 pixels)', async () => {
    for (const [w, h, bw, bh] of [
      [300, 400, 401, 400],
      [301, 200, 301, 205],
    ] as const) {
      const src = testImage(w, h);
      const options: ResizeOptions = {
        width: bw,
        height: bh,
        fit: 'contain',
        background: [200, 30, 90, 255],
      };
      const g = resolveResize(w, h, options);
      const ours = resizeFit(src, {
        ...g,
        filter: 'lanczos3',
        linear: false,
        background: [200, 30, 90, 255],
      });
      expect(diffImages(ours, await viaSharp(src, options)).maxAbs).toBe(0);
    }
  });
});

describe('resizeFit close to sharp when resampling', () => {
  it('cover 400×300 → 200×200 and contain 400×300 → 200×200 with lanczos3', async () => {
    // A smooth image: sharp's fixed-point filter and our float one then agree to well under one level.
    const src = createHostImage(400, 300, 'rgb');
    for (let y = 0; y < 300; y++) {
      for (let x = 0; x < 400; x++) {
        const i = (y * 400 + x) * 3;
        src.data[i] = 128 + 100 * Math.sin(x / 17);
        src.data[i + 1] = 128 + 100 * Math.cos(y / 13);
        src.data[i + 2] = (x + y) / 3;
      }
    }
    for (const fit of ['cover', 'contain'] as const) {
      const options: ResizeOptions = { width: 200, height: 200, fit };
      const g = resolveResize(400, 300, options);
      const ours = resizeFit(src, { ...g, filter: 'lanczos3', linear: false, background: [0, 0, 0, 255] });
      const diff = diffImages(ours, await viaSharp(src, options));
      expect(diff.maxAbs).toBeLessThanOrEqual(1);
    }
  });
});
