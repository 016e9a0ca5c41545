import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, readPnm } from '@jpegkit/core';
import type { DctScale, HostImage, ResolvedDecodeOptions, ResolvedEncodeOptions } from '@jpegkit/core';
import { diffImages, describeDiff } from '@jpegkit/core/testing';
import { WasmBackend, loadModule, readCoefficients, writeCoefficients } from '@jpegkit/wasm';
import type { DctCoefficients, JpegkitWasm } from '@jpegkit/wasm';
import { WebGPUBackend } from '../backend.js';
import { parseBaselineScan } from './baseline-scan.js';
import { chunkCount, selfSyncKernels, synchronise } from './self-sync.js';
import { decodeOptions, decodeOutcome, readFixture, useSwiftShader } from '../test-support.js';

// Huffman decoding on the GPU (one invocation per restart interval) against libjpeg-turbo (the wasm decoder):
// fixtures with restart markers, re-encoded photos in every subsampling and restart interval, coefficient
// frames with unusual sampling, and damaged files — pixels byte for byte, failures with libjpeg's codes.
useSwiftShader();

const read = readFixture;

const gpu = new WebGPUBackend();
const cpu = new WasmBackend();
let module: JpegkitWasm;

beforeAll(async () => {
  await gpu.init({ threads: 0, entropy: 'gpu' });
  await cpu.init({ threads: 0 });
  module = await loadModule();
}, 60_000);
afterAll(async () => {
  await gpu.dispose();
  await cpu.dispose();
  module?.dispose();
});

function encodeOptions(overrides: Partial<ResolvedEncodeOptions>): ResolvedEncodeOptions {
  return {
    quality: 90,
    subsampling: '4:2:0',
    progressive: false,
    restartInterval: 0,
    optimize: false,
    arithmetic: false,
    ...overrides,
  };
}

/** Decodes on the GPU path and on libjpeg; returns which entropy decoder the GPU backend ended up using. */
async function expectSame(bytes: Uint8Array, o: ResolvedDecodeOptions, what: string): Promise<string> {
  const header = inspect(bytes, { headerOnly: true });
  const before = { ...gpu.entropyStats };
  const actual = await decodeOutcome(gpu, bytes, header, o);
  const expected = await decodeOutcome(cpu, bytes, header, o);
  const stats = gpu.entropyStats;
  const route =
    stats.gpuSelfSync > before.gpuSelfSync
      ? 'self-sync'
      : stats.gpu > before.gpu
        ? 'gpu'
        : stats.gpuRejected > before.gpuRejected
          ? 'rejected'
          : 'wasm';
  if (typeof actual === 'string' || typeof expected === 'string') {
    expect(actual, what).toEqual(expected);
    return route;
  }
  const diff = diffImages(actual, expected);
  expect(diff.maxAbs, `${what}: ${describeDiff(diff)}`).toBe(0);
  return route;
}

/**
 * Flips bits or overwrites bytes (1 to 3 edits, 120 runs) in the entropy-coded data of fixtures, checks every
 * result against libjpeg (expectSame), and counts the routes the GPU backend took.
 */
async function damagedScanRoutes(names: string[], seed: number): Promise<Map<string, number>> {
  const files = names.map((n) => read(`jpeg/${n}.jpg`));
  const scanStart = files.map((f) => inspect(f).scans[0]!.dataStart);
  const routes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(
      fc.nat(files.length - 1),
      fc.array(fc.record({ at: fc.nat(), bit: fc.nat(7), byte: fc.boolean(), value: fc.nat(255) }), {
        minLength: 1,
        maxLength: 3,
      }),
      async (index, edits) => {
        const bytes = files[index]!.slice();
        for (const e of edits) {
          const at = scanStart[index]! + (e.at % (bytes.length - 2 - scanStart[index]!));
          bytes[at] = e.byte ? e.value : bytes[at]! ^ (1 << e.bit);
        }
        const route = await expectSame(bytes, decodeOptions(), 'damaged file');
        routes.set(route, (routes.get(route) ?? 0) + 1);
      },
    ),
    { numRuns: 120, seed },
  );
  return routes;
}

/** Colour spaces and sampling factors (h, v per component) that no fixture has, for reshaped frames. */
const UNUSUAL_LAYOUTS: [DctCoefficients['colorSpace'], [number, number][]][] = [
  [
    'ycbcr',
    [
      [3, 2],
      [1, 1],
      [1, 1],
    ],
  ],
  [
    'ycbcr',
    [
      [1, 1],
      [2, 2],
      [2, 2],
    ],
  ],
  [
    'ycbcr',
    [
      [2, 2],
      [1, 2],
      [2, 1],
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
  ['gray', [[2, 2]]],
];

describe('GPU Huffman decoding', () => {
  it('decodes the restart-marker fixtures on the GPU, equal to djpeg -dct int', async () => {
    for (const name of ['photo-420-restart-rows', 'photo-420-restart-3mcu']) {
      const bytes = read(`jpeg/${name}.jpg`);
      expect(typeof gpu.entropyRoute(bytes, inspect(bytes, { headerOnly: true }))).toBe('object');
      const before = gpu.entropyStats.gpu;
      const img = (await gpu.decode(bytes, inspect(bytes), decodeOptions())) as HostImage;
      expect(gpu.entropyStats.gpu).toBe(before + 1);
      expect(diffImages(img, readPnm(read(`ref/${name}.ppm`))).maxAbs, name).toBe(0);
      for (const scale of [0.5, 0.125] as DctScale[])
        expect(await expectSame(bytes, decodeOptions({ scale }), `${name} at ${scale}`)).toBe('gpu');
    }
  });

  it('matches libjpeg on photos re-encoded in every subsampling with restart intervals of 1 to 7 MCUs', async () => {
    const photo = readPnm(read('ref/photo-420.ppm'));
    const odd: HostImage = { ...photo, width: 149, height: 93 }; // same stride: the top-left 149×93
    const routes: string[] = [];
    for (const [i, subsampling] of (
      ['4:4:4', '4:2:2', '4:2:0', '4:4:0', '4:1:1', 'gray'] as const
    ).entries()) {
      for (const restartInterval of [1, 2, 7]) {
        const source = (i + restartInterval) % 2 === 0 ? photo : odd;
        const jpeg = await cpu.encode(
          source,
          encodeOptions({ subsampling, restartInterval, optimize: i % 2 === 1 }),
        );
        const format = subsampling === 'gray' ? 'gray' : 'rgb';
        routes.push(
          await expectSame(jpeg, decodeOptions({ format }), `${subsampling} restart ${restartInterval}`),
        );
      }
    }
    expect(new Set(routes)).toEqual(new Set(['gpu']));
  });

  it('matches libjpeg on coefficient frames with unusual sampling, large values and 4 components', async () => {
    const base = readCoefficients(module, read('jpeg/photo-444.jpg'));
    const routes: string[] = [];
    for (const [li, [colorSpace, sampling]] of UNUSUAL_LAYOUTS.entries()) {
      const frame = reshape(base, sampling, colorSpace, 45 + li * 8, 37 - li * 4);
      for (const restartInterval of [1, 3]) {
        const jpeg = writeCoefficients(module, frame, { restartInterval, optimize: li % 2 === 0 });
        for (const scale of [1, 0.25] as DctScale[])
          routes.push(
            await expectSame(
              jpeg,
              decodeOptions({ scale }),
              `${colorSpace} ${JSON.stringify(sampling)} restart ${restartInterval} at ${scale}`,
            ),
          );
      }
    }
    expect(new Set(routes)).toEqual(new Set(['gpu']));
  });

  it('gives libjpeg’s pixels or libjpeg’s error for damaged restart-marker files', async () => {
    const routes = await damagedScanRoutes(['photo-420-restart-rows', 'photo-420-restart-3mcu'], 0x7e57);
    // Some damage still decodes on the GPU (a changed value), some is caught and handed to libjpeg.
    expect(routes.get('gpu') ?? 0).toBeGreaterThan(5);
    expect((routes.get('rejected') ?? 0) + (routes.get('wasm') ?? 0)).toBeGreaterThan(5);
  });

  it("chooses per image in 'auto' mode: many short intervals on the GPU, few or none on the wasm reader", async () => {
    const auto = new WebGPUBackend();
    await auto.init({ threads: 0 });
    try {
      const few = read('jpeg/photo-420-restart-rows.jpg');
      expect(auto.entropyRoute(few, inspect(few))).toMatch(/too few/);
      const none = read('jpeg/photo-420.jpg');
      expect(auto.entropyRoute(none, inspect(none))).toMatch(/chunks of entropy-coded data: too few/);
      const progressive = read('jpeg/photo-420-progressive-restart.jpg');
      expect(auto.entropyRoute(progressive, inspect(progressive))).toMatch(/progressive/);
      const photo = readPnm(read('ref/photo-420.ppm'));
      const many = await cpu.encode(photo, encodeOptions({ restartInterval: 1 }));
      const scan = auto.entropyRoute(many, inspect(many));
      expect(typeof scan === 'object' && scan.intervalStarts.length - 1).toBe(80);
      const img = (await auto.decode(many, inspect(many), decodeOptions())) as HostImage;
      const expected = (await cpu.decode(many, inspect(many), decodeOptions())) as HostImage;
      expect(auto.entropyStats).toEqual({ gpu: 1, gpuSelfSync: 0, wasm: 0, gpuRejected: 0 });
      expect(diffImages(img, expected).maxAbs).toBe(0);
    } finally {
      await auto.dispose();
    }
  });

  it('parses only what libjpeg reads without warnings', () => {
    const bytes = read('jpeg/photo-420-restart-3mcu.jpg');
    expect(typeof parseBaselineScan(bytes)).toBe('object');
    const noEoi = bytes.slice(0, bytes.length - 2);
    expect(parseBaselineScan(noEoi)).toBe('no EOI marker after the scan');
    const scan = inspect(bytes).scans[0]!;
    const swapped = bytes.slice();
    for (let i = scan.dataStart; i < scan.dataEnd - 1; i++) {
      if (swapped[i] === 0xff && swapped[i + 1] === 0xd1) {
        swapped[i + 1] = 0xd2;
        break;
      }
    }
    expect(parseBaselineScan(swapped)).toBe('restart markers out of sequence');
  });
});

describe('GPU Huffman decoding without restart markers (self-synchronising chunks)', () => {
  it('matches libjpeg on photos re-encoded in every subsampling, plain and optimised tables', async () => {
    const photo = readPnm(read('ref/photo-420.ppm'));
    const odd: HostImage = { ...photo, width: 151, height: 97 };
    const routes: string[] = [];
    for (const [i, subsampling] of (
      ['4:4:4', '4:2:2', '4:2:0', '4:4:0', '4:1:1', 'gray'] as const
    ).entries()) {
      for (const [q, quality] of [100, 75, 20].entries()) {
        const source = (i + q) % 2 === 0 ? photo : odd;
        const jpeg = await cpu.encode(source, encodeOptions({ subsampling, quality, optimize: q === 1 }));
        const format = subsampling === 'gray' ? 'gray' : 'rgb';
        routes.push(await expectSame(jpeg, decodeOptions({ format }), `${subsampling} q${quality}`));
      }
    }
    expect(new Set(routes)).toEqual(new Set(['self-sync']));
  });

  it('matches libjpeg on a large image (hundreds of chunks) and at DCT scales', async () => {
    const photo = readPnm(read('ref/testorig.ppm'));
    const W = 907;
    const H = 596;
    const big: HostImage = {
      width: W,
      height: H,
      format: 'rgb',
      stride: W * 3,
      data: new Uint8Array(W * H * 3),
      orientation: 1,
    };
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++)
          big.data[(y * W + x) * 3 + c] =
            photo.data[(y % photo.height) * photo.stride + (x % photo.width) * 3 + c]!;
    const jpeg = await cpu.encode(big, encodeOptions({ quality: 92 }));
    const scan = parseBaselineScan(jpeg);
    expect(typeof scan === 'object' && scan.intervalStarts[1]! * 8 > 200 * 4096).toBe(true);
    for (const scale of [1, 0.5] as DctScale[])
      expect(await expectSame(jpeg, decodeOptions({ scale }), `907×596 at ${scale}`)).toBe('self-sync');
  });

  it('matches libjpeg on coefficient frames with unusual sampling, large values and 4 components', async () => {
    const base = readCoefficients(module, read('jpeg/cups-420-q100.jpg'));
    const routes: string[] = [];
    for (const [li, [colorSpace, sampling]] of UNUSUAL_LAYOUTS.entries()) {
      const frame = reshape(base, sampling, colorSpace, 141 + li * 8, 97 - li * 4);
      const jpeg = writeCoefficients(module, frame, { optimize: li % 2 === 0 });
      for (const scale of [1, 0.25] as DctScale[]) {
        const what = `${colorSpace} ${JSON.stringify(sampling)} at ${scale}`;
        routes.push(`${what}: ${await expectSame(jpeg, decodeOptions({ scale }), what)}`);
      }
    }
    expect(routes.filter((r) => !r.endsWith(': self-sync'))).toEqual([]);
  });

  it('gives libjpeg’s pixels or libjpeg’s error for damaged files', async () => {
    const routes = await damagedScanRoutes(['photo-420', 'photo-422', 'cups-420-q100'], 0x5e1f);
    expect(routes.get('self-sync') ?? 0).toBeGreaterThan(5);
    expect((routes.get('rejected') ?? 0) + (routes.get('wasm') ?? 0)).toBeGreaterThan(5);
  });

  it('converges in a few passes on a photo, and gives up when its passes run out', async () => {
    const photo = readPnm(read('ref/testorig.ppm'));
    const jpeg = await cpu.encode(photo, encodeOptions({ quality: 95, subsampling: '4:4:4' }));
    const scan = parseBaselineScan(jpeg);
    if (typeof scan === 'string') throw new Error(scan);
    expect(chunkCount(scan)).toBeGreaterThan(20);
    const kernels = await selfSyncKernels(gpu.context!);
    // One pass only checks the guesses, which are never all right.
    expect(await synchronise(gpu.context!, kernels, scan, 1)).toBeUndefined();
    const synced = await synchronise(gpu.context!, kernels, scan);
    expect(synced!.passes).toBeLessThanOrEqual(4);
  });
});

/**
 * `base`'s coefficients rearranged into a frame with other sampling factors (the blocks wrap around); each
 * component starts at another block of its source unless `samePhase`, which makes components that share a
 * source repeat each other block for block.
 */
function reshape(
  base: DctCoefficients,
  sampling: [number, number][],
  colorSpace: DctCoefficients['colorSpace'],
  width: number,
  height: number,
  samePhase = false,
): DctCoefficients {
  const maxH = Math.max(...sampling.map(([h]) => h));
  const maxV = Math.max(...sampling.map(([, v]) => v));
  const components = sampling.map(([h, v], ci) => {
    const source = base.components[ci % base.components.length]!;
    const widthInBlocks = Math.ceil((width * h) / (maxH * 8));
    const heightInBlocks = Math.ceil((height * v) / (maxV * 8));
    const blocksPerRow = Math.ceil(widthInBlocks / h) * h;
    const blockRows = Math.ceil(heightInBlocks / v) * v;
    const coefficients = new Int16Array(blocksPerRow * blockRows * 64);
    const phase = samePhase ? 0 : ci * 64 * 37;
    for (let i = 0; i < coefficients.length; i++)
      coefficients[i] = source.coefficients[(i + phase) % source.coefficients.length]!;
    return {
      ...source,
      id: ci + 1,
      h,
      v,
      widthInBlocks,
      heightInBlocks,
      blocksPerRow,
      blockRows,
      coefficients,
    };
  });
  return { ...base, width, height, colorSpace, maxH, maxV, components };
}
