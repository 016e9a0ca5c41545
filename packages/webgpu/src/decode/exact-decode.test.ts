import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, inspect, registerBackend } from '@jpegkit/core';
import type { Codec, DctScale, HostImage, PixelFormat, ResolvedDecodeOptions } from '@jpegkit/core';
import { diffImages, describeDiff } from '@jpegkit/core/testing';
import { WasmBackend, loadModule, writeCoefficients } from '@jpegkit/wasm';
import type { DctCoefficients, JpegkitWasm } from '@jpegkit/wasm';
import { WebGPUBackend } from '../backend.js';
import { planDecode, UPSAMPLE } from './decode-plan.js';
import { FIXTURES, decodeOptions, decodeOutcome, readFixture, useSwiftShader } from '../test-support.js';

// The GPU kernels (IDCT, upsampling, colour, pack) against libjpeg-turbo itself (the wasm decoder, djpeg's
// code): every fixture at every DCT scale, gray, CMYK/YCCK, crops with orientations, and synthetic frames with
// sampling layouts, odd sizes and coefficient ranges the fixtures do not have — byte for byte.
useSwiftShader();

const eightBit = readdirSync(new URL('jpeg/', FIXTURES))
  .filter((n) => n.endsWith('.jpg') && n !== 'testorig12.jpg')
  .map((name) => ({ name, bytes: readFixture(`jpeg/${name}`) }));

const gpu = new WebGPUBackend();
const cpu = new WasmBackend();
let module: JpegkitWasm;

beforeAll(async () => {
  await gpu.init({ threads: 1 });
  await cpu.init({ threads: 0 });
  module = await loadModule();
}, 60_000);
afterAll(async () => {
  await gpu.dispose();
  await cpu.dispose();
  module?.dispose();
});

/** Resolves with libjpeg's error code when both refused the same way, else with 'decoded'. */
async function expectSameAsLibjpeg(
  bytes: Uint8Array,
  o: ResolvedDecodeOptions,
  what: string,
): Promise<string> {
  const header = inspect(bytes);
  const [actual, expected] = await Promise.all([
    decodeOutcome(gpu, bytes, header, o),
    decodeOutcome(cpu, bytes, header, o),
  ]);
  if (typeof expected === 'string' || typeof actual === 'string') {
    expect(actual, what).toEqual(expected);
    return typeof expected === 'string' ? expected : 'decoded';
  }
  expect([actual.width, actual.height, actual.format], what).toEqual([
    expected.width,
    expected.height,
    expected.format,
  ]);
  const diff = diffImages(actual, expected);
  expect(diff.maxAbs, `${what}: ${describeDiff(diff)}`).toBe(0);
  expect(actual.orientation, what).toBe(expected.orientation);
  return 'decoded';
}

const SCALES: DctScale[] = [1, 0.5, 0.25, 0.125];

describe('webgpu decode kernels vs libjpeg-turbo (wasm)', () => {
  it('decodes every 8-bit fixture at every DCT scale, byte for byte', async () => {
    const outcomes = new Set<string>();
    for (const { name, bytes } of eightBit) {
      for (const scale of SCALES)
        outcomes.add(await expectSameAsLibjpeg(bytes, decodeOptions({ scale }), `${name} at ${scale}`));
    }
    expect([...outcomes]).toEqual(['decoded']);
  });

  it('decodes every fixture to gray (Y alone, RGB through rgb_gray_convert, CMYK refused like libjpeg)', async () => {
    for (const { name, bytes } of eightBit) {
      const cmyk = /cmyk|ycck/.test(name);
      for (const scale of [1, 0.25] as DctScale[]) {
        const outcome = await expectSameAsLibjpeg(
          bytes,
          decodeOptions({ format: 'gray', scale }),
          `${name} gray at ${scale}`,
        );
        expect(outcome, name).toBe(cmyk ? 'E_UNSUPPORTED' : 'decoded');
      }
    }
  });

  it('lays out every format with crops and orientations as libjpeg + core do', async () => {
    const pick = [
      'photo-422.jpg',
      'photo-gray.jpg',
      'photo-cmyk.jpg',
      'odd-35x27-422.jpg',
      'orient-6-ii.jpg',
    ];
    const formats: PixelFormat[] = ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'];
    for (const name of pick) {
      const { bytes } = eightBit.find((f) => f.name === name)!;
      const { width, height } = inspect(bytes);
      for (const [i, format] of formats.entries()) {
        const scale = SCALES[i % 4]!;
        const w = Math.ceil(width * scale);
        const h = Math.ceil(height * scale);
        const crop = {
          x: Math.floor(w / 5),
          y: Math.floor(h / 3),
          width: Math.max(1, w - Math.floor(w / 5) - 1),
          height: Math.max(1, Math.ceil(h / 2)),
        };
        for (const orient of [false, true]) {
          const outcome = await expectSameAsLibjpeg(
            bytes,
            decodeOptions({ format, scale, crop, orient }),
            `${name} ${format} at ${scale}, crop ${JSON.stringify(crop)}, orient ${orient}`,
          );
          expect(outcome).toBe(name === 'photo-cmyk.jpg' && format === 'gray' ? 'E_UNSUPPORTED' : 'decoded');
        }
      }
    }
  });
});

/** A small deterministic PRNG (mulberry32), so the synthetic frames are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A frame of `width`×`height` with the given sampling factors and random coefficients: flat blocks, blocks
 * with one nonzero column or row (the IDCT's shortcuts), and busy blocks whose dequantised values reach
 * `largest` — big enough to push samples past ±512, where libjpeg's range-limit table wraps.
 */
function syntheticFrame(
  width: number,
  height: number,
  sampling: [number, number][],
  colorSpace: DctCoefficients['colorSpace'],
  seed: number,
  largest = 12000,
): DctCoefficients {
  const next = random(seed);
  const maxH = Math.max(...sampling.map(([h]) => h));
  const maxV = Math.max(...sampling.map(([, v]) => v));
  const components = sampling.map(([h, v], ci) => {
    const widthInBlocks = Math.ceil((width * h) / (maxH * 8));
    const heightInBlocks = Math.ceil((height * v) / (maxV * 8));
    const blocksPerRow = Math.ceil(widthInBlocks / h) * h;
    const blockRows = Math.ceil(heightInBlocks / v) * v;
    const quantTable = Uint16Array.from(
      { length: 64 },
      (_, k) => 1 + Math.floor(next() * (k === 0 ? 8 : 40)),
    );
    const coefficients = new Int16Array(blocksPerRow * blockRows * 64);
    for (let b = 0; b < blocksPerRow * blockRows; b++) {
      const kind = Math.floor(next() * 4);
      const at = b * 64;
      const value = (k: number) => {
        // libjpeg's Huffman coder takes AC values below 1024 and DC differences below 2048.
        const bound = Math.min(1000, Math.floor(largest / quantTable[k]!));
        return Math.round((next() * 2 - 1) * Math.min(bound, k === 0 ? bound : bound / 4));
      };
      coefficients[at] = value(0);
      if (kind === 1) for (let r = 1; r < 8; r++) coefficients[at + r * 8] = value(r * 8);
      else if (kind === 2) for (let c = 1; c < 8; c++) coefficients[at + c] = value(c);
      else if (kind === 3) for (let k = 1; k < 64; k++) if (next() < 0.4) coefficients[at + k] = value(k);
    }
    return {
      id: ci + 1,
      h,
      v,
      widthInBlocks,
      heightInBlocks,
      blocksPerRow,
      blockRows,
      quantTable,
      coefficients,
    };
  });
  return {
    width,
    height,
    colorSpace,
    progressive: false,
    arithmetic: false,
    restartInterval: 0,
    maxH,
    maxV,
    components,
  };
}

const SAMPLINGS: [number, number][][] = [
  [
    [1, 1],
    [1, 1],
    [1, 1],
  ],
  [
    [2, 1],
    [1, 1],
    [1, 1],
  ],
  [
    [1, 2],
    [1, 1],
    [1, 1],
  ],
  [
    [2, 2],
    [1, 1],
    [1, 1],
  ],
  [
    [4, 1],
    [1, 1],
    [1, 1],
  ],
  [
    [1, 4],
    [1, 1],
    [1, 1],
  ],
  [
    [3, 1],
    [1, 1],
    [1, 1],
  ],
  [
    [3, 2],
    [1, 1],
    [1, 1],
  ],
  [
    [4, 2],
    [1, 1],
    [1, 1],
  ],
  [
    [2, 2],
    [1, 2],
    [2, 1],
  ],
  [
    [1, 1],
    [2, 2],
    [2, 2],
  ],
  [
    [2, 2],
    [2, 1],
    [1, 2],
  ],
];
const SIZES: [number, number][] = [
  [1, 1],
  [2, 3],
  [5, 2],
  [37, 23],
  [64, 16],
  [131, 9],
];

describe('webgpu decode kernels on synthetic frames vs libjpeg-turbo', () => {
  it('matches on every sampling layout, odd sizes and every scale (incl. range-limit wrap-around)', async () => {
    let seed = 1;
    let planned = 0;
    for (const sampling of SAMPLINGS) {
      for (const [width, height] of SIZES) {
        const frame = syntheticFrame(width, height, sampling, 'ycbcr', seed++);
        const jpeg = writeCoefficients(module, frame);
        for (const scale of SCALES) {
          const label = `${JSON.stringify(sampling)} ${width}×${height} at ${scale}`;
          if (typeof planDecode(frame, scale, false) !== 'string') planned++;
          expect(await expectSameAsLibjpeg(jpeg, decodeOptions({ scale }), label)).toBe('decoded');
        }
      }
    }
    expect(planned).toBeGreaterThan(SAMPLINGS.length * SIZES.length * 3);
  });

  it('matches on RGB, CMYK and YCCK frames with subsampled components', async () => {
    const cases: [DctCoefficients['colorSpace'], [number, number][]][] = [
      [
        'rgb',
        [
          [2, 2],
          [1, 1],
          [1, 1],
        ],
      ],
      [
        'cmyk',
        [
          [1, 1],
          [1, 1],
          [1, 1],
          [1, 1],
        ],
      ],
      [
        'cmyk',
        [
          [2, 1],
          [1, 1],
          [1, 1],
          [2, 1],
        ],
      ],
      [
        'ycck',
        [
          [2, 2],
          [1, 1],
          [1, 1],
          [2, 2],
        ],
      ],
      [
        'ycck',
        [
          [1, 2],
          [1, 1],
          [1, 1],
          [1, 1],
        ],
      ],
    ];
    let seed = 1000;
    for (const [colorSpace, sampling] of cases) {
      const frame = syntheticFrame(29, 19, sampling, colorSpace, seed++, 4000);
      const jpeg = writeCoefficients(module, frame);
      for (const scale of SCALES) {
        for (const format of ['rgb', 'gray'] as PixelFormat[]) {
          const what = `${colorSpace} ${JSON.stringify(sampling)} ${format} at ${scale}`;
          const outcome = await expectSameAsLibjpeg(jpeg, decodeOptions({ scale, format }), what);
          expect(outcome, what).toBe(format === 'gray' && colorSpace !== 'rgb' ? 'E_UNSUPPORTED' : 'decoded');
        }
      }
    }
  });

  it('sends blocks beyond its exact i32 range to the next backend instead of returning other pixels', async () => {
    const frame = syntheticFrame(24, 16, [[1, 1]], 'gray', 77, 4000);
    frame.components[0]!.quantTable[0] = 255;
    frame.components[0]!.coefficients[64] = 1000; // 255000 dequantised: over the i32-safe bound
    const jpeg = writeCoefficients(module, frame);
    const header = inspect(jpeg);
    await expect(gpu.decode(jpeg, header, decodeOptions({ format: 'gray' }))).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      backend: 'webgpu',
    });
    registerBackend(gpu);
    registerBackend(cpu);
    let codec: Codec | undefined;
    try {
      codec = await createCodec({ backends: ['webgpu', 'wasm'] });
      const img = (await codec.decode(jpeg, { format: 'gray' })) as HostImage;
      const expected = (await cpu.decode(jpeg, header, decodeOptions({ format: 'gray' }))) as HostImage;
      expect(img.backend).toBe('wasm');
      expect(diffImages(img, expected).maxAbs).toBe(0);
    } finally {
      await codec?.dispose();
    }
  });

  it('plans what jdsample.c chooses: fancy 2:1 only when fancy upsampling is on and the plane is wide enough', () => {
    const frame = syntheticFrame(
      37,
      23,
      [
        [2, 2],
        [1, 1],
        [1, 1],
      ],
      'ycbcr',
      5,
    );
    const at = (scale: DctScale) => {
      const plan = planDecode(frame, scale, false);
      if (typeof plan === 'string') throw new Error(plan);
      return plan.components.map((c) => [c.blockSize, c.method]);
    };
    expect(at(1)).toEqual([
      [8, UPSAMPLE.box],
      [8, UPSAMPLE.h2v2Fancy],
      [8, UPSAMPLE.h2v2Fancy],
    ]);
    // jdmaster.c scales chroma up in the IDCT instead: no upsampling at all.
    expect(at(0.5)).toEqual([
      [4, UPSAMPLE.box],
      [8, UPSAMPLE.box],
      [8, UPSAMPLE.box],
    ]);
    expect(at(0.125)).toEqual([
      [1, UPSAMPLE.box],
      [2, UPSAMPLE.box],
      [2, UPSAMPLE.box],
    ]);
    const narrow = syntheticFrame(
      3,
      8,
      [
        [2, 1],
        [1, 1],
        [1, 1],
      ],
      'ycbcr',
      6,
    );
    const plan = planDecode(narrow, 1, false);
    expect(typeof plan !== 'string' && plan.components[1]!.method).toBe(UPSAMPLE.box);
    expect(planDecode({ ...frame, colorSpace: 'cmyk' }, 1, true)).toMatch(/cannot be decoded to gray/);
  });
});
