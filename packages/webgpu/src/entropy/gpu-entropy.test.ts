import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, readPnm } from '@jpegkit/core';
import type { DctScale, HostImage, ResolvedDecodeOptions, ResolvedEncodeOptions } from '@jpegkit/core';
import { diffImages, describeDiff } from '@jpegkit/core/testing';
import { WasmBackend, loadModule, readCoefficients, writeCoefficients } from '@jpegkit/wasm';
import type { DctCoefficients, JpegkitWasm } from '@jpegkit/wasm';
import { GPU_ENTROPY_MAX_INTERVAL_MCUS, GPU_SELF_SYNC_MIN_CHUNKS, WebGPUBackend } from '../backend.js';
import type { WebGPUImage } from '../webgpu-image.js';
import { parseBaselineScan } from './baseline-scan.js';
import { CHUNK_BITS, chunkCount, selfSyncKernels, synchronise } from './self-sync.js';
import { decodeOptions, decodeOutcome, readFixture, useSwiftShader } from '../test-support.js';

// Huffman decoding on the GPU (one invocation per short restart interval; self-synchronising chunks without
// restart markers and within long intervals) against libjpeg-turbo (the wasm decoder): fixtures with restart
// markers, re-encoded photos in every subsampling and restart interval, coefficient frames with unusual
// sampling, and damaged files — pixels byte for byte, failures with libjpeg's codes.
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
/** The webgpu backend decoding the coefficients libjpeg reads (made when first needed). */
let gpuOnLibjpegCoefficients: WebGPUBackend | undefined;
async function libjpegEntropy(): Promise<WebGPUBackend> {
  if (!gpuOnLibjpegCoefficients) {
    gpuOnLibjpegCoefficients = new WebGPUBackend();
    await gpuOnLibjpegCoefficients.init({ threads: 0, entropy: 'wasm' });
  }
  return gpuOnLibjpegCoefficients;
}
afterAll(async () => {
  await gpuOnLibjpegCoefficients?.dispose();
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
  if (actual === 'E_UNSUPPORTED' && typeof expected !== 'string') {
    // Damaged data can decode to blocks beyond the exact GPU IDCT's range (the backend then leaves the image to
    // the next one): the coefficients libjpeg reads must give the same verdict.
    const header = inspect(bytes, { headerOnly: true });
    expect(await decodeOutcome(await libjpegEntropy(), bytes, header, o), what).toBe('E_UNSUPPORTED');
    return route;
  }
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
async function damagedScanRoutes(
  sources: (string | Uint8Array)[],
  seed: number,
): Promise<Map<string, number>> {
  const files = sources.map((n) => (typeof n === 'string' ? read(`jpeg/${n}.jpg`) : n));
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
    const big = tiledPhoto(907, 596);
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

/** testorig.ppm repeated over a `width`×`height` RGB image (a photo larger than any fixture). */
function tiledPhoto(width: number, height: number): HostImage {
  const photo = readPnm(read('ref/testorig.ppm'));
  const image: HostImage = {
    width,
    height,
    format: 'rgb',
    stride: width * 3,
    data: new Uint8Array(width * height * 3),
    orientation: 1,
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++)
        image.data[(y * width + x) * 3 + c] =
          photo.data[(y % photo.height) * photo.stride + (x % photo.width) * 3 + c]!;
  return image;
}

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

/** Width in pixels of an MCU of each subsampling (a gray scan's MCU is one block). */
const MCU_WIDTH = { '4:4:4': 8, '4:2:2': 16, '4:2:0': 16, '4:4:0': 8, '4:1:1': 32, gray: 8 } as const;

interface LongIntervalCase {
  subsampling: keyof typeof MCU_WIDTH;
  width: number;
  height: number;
  /** Restart interval in MCU rows (cjpeg -restart N) or in MCUs (cjpeg -restart NB). */
  rows?: number;
  mcus?: number;
  quality: number;
  optimize: boolean;
}

/** A tiled photo encoded by libjpeg (the same bytes as cjpeg with these settings) with long restart intervals. */
async function longIntervalJpeg(c: LongIntervalCase): Promise<Uint8Array> {
  const mcusPerRow = Math.ceil(c.width / MCU_WIDTH[c.subsampling]);
  const restartInterval = c.mcus ?? c.rows! * mcusPerRow;
  return cpu.encode(
    tiledPhoto(c.width, c.height),
    encodeOptions({
      subsampling: c.subsampling,
      quality: c.quality,
      optimize: c.optimize,
      restartInterval,
    }),
  );
}

/** Restart markers (FF D0..D7) in the scan of `bytes`: the offset of each 0xFF. */
function restartMarkers(bytes: Uint8Array): number[] {
  const scan = inspect(bytes).scans[0]!;
  const at: number[] = [];
  for (let i = scan.dataStart; i < bytes.length - 1; i++)
    if (bytes[i] === 0xff && bytes[i + 1]! >= 0xd0 && bytes[i + 1]! <= 0xd7) at.push(i);
  return at;
}

describe('GPU Huffman decoding of long restart intervals (self-synchronising chunks within each interval)', () => {
  const cases: LongIntervalCase[] = [
    // cjpeg -restart 1 (one interval per MCU row): 114, 76 and 65 MCUs per row
    { subsampling: '4:4:4', width: 907, height: 301, rows: 1, quality: 90, optimize: false },
    { subsampling: '4:2:0', width: 1203, height: 317, rows: 1, quality: 95, optimize: true },
    { subsampling: '4:2:2', width: 1031, height: 203, rows: 1, quality: 75, optimize: false },
    // cjpeg -restart 2: 114 MCUs
    { subsampling: '4:2:0', width: 907, height: 596, rows: 2, quality: 85, optimize: false },
    // intervals that do not follow the rows (cjpeg -restart 97B, 65B), some shorter than a chunk
    { subsampling: 'gray', width: 907, height: 405, mcus: 97, quality: 20, optimize: true },
    { subsampling: '4:4:4', width: 613, height: 211, mcus: 65, quality: 100, optimize: false },
    { subsampling: '4:1:1', width: 2111, height: 87, rows: 1, quality: 60, optimize: true },
  ];

  it('matches libjpeg in several samplings, odd sizes and interval lengths, on the self-sync path', async () => {
    let multiChunkIntervals = 0;
    let singleChunkIntervals = 0;
    for (const c of cases) {
      const what = `${c.subsampling} ${c.width}×${c.height} restart ${c.rows ? `${c.rows} rows` : `${c.mcus}B`}`;
      const jpeg = await longIntervalJpeg(c);
      const scan = parseBaselineScan(jpeg);
      if (typeof scan === 'string') throw new Error(`${what}: ${scan}`);
      expect(scan.restartInterval, what).toBeGreaterThan(GPU_ENTROPY_MAX_INTERVAL_MCUS);
      const intervals = scan.intervalStarts.length - 1;
      expect(intervals, what).toBe(Math.ceil(scan.totalMcus / scan.restartInterval));
      for (let j = 0; j < intervals; j++) {
        const bits = (scan.intervalStarts[j + 1]! - scan.intervalStarts[j]!) * 8;
        if (bits > CHUNK_BITS) multiChunkIntervals++;
        else singleChunkIntervals++;
      }
      const format = c.subsampling === 'gray' ? 'gray' : 'rgb';
      expect(await expectSame(jpeg, decodeOptions({ format }), what)).toBe('self-sync');
    }
    // Both kinds of interval were decoded: cut into several chunks, and within one chunk.
    expect(multiChunkIntervals).toBeGreaterThan(100);
    expect(singleChunkIntervals).toBeGreaterThan(10);
  });

  it('matches libjpeg at DCT scales and to device pixels', async () => {
    const jpeg = await longIntervalJpeg(cases[1]!);
    for (const scale of [0.5, 0.25, 0.125] as DctScale[])
      expect(await expectSame(jpeg, decodeOptions({ scale }), `4:2:0 rows at ${scale}`)).toBe('self-sync');
    const header = inspect(jpeg, { headerOnly: true });
    const before = gpu.entropyStats.gpuSelfSync;
    const image = (await gpu.decode(jpeg, header, decodeOptions({ location: 'device' }))) as WebGPUImage;
    expect(gpu.entropyStats.gpuSelfSync).toBe(before + 1);
    const onHost = await image.download();
    image.release();
    const expected = (await cpu.decode(jpeg, header, decodeOptions())) as HostImage;
    expect(diffImages(onHost, expected).maxAbs).toBe(0);
  });

  it('synchronises the chunks of every interval in a few passes', async () => {
    const jpeg = await longIntervalJpeg(cases[0]!);
    const scan = parseBaselineScan(jpeg);
    if (typeof scan === 'string') throw new Error(scan);
    const intervals = scan.intervalStarts.length - 1;
    let expectedChunks = 0;
    for (let j = 0; j < intervals; j++)
      expectedChunks += Math.max(
        1,
        Math.ceil(((scan.intervalStarts[j + 1]! - scan.intervalStarts[j]!) * 8) / CHUNK_BITS),
      );
    expect(chunkCount(scan)).toBe(expectedChunks);
    expect(chunkCount(scan)).toBeGreaterThan(2 * intervals);
    const kernels = await selfSyncKernels(gpu.context!);
    expect(await synchronise(gpu.context!, kernels, scan, 1)).toBeUndefined();
    const synced = await synchronise(gpu.context!, kernels, scan);
    expect(synced!.passes).toBeLessThanOrEqual(4);
  });

  it('starts every interval exactly: intervals of one chunk each agree in the first pass', async () => {
    const jpeg = await longIntervalJpeg({
      subsampling: 'gray',
      width: 650,
      height: 48,
      mcus: 81,
      quality: 30,
      optimize: false,
    });
    const scan = parseBaselineScan(jpeg);
    if (typeof scan === 'string') throw new Error(scan);
    const intervals = scan.intervalStarts.length - 1;
    expect([scan.restartInterval, scan.totalMcus, intervals]).toEqual([81, 82 * 6, 7]);
    expect(chunkCount(scan)).toBe(intervals);
    const kernels = await selfSyncKernels(gpu.context!);
    expect((await synchronise(gpu.context!, kernels, scan, 1))?.passes).toBe(1);
    expect(await expectSame(jpeg, decodeOptions({ format: 'gray' }), 'gray 81B')).toBe('self-sync');
  });

  it('gives libjpeg’s error or pixels for truncated, corrupted and re-marked intervals', async () => {
    const jpeg = await longIntervalJpeg(cases[2]!);
    const markers = restartMarkers(jpeg);
    expect(markers.length).toBeGreaterThan(10);
    const eoi = Uint8Array.of(0xff, 0xd9);
    const join = (...parts: Uint8Array[]) => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
    // The sixth restart marker, and the middle of the interval after it.
    const m = markers[5]!;
    const middle = Math.floor((markers[5]! + markers[6]!) / 2);
    const corrupted = jpeg.slice();
    for (let i = middle; i < middle + 6; i++) corrupted[i] = (corrupted[i]! * 37 + 11) & 0x7f;
    const damaged: [string, Uint8Array, string[]][] = [
      ['truncated inside an interval', jpeg.slice(0, middle), ['wasm']],
      ['truncated, then EOI', join(jpeg.subarray(0, middle), eoi), ['wasm']],
      ['a missing restart marker', join(jpeg.subarray(0, m), jpeg.subarray(m + 2)), ['wasm']],
      // An interval that ends early or runs on: caught on the GPU, and read again by libjpeg.
      ['an interval 4 bytes short', join(jpeg.subarray(0, m - 4), jpeg.subarray(m)), ['rejected']],
      [
        'an interval 3 bytes long',
        join(jpeg.subarray(0, m), Uint8Array.of(1, 2, 3), jpeg.subarray(m)),
        ['rejected'],
      ],
      ['corrupted bytes inside an interval', corrupted, ['self-sync', 'rejected']],
    ];
    for (const [what, bytes, routes] of damaged)
      expect(routes, what).toContain(await expectSame(bytes, decodeOptions(), what));
  });

  it('gives libjpeg’s pixels or libjpeg’s error for randomly damaged files', async () => {
    // Small images (a few intervals of 69 and 81 MCUs), so that the 120 damaged files decode quickly.
    const files = [
      await longIntervalJpeg({
        subsampling: '4:2:0',
        width: 1100,
        height: 64,
        rows: 1,
        quality: 90,
        optimize: false,
      }),
      await longIntervalJpeg({
        subsampling: 'gray',
        width: 650,
        height: 48,
        mcus: 81,
        quality: 75,
        optimize: true,
      }),
    ];
    const routes = await damagedScanRoutes(files, 0x10e6);
    expect(routes.get('self-sync') ?? 0).toBeGreaterThan(5);
    expect((routes.get('rejected') ?? 0) + (routes.get('wasm') ?? 0)).toBeGreaterThan(5);
  });

  it("routes long intervals to the chunk decoders in 'auto' mode when there are enough chunks", async () => {
    const auto = new WebGPUBackend();
    await auto.init({ threads: 0 });
    try {
      const small = await longIntervalJpeg(cases[2]!);
      expect(auto.entropyRoute(small, inspect(small))).toMatch(/chunks of entropy-coded data: too few/);
      const big = await longIntervalJpeg({
        subsampling: '4:4:4',
        width: 1600,
        height: 800,
        rows: 1,
        quality: 98,
        optimize: false,
      });
      const scan = auto.entropyRoute(big, inspect(big));
      if (typeof scan === 'string') throw new Error(scan);
      expect(scan.restartInterval).toBe(200);
      expect(chunkCount(scan)).toBeGreaterThanOrEqual(GPU_SELF_SYNC_MIN_CHUNKS);
      const img = (await auto.decode(big, inspect(big), decodeOptions())) as HostImage;
      const expected = (await cpu.decode(big, inspect(big), decodeOptions())) as HostImage;
      expect(auto.entropyStats).toEqual({ gpu: 1, gpuSelfSync: 1, wasm: 0, gpuRejected: 0 });
      expect(diffImages(img, expected).maxAbs).toBe(0);
    } finally {
      await auto.dispose();
    }
  });
});
