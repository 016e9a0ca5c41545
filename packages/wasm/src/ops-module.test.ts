/**
 * The wasm pixel ops (codec/src/ops_*.c through ops-module.ts) against @jpegkit/core's reference ops: every op
 * kind and filter on real fixture pixels, within ±1 per channel (the max |Δ| of each case is printed), no heap
 * growth, and a one-call pipeline equal to decode → ops → encode done step by step.
 *
 * By default this loads the committed packages/wasm/wasm/jpegkit.wasm. JK_WASM=/path/to/jpegkit.wasm tests another build; its ES-module glue must lie next to it as
 * jpegkit.mjs (glue and .wasm of one build belong together: the export names are minified per build).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ops, readPnm } from '@jpegkit/core';
import type { FitMode, HostImage, OpStep, PixelFormat, ResizeFilter } from '@jpegkit/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadModule } from './module.js';
import type { JpegkitWasm } from './module.js';
import { applyOpWasm, hasWasmOps, releaseOpsScratch, runOpsWasm, runPipelineWasm } from './ops-module.js';

// JK_WASM: use that build's glue too (the committed glue cannot drive another build's .wasm).
vi.mock('../wasm/jpegkit.mjs', async (importOriginal) => {
  const wasm = process.env.JK_WASM;
  if (!wasm) return importOriginal();
  return (await import(pathToFileURL(join(dirname(resolve(wasm)), 'jpegkit.mjs')).href)) as object;
});

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const wasmPath = process.env.JK_WASM
  ? resolve(process.env.JK_WASM)
  : fileURLToPath(new URL('../wasm/jpegkit.wasm', import.meta.url));

let codec: JpegkitWasm;
const report: string[] = [];

beforeAll(async () => {
  codec = await loadModule({ wasmBinary: readFileSync(wasmPath) });
});

afterAll(() => {
  if (report.length > 0) console.log(`max |Δ| vs @jpegkit/core ops.applyOp:\n${report.join('\n')}`);
  if (codec !== undefined) {
    releaseOpsScratch(codec);
    codec.dispose();
  }
});

const photo = () => readPnm(readFileSync(repo('fixtures/ref/photo-420.ppm')));
const gray = () => readPnm(readFileSync(repo('fixtures/ref/photo-gray.pgm')));

/** An rgba image with colour gradients and alpha from transparent through partial to opaque. */
function synthRgba(width: number, height: number): HostImage {
  const base = photo();
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = ((y % base.height) * base.width + (x % base.width)) * 3;
      const o = (y * width + x) * 4;
      data[o] = base.data[s]!;
      data[o + 1] = base.data[s + 1]!;
      data[o + 2] = base.data[s + 2]!;
      // Bands: fully transparent, a diagonal ramp, opaque; plus isolated transparent pixels.
      const band = Math.floor((x * 3) / width);
      data[o + 3] = band === 0 ? 0 : band === 1 ? (x * 7 + y * 5) % 256 : (x + y) % 13 === 0 ? 0 : 255;
    }
  }
  return {
    width,
    height,
    format: 'rgba',
    stride: width * 4,
    data,
    orientation: 1,
  };
}

/** The same pixels with rows padded (stride > a row) to exercise strided input. */
function padded(img: HostImage, extra: number): HostImage {
  const bpp = img.stride / img.width;
  return ops.convertImage(img, img.format, { stride: img.width * bpp + extra });
}

function maxDelta(a: HostImage, b: HostImage): number {
  expect([a.width, a.height, a.format, a.stride]).toEqual([b.width, b.height, b.format, b.stride]);
  expect(a.data.length).toBe(b.data.length);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    if (d > max) max = d;
  }
  return max;
}

function check(name: string, img: HostImage, step: OpStep): number {
  const expected = ops.applyOp(img, step);
  const actual = applyOpWasm(codec, img, step);
  const delta = maxDelta(actual, expected);
  expect(actual.orientation).toBe(expected.orientation);
  report.push(`  ${name.padEnd(58)} ${delta}`);
  expect(delta, name).toBeLessThanOrEqual(1);
  return delta;
}

const FILTERS: ResizeFilter[] = ['nearest', 'bilinear', 'mitchell', 'catmull-rom', 'lanczos3', 'box'];
const resize = (
  width: number,
  height: number,
  filter: ResizeFilter,
  fit: FitMode = 'fill',
  extra: Partial<Extract<OpStep, { op: 'resize' }>> = {},
): OpStep => ({
  op: 'resize',
  width,
  height,
  fit,
  filter,
  linear: false,
  background: [0, 0, 0, 255],
  ...extra,
});

describe('the module', () => {
  it('exports the pixel ops (jk_ops.h)', () => {
    expect(hasWasmOps(codec)).toBe(true);
  });
});

describe('applyOpWasm equals ops.applyOp (±1)', () => {
  it('resize: every filter, down and up, non-integer factors (rgb 160×120)', () => {
    const img = photo();
    for (const filter of FILTERS) {
      check(`resize ${filter} 160x120→61x47`, img, resize(61, 47, filter));
      check(`resize ${filter} 160x120→80x60 (integer 1/2)`, img, resize(80, 60, filter));
      check(`resize ${filter} 160x120→237x151`, img, resize(237, 151, filter));
      check(`resize ${filter} 160x120→320x240 (integer 2)`, img, resize(320, 240, filter));
      check(`resize ${filter} 160x120→23x200 (down x, up y)`, img, resize(23, 200, filter));
      check(`resize ${filter} 160x120→7x3`, img, resize(7, 3, filter));
    }
  });

  it('resize: edge geometries (1 px, extreme factors)', () => {
    const img = photo();
    const column = ops.cropImage(img, { x: 40, y: 0, width: 1, height: 120 });
    const dot = ops.cropImage(img, { x: 40, y: 30, width: 1, height: 1 });
    for (const filter of FILTERS) {
      check(`resize ${filter} 160x120→1x1`, img, resize(1, 1, filter));
      check(`resize ${filter} 1x120→9x13`, column, resize(9, 13, filter));
      check(`resize ${filter} 1x1→5x4`, dot, resize(5, 4, filter));
      check(`resize ${filter} 160x120→3x97`, img, resize(3, 97, filter));
    }
  });

  it('resize: fit modes with crop and padding', () => {
    const img = photo();
    const bg: [number, number, number, number] = [200, 30, 90, 128];
    for (const fit of ['cover', 'contain', 'inside', 'outside', 'fill'] as FitMode[]) {
      check(`resize lanczos3 ${fit} 100x100`, img, resize(100, 100, 'lanczos3', fit, { background: bg }));
      check(`resize mitchell ${fit} 50x90`, img, resize(50, 90, 'mitchell', fit, { background: bg }));
      check(`resize bilinear ${fit} 301x77`, img, resize(301, 77, 'bilinear', fit, { background: bg }));
      check(`resize box ${fit} width only 55`, img, resize(55, 0, 'box', fit, { background: bg }));
    }
    // Same size: no resampling, only the window (contain pads, cover crops nothing).
    check('resize lanczos3 contain 160x200 (pad only)', img, resize(160, 200, 'lanczos3', 'contain'));
    check('resize lanczos3 fill 160x120 (identity)', img, resize(160, 120, 'lanczos3', 'fill'));
    check('resize catmull-rom fill 160x77 (one axis)', img, resize(160, 77, 'catmull-rom', 'fill'));
  });

  it('resize: linear light, rgba premultiplied, bgra, planar, gray, strided', () => {
    const img = photo();
    for (const filter of FILTERS) {
      check(`resize ${filter} linear 160x120→71x53`, img, resize(71, 53, filter, 'fill', { linear: true }));
      check(
        `resize ${filter} linear 160x120→203x190`,
        img,
        resize(203, 190, filter, 'fill', { linear: true }),
      );
    }
    const rgba = synthRgba(97, 83);
    const bgra = ops.convertImage(rgba, 'bgra');
    for (const filter of FILTERS) {
      check(`resize ${filter} rgba 97x83→40x33`, rgba, resize(40, 33, filter));
      check(`resize ${filter} rgba 97x83→150x111`, rgba, resize(150, 111, filter));
      check(
        `resize ${filter} rgba linear 97x83→45x61`,
        rgba,
        resize(45, 61, filter, 'fill', { linear: true }),
      );
    }
    check(
      'resize lanczos3 bgra contain 60x60',
      bgra,
      resize(60, 60, 'lanczos3', 'contain', { background: [9, 99, 199, 77] }),
    );
    for (const format of ['rgb-planar', 'bgr-planar', 'bgr'] as PixelFormat[]) {
      const p = ops.convertImage(img, format);
      check(`resize lanczos3 ${format} 160x120→61x47`, p, resize(61, 47, 'lanczos3'));
      check(`resize mitchell ${format} cover 90x90`, p, resize(90, 90, 'mitchell', 'cover'));
      check(
        `resize bilinear ${format} contain 90x90`,
        p,
        resize(90, 90, 'bilinear', 'contain', { background: [1, 2, 3, 4] }),
      );
    }
    const g = gray();
    for (const filter of FILTERS) {
      check(
        `resize ${filter} gray →${Math.round(g.width / 2.7)}x${Math.round(g.height / 3.1)}`,
        g,
        resize(Math.round(g.width / 2.7), Math.round(g.height / 3.1), filter),
      );
      check(
        `resize ${filter} gray ↑x1.7`,
        g,
        resize(Math.round(g.width * 1.7), Math.round(g.height * 1.3), filter, 'fill', { linear: true }),
      );
    }
    check(
      'resize lanczos3 gray contain (luma background)',
      g,
      resize(200, 200, 'lanczos3', 'contain', {
        background: [250, 10, 60, 255],
      }),
    );
    check('resize lanczos3 strided rgb 61x47', padded(img, 13), resize(61, 47, 'lanczos3'));
    check(
      'resize lanczos3 strided rgb-planar cover',
      padded(ops.convertImage(img, 'rgb-planar'), 5),
      resize(50, 50, 'lanczos3', 'cover'),
    );
  });

  it('sharpen', () => {
    const img = photo();
    for (const [sigma, amount, threshold] of [
      [0.3, 1, 0],
      [0.5, 1, 0],
      [1, 0.8, 2],
      [1.7, 2.5, 0],
      [2.5, 1, 10],
      [10, 3, 0],
    ] as const) {
      check(`sharpen σ${sigma} a${amount} t${threshold} rgb`, img, {
        op: 'sharpen',
        sigma,
        amount,
        threshold,
      });
    }
    check('sharpen σ1.2 rgba (alpha copied)', synthRgba(97, 83), {
      op: 'sharpen',
      sigma: 1.2,
      amount: 1.5,
      threshold: 1,
    });
    check('sharpen σ1 gray', gray(), {
      op: 'sharpen',
      sigma: 1,
      amount: 1,
      threshold: 0,
    });
    check('sharpen σ1 rgb-planar strided', padded(ops.convertImage(img, 'rgb-planar'), 3), {
      op: 'sharpen',
      sigma: 1,
      amount: 1,
      threshold: 0,
    });
    check('sharpen σ4 tiny 7x3', ops.cropImage(img, { x: 5, y: 5, width: 7, height: 3 }), {
      op: 'sharpen',
      sigma: 4,
      amount: 2,
      threshold: 0,
    });
  });

  it('crop, rotate, flip, flop, orient 1–8 on every layout', () => {
    const base = photo();
    const images: [string, HostImage][] = [
      ['rgb', base],
      ['rgba', synthRgba(41, 29)],
      ['gray', gray()],
      ['bgr-planar', ops.convertImage(base, 'bgr-planar')],
      ['rgb strided', padded(base, 7)],
    ];
    for (const [name, img] of images) {
      let worst = 0;
      const steps: OpStep[] = [
        {
          op: 'crop',
          x: 3,
          y: 5,
          width: Math.min(17, img.width - 3),
          height: Math.min(11, img.height - 5),
        },
        { op: 'crop', x: 0, y: 0, width: img.width, height: img.height },
        { op: 'rotate', angle: 90 },
        { op: 'rotate', angle: 180 },
        { op: 'rotate', angle: 270 },
        { op: 'flip' },
        { op: 'flop' },
        ...([1, 2, 3, 4, 5, 6, 7, 8] as const).map((orientation): OpStep => ({
          op: 'orient',
          orientation,
        })),
      ];
      for (const step of steps) {
        const img2 = { ...img, orientation: 6 as const };
        worst = Math.max(worst, check(`${step.op} ${JSON.stringify(step).slice(0, 40)} ${name}`, img2, step));
      }
      expect(worst).toBe(0);
    }
  });

  it('adjust and convert between all 7 formats', () => {
    const img = photo();
    for (const [brightness, contrast] of [
      [0, 1],
      [0.1, 1.2],
      [-0.4, 0.5],
      [1, 4],
      [-1, 0],
    ] as const) {
      check(`adjust b${brightness} c${contrast} rgb`, img, {
        op: 'adjust',
        brightness,
        contrast,
      });
    }
    check('adjust rgba (alpha untouched)', synthRgba(33, 17), {
      op: 'adjust',
      brightness: 0.2,
      contrast: 1.5,
    });
    check('adjust bgr-planar', ops.convertImage(img, 'bgr-planar'), {
      op: 'adjust',
      brightness: -0.1,
      contrast: 2,
    });
    const formats: PixelFormat[] = ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'];
    const rgba = synthRgba(37, 23);
    for (const from of formats) {
      const src = padded(ops.convertImage(rgba, from), 2);
      for (const to of formats) {
        const d = check(`convert ${from} → ${to}`, src, {
          op: 'convert',
          format: to,
        });
        expect(d).toBe(0);
      }
    }
  });

  it('rejects bad arguments like the reference', () => {
    const img = photo();
    expect(() =>
      applyOpWasm(codec, img, {
        op: 'sharpen',
        sigma: 0.1,
        amount: 1,
        threshold: 0,
      }),
    ).toThrow(/sigma/);
    expect(() =>
      applyOpWasm(codec, img, {
        op: 'crop',
        x: 150,
        y: 0,
        width: 20,
        height: 5,
      }),
    ).toThrow(/crop/);
    expect(() => applyOpWasm(codec, img, resize(0, 0, 'lanczos3'))).toThrow();
  });

  it('does not grow the heap over 200 calls', () => {
    const img = photo();
    const rgba = synthRgba(64, 48);
    const steps: [HostImage, OpStep][] = [
      [img, resize(61, 47, 'lanczos3', 'cover', { linear: true })],
      [rgba, resize(100, 30, 'mitchell', 'contain')],
      [img, { op: 'sharpen', sigma: 1, amount: 1, threshold: 0 }],
      [img, { op: 'rotate', angle: 90 }],
      [img, { op: 'convert', format: 'gray' }],
    ];
    const jpeg = readFileSync(repo('fixtures/jpeg/photo-420.jpg'));
    const round = () => {
      for (const [i, s] of steps) applyOpWasm(codec, i, s);
      runPipelineWasm(codec, jpeg, {
        scale: 0.5,
        steps: [resize(40, 30, 'lanczos3')],
      });
      runPipelineWasm(codec, jpeg, {
        steps: [{ op: 'flip' }],
        output: { kind: 'image' },
      });
    };
    round();
    const before = codec.heapUsed();
    for (let i = 0; i < 200 / steps.length; i++) round();
    expect(codec.heapUsed()).toBe(before);
  });
});

describe('runPipelineWasm', () => {
  const jpeg = () => new Uint8Array(readFileSync(repo('fixtures/jpeg/photo-420.jpg')));
  const encode = { quality: 85, subsampling: '4:2:0' as const, optimize: true };

  it('decode at 1/2 → lanczos3 → sharpen → encode equals the steps done separately', () => {
    const steps: OpStep[] = [
      resize(50, 0, 'lanczos3', 'inside'),
      { op: 'sharpen', sigma: 0.8, amount: 1.2, threshold: 1 },
    ];
    const oneCall = runPipelineWasm(codec, jpeg(), {
      scale: 0.5,
      steps,
      output: { kind: 'jpeg', encode },
    });
    const d = codec.decode(jpeg(), { format: 'rgb', scale: 0.5 });
    const decoded: HostImage = { ...d, orientation: 1 };
    // Step by step in wasm: byte-identical.
    const viaWasm = steps.reduce((img, s) => applyOpWasm(codec, img, s), decoded);
    const bytesWasm = codec.encode(viaWasm.data, { ...viaWasm, ...encode });
    expect(Buffer.from(oneCall).equals(Buffer.from(bytesWasm))).toBe(true);
    // Step by step with the TypeScript reference: the same pixels (±1), so the same JPEG when they are equal.
    const viaTs = steps.reduce(ops.applyOp, decoded);
    const delta = maxDelta(viaWasm, viaTs);
    report.push(`  ${'pipeline decode 1/2 → lanczos3 → sharpen (pixels)'.padEnd(58)} ${delta}`);
    expect(delta).toBeLessThanOrEqual(1);
    if (delta === 0) {
      const bytesTs = codec.encode(viaTs.data, { ...viaTs, ...encode });
      expect(Buffer.from(oneCall).equals(Buffer.from(bytesTs))).toBe(true);
    }
  });

  it('orients, converts and returns pixels', () => {
    const bytes = new Uint8Array(readFileSync(repo('fixtures/jpeg/orient-6-ii.jpg')));
    const steps: OpStep[] = [
      resize(31, 31, 'mitchell', 'cover'),
      { op: 'adjust', brightness: 0.05, contrast: 1.1 },
    ];
    const out = runPipelineWasm(codec, bytes, {
      scale: 1,
      orient: true,
      orientation: 6,
      steps,
      output: { kind: 'image', format: 'bgra' },
    });
    const d = codec.decode(bytes, { format: 'rgb' });
    let ref: HostImage = ops.orientImage({ ...d, orientation: 6 }, 6);
    ref = steps.reduce(ops.applyOp, ref);
    ref = ops.convertImage(ref, 'bgra');
    const delta = maxDelta(out, ref);
    report.push(`  ${'pipeline orient 6 → mitchell cover → adjust → bgra'.padEnd(58)} ${delta}`);
    expect(delta).toBeLessThanOrEqual(1);
    expect(out.orientation).toBe(1);
  });

  it('runOpsWasm runs steps on host pixels in one call', () => {
    const img = synthRgba(80, 60);
    const steps: OpStep[] = [
      { op: 'crop', x: 4, y: 2, width: 70, height: 50 },
      resize(33, 44, 'catmull-rom', 'contain', { background: [0, 0, 255, 0] }),
      { op: 'rotate', angle: 270 },
      { op: 'convert', format: 'rgb-planar' },
    ];
    const out = runOpsWasm(codec, img, steps) as HostImage;
    const ref = steps.reduce(ops.applyOp, img);
    const delta = maxDelta(out, ref);
    report.push(`  ${'runOpsWasm crop → catmull-rom contain → rotate → planar'.padEnd(58)} ${delta}`);
    expect(delta).toBeLessThanOrEqual(1);
  });

  it('reports decode errors', () => {
    expect(() => runPipelineWasm(codec, new Uint8Array([1, 2, 3]))).toThrow();
  });
});
