import type { Codec } from '../codec.js';
import { isJpegError } from '../errors.js';
import { inspect } from '../inspect.js';
import { isDeviceImage, PIXEL_FORMATS } from '../image.js';
import type { DeviceImage, HostImage, Orientation, PixelFormat } from '../image.js';
import { applyOp } from '../ops/index.js';
import type { OpStep } from '../pipeline.js';
import { readPnm, writePnm } from '../pnm.js';
import { describeDiff, diffImages } from './compare.js';
import { fixtureReader, loadFixtureSet } from './fixtures.js';
import type { FixtureFacts, FixtureReader, FixtureSet } from './fixtures.js';

/** One check of the conformance suite; `run` rejects with a message saying what differed. */
export interface ConformanceCase {
  /** Stable id, e.g. `decode/photo-420.jpg`, `ops/resize-lanczos3-down/photo-420`, `malformed/empty.jpg`. */
  id: string;
  group: 'decode' | 'ops' | 'malformed' | 'encode';
  /** Set when the backend excluded the case; the reason is required. */
  excluded?: string;
  run(codec: Codec): Promise<void>;
}

export interface ConformanceOptions {
  /** Case ids (or prefixes ending in `*`) the backend does not run, each with its written reason. */
  exclude?: Record<string, string>;
  /** Where fixtures come from (default: this repository's fixtures/ folder). */
  read?: FixtureReader;
  /** Largest ±tolerance for pixel ops (default 1). */
  opsTolerance?: number;
}

export interface ConformanceReport {
  passed: string[];
  failed: { id: string; message: string }[];
  excluded: { id: string; reason: string }[];
}

class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
}

function fail(message: string): never {
  throw new ConformanceFailure(message);
}

async function toHost(result: HostImage | DeviceImage): Promise<HostImage> {
  if (!isDeviceImage(result)) return result;
  try {
    return await result.download();
  } finally {
    result.release();
  }
}

function assertSame(actual: HostImage, expected: HostImage, tolerance: number, what: string): void {
  let diff;
  try {
    diff = diffImages(actual, expected, tolerance);
  } catch (e) {
    fail(`${what}: ${(e as Error).message}`);
  }
  if (diff.maxAbs > tolerance) fail(`${what}: ${describeDiff(diff)} (tolerance ±${tolerance})`);
}

async function expectCode(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  try {
    await promise;
  } catch (e) {
    if (!isJpegError(e)) fail(`${what}: rejected with a non-JpegError: ${String(e)}`);
    if (e.code !== code) fail(`${what}: expected ${code}, got ${e.code}: ${e.message}`);
    return;
  }
  fail(`${what}: expected ${code}, but it resolved`);
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function exclusionFor(id: string, exclude: Record<string, string>): string | undefined {
  for (const [pattern, reason] of Object.entries(exclude)) {
    if (!reason.trim()) throw new Error(`conformance exclusion "${pattern}" has no written reason`);
    if (pattern === id || (pattern.endsWith('*') && id.startsWith(pattern.slice(0, -1)))) return reason;
  }
  return undefined;
}

function baseName(file: string): string {
  return file.replace(/^.*\//, '');
}

/** Decode cases: every fixture against its djpeg reference, plus formats, scaling, gray, into, orient. */
function decodeCases(set: FixtureSet): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const refCache = new Map<string, Promise<HostImage>>();
  const ref = (path: string): Promise<HostImage> => {
    let p = refCache.get(path);
    if (!p) refCache.set(path, (p = set.read(path).then(readPnm)));
    return p;
  };
  const colour = set.facts.filter((f) => f.reference?.endsWith('.ppm') && f.orientation === 1);
  for (const f of set.facts) {
    const name = baseName(f.file);
    cases.push({
      id: `decode/${name}`,
      group: 'decode',
      async run(codec) {
        const bytes = await set.read(f.file);
        if (f.reference === null && f.referenceSha256) {
          // Too big to commit: the reference PNM is known by its sha256.
          const img = await toHost(
            await codec.decode(bytes, { format: f.colorSpace === 'gray' ? 'gray' : 'rgb' }),
          );
          const digest = await sha256Hex(writePnm(img));
          if (digest !== f.referenceSha256)
            fail(`decode ${name}: PNM sha256 ${digest} ≠ djpeg's ${f.referenceSha256}`);
          return;
        }
        if (f.reference === null) {
          // No reference (e.g. 12-bit): a backend either decodes it at the right size or says it cannot.
          try {
            const img = await toHost(await codec.decode(bytes));
            if (img.width !== f.width || img.height !== f.height) fail(`size ${img.width}×${img.height}`);
          } catch (e) {
            if (!isJpegError(e) || e.code !== 'E_UNSUPPORTED')
              fail(`expected a decode or E_UNSUPPORTED, got ${String(e)}`);
          }
          return;
        }
        const expected = await ref(f.reference);
        const img = await toHost(await codec.decode(bytes, { format: expected.format }));
        assertSame(img, expected, 0, `decode ${name} vs djpeg -dct int`);
        if (img.orientation !== f.orientation)
          fail(`orientation ${img.orientation}, expected ${f.orientation}`);
      },
    });
    for (const [scale, path] of Object.entries(f.scaled ?? {})) {
      const value = { '1/2': 0.5, '1/4': 0.25, '1/8': 0.125 }[scale] as 0.5 | 0.25 | 0.125 | undefined;
      if (value === undefined) continue;
      cases.push({
        id: `decode-scale/${scale.replace('/', '-')}/${name}`,
        group: 'decode',
        async run(codec) {
          const expected = await ref(path);
          const img = await toHost(
            await codec.decode(await set.read(f.file), { format: expected.format, scale: value }),
          );
          assertSame(img, expected, 0, `decode ${name} at ${scale} vs djpeg -dct int -scale ${scale}`);
        },
      });
    }
    if (f.grayReference) {
      const path = f.grayReference;
      cases.push({
        id: `decode-gray/${name}`,
        group: 'decode',
        async run(codec) {
          const img = await toHost(await codec.decode(await set.read(f.file), { format: 'gray' }));
          assertSame(img, await ref(path), 0, `decode ${name} as gray vs djpeg -dct int -grayscale`);
        },
      });
    }
    if (f.orientation !== 1 && f.reference) {
      const path = f.reference;
      cases.push({
        id: `decode-orient/${name}`,
        group: 'decode',
        async run(codec) {
          const expected = applyOp(await ref(path), {
            op: 'orient',
            orientation: f.orientation as Orientation,
          });
          const img = await toHost(
            await codec.decode(await set.read(f.file), { format: expected.format, orient: true }),
          );
          assertSame(img, expected, 0, `decode ${name} with orient vs reference oriented`);
          if (img.orientation !== 1) fail(`orientation ${img.orientation} after orienting, expected 1`);
        },
      });
    }
  }
  for (const f of colour.slice(0, 2)) {
    const name = baseName(f.file);
    const path = f.reference!;
    for (const format of PIXEL_FORMATS.filter((p) => p !== 'rgb' && p !== 'gray')) {
      cases.push({
        id: `decode-format/${format}/${name}`,
        group: 'decode',
        async run(codec) {
          const expected = applyOp(await ref(path), { op: 'convert', format });
          const img = await toHost(await codec.decode(await set.read(f.file), { format }));
          if (img.format !== format) fail(`format ${img.format}, expected ${format}`);
          assertSame(img, expected, 0, `decode ${name} as ${format}`);
        },
      });
    }
    cases.push({
      id: `decode-into/${name}`,
      group: 'decode',
      async run(codec) {
        const expected = await ref(path);
        const stride = f.width * 3 + 13;
        const data = new Uint8Array(stride * f.height).fill(0xa5);
        const into: HostImage = {
          width: f.width,
          height: f.height,
          format: 'rgb',
          stride,
          data,
          orientation: 1,
        };
        const img = await toHost(await codec.decode(await set.read(f.file), { into }));
        if (img.data.buffer !== data.buffer) fail('decode into did not reuse the caller’s buffer');
        assertSame(img, expected, 0, `decode ${name} into a strided image`);
        for (let y = 0; y < f.height; y++) {
          if (data[y * stride + f.width * 3] !== 0xa5) fail(`row ${y}'s padding was overwritten`);
        }
        const small: HostImage = {
          ...into,
          height: f.height - 1,
          data: new Uint8Array(stride * (f.height - 1)),
        };
        await expectCode(
          codec.decode(await set.read(f.file), { into: small }),
          'E_INVALID_ARGUMENT',
          'decode into an image too small',
        );
      },
    });
  }
  return cases;
}

/** The pixel-op variants every backend runs against the reference ops. */
function opVariants(width: number, height: number): { name: string; steps: OpStep[] }[] {
  const down = { width: Math.max(1, Math.round(width / 3)), height: Math.max(1, Math.round(height / 3)) };
  const up = { width: Math.round(width * 1.5), height: Math.round(height * 1.5) };
  const resize = (
    w: number,
    h: number,
    filter: Extract<OpStep, { op: 'resize' }>['filter'],
    fit: Extract<OpStep, { op: 'resize' }>['fit'] = 'fill',
    linear = false,
  ): OpStep => ({ op: 'resize', width: w, height: h, fit, filter, linear, background: [0, 0, 0, 255] });
  const variants: { name: string; steps: OpStep[] }[] = [];
  for (const filter of ['nearest', 'bilinear', 'mitchell', 'catmull-rom', 'lanczos3', 'box'] as const) {
    variants.push({ name: `resize-${filter}-down`, steps: [resize(down.width, down.height, filter)] });
    variants.push({ name: `resize-${filter}-up`, steps: [resize(up.width, up.height, filter)] });
  }
  for (const fit of ['contain', 'cover', 'inside', 'outside'] as const) {
    variants.push({ name: `resize-fit-${fit}`, steps: [resize(down.width, down.width, 'lanczos3', fit)] });
  }
  variants.push({
    name: 'resize-linear',
    steps: [resize(down.width, down.height, 'lanczos3', 'fill', true)],
  });
  variants.push({ name: 'sharpen-0.95', steps: [{ op: 'sharpen', sigma: 0.95, amount: 1, threshold: 0 }] });
  variants.push({
    name: 'sharpen-2-threshold',
    steps: [{ op: 'sharpen', sigma: 2, amount: 1.5, threshold: 4 }],
  });
  variants.push({
    name: 'crop',
    steps: [{ op: 'crop', x: 3, y: 2, width: Math.max(1, width - 7), height: Math.max(1, height - 5) }],
  });
  for (const angle of [90, 180, 270] as const)
    variants.push({ name: `rotate-${angle}`, steps: [{ op: 'rotate', angle }] });
  variants.push({ name: 'flip', steps: [{ op: 'flip' }] });
  variants.push({ name: 'flop', steps: [{ op: 'flop' }] });
  for (let o = 2; o <= 8; o++) {
    variants.push({ name: `orient-${o}`, steps: [{ op: 'orient', orientation: o as Orientation }] });
  }
  variants.push({ name: 'adjust', steps: [{ op: 'adjust', brightness: 0.1, contrast: 1.3 }] });
  variants.push({
    name: 'thumbnail',
    steps: [
      resize(Math.max(1, Math.round(width / 4)), Math.max(1, Math.round(height / 4)), 'lanczos3', 'cover'),
      { op: 'sharpen', sigma: 0.95, amount: 1, threshold: 0 },
    ],
  });
  return variants;
}

/** Pixel-op cases: a backend's `run` against core's reference ops, ±tolerance per channel. */
function opsCases(set: FixtureSet, tolerance: number): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const inputs = [
    set.facts.find((f) => f.reference?.endsWith('.ppm') && f.orientation === 1 && f.subsampling === '4:2:0'),
    set.facts.find((f) => f.reference?.endsWith('.pgm') && f.orientation === 1),
  ].filter((f): f is FixtureFacts => f !== undefined);
  for (const f of inputs) {
    const name = baseName(f.file).replace(/\.jpe?g$/i, '');
    for (const variant of opVariants(f.width, f.height)) {
      cases.push({
        id: `ops/${variant.name}/${name}`,
        group: 'ops',
        async run(codec) {
          const input = readPnm(await set.read(f.reference!));
          const expected = variant.steps.reduce(applyOp, input);
          let pipeline = codec.pipeline(input);
          for (const step of variant.steps) pipeline = addStep(pipeline, step);
          const img = await toHost(await pipeline.toImage({ format: input.format as PixelFormat }));
          assertSame(img, expected, tolerance, `${variant.name} on ${name} vs reference op`);
        },
      });
    }
  }
  return cases;
}

function addStep(p: ReturnType<Codec['pipeline']>, step: OpStep): ReturnType<Codec['pipeline']> {
  switch (step.op) {
    case 'resize':
      return p.resize(step);
    case 'sharpen':
      return p.sharpen(step);
    case 'crop':
      return p.crop(step);
    case 'rotate':
      return p.rotate(step.angle);
    case 'flip':
      return p.flip();
    case 'flop':
      return p.flop();
    case 'orient':
      return p.applyOrientation(step.orientation);
    case 'adjust':
      return p.adjust(step);
    case 'convert':
      throw new Error('convert is expressed through toImage({ format })');
  }
}

function malformedCases(set: FixtureSet): ConformanceCase[] {
  return set.malformed.map((m) => ({
    id: `malformed/${baseName(m.file)}`,
    group: 'malformed' as const,
    async run(codec: Codec) {
      await expectCode(codec.decode(await set.read(m.file)), m.decode, `decode of ${m.description}`);
    },
  }));
}

function encodeCases(set: FixtureSet): ConformanceCase[] {
  const source = set.facts.find(
    (f) => f.reference?.endsWith('.ppm') && f.subsampling === '4:2:0' && f.orientation === 1,
  );
  if (!source) return [];
  const variants = [
    ...(['4:4:4', '4:2:2', '4:2:0', '4:4:0', '4:1:1', 'gray'] as const).map((subsampling) => ({
      name: `subsampling-${subsampling.replace(/:/g, '')}`,
      options: { quality: 90, subsampling },
      check: { subsampling, process: 'baseline' },
    })),
    {
      name: 'progressive',
      options: { quality: 85, progressive: true },
      check: { subsampling: '4:2:0', process: 'progressive' },
    },
    {
      name: 'restart',
      options: { quality: 85, restartInterval: 4 },
      check: { subsampling: '4:2:0', process: 'baseline' },
    },
  ];
  return variants.map((v) => ({
    id: `encode/${v.name}`,
    group: 'encode' as const,
    async run(codec: Codec) {
      const input = readPnm(await set.read(source.reference!));
      const jpeg = await codec.encode(input, v.options);
      const header = inspect(jpeg);
      if (header.width !== input.width || header.height !== input.height)
        fail(`encoded size ${header.width}×${header.height}`);
      if (header.subsampling !== v.check.subsampling)
        fail(`encoded subsampling ${header.subsampling}, expected ${v.check.subsampling}`);
      if (header.process !== v.check.process)
        fail(`encoded process ${header.process}, expected ${v.check.process}`);
      if (v.name === 'restart' && header.restartInterval !== 4)
        fail(`restart interval ${header.restartInterval}, expected 4`);
      const gray = v.check.subsampling === 'gray';
      const back = await toHost(await codec.decode(jpeg, { format: gray ? 'gray' : 'rgb' }));
      const expected = gray ? applyOp(input, { op: 'convert', format: 'gray' }) : input;
      const diff = diffImages(back, expected);
      if (diff.psnr < 30) fail(`round trip PSNR ${diff.psnr.toFixed(2)} dB < 30 dB`);
    },
  }));
}

/**
 * The conformance suite every backend runs: decode against `djpeg -dct int` references (exact bytes), pixel
 * ops against core's reference ops (±1), malformed inputs against their error codes, and encode round trips.
 *
 * @example
 * ```ts
 * // in a backend package's test file (vitest)
 * const cases = await conformanceSuite({ exclude: { 'decode/testorig12.jpg': '12-bit: not built in' } });
 * const codec = await createCodec({ backends: ['wasm'], strict: true });
 * for (const c of cases) (c.excluded ? it.skip : it)(c.id, () => c.run(codec));
 * ```
 */
export async function conformanceSuite(options: ConformanceOptions = {}): Promise<ConformanceCase[]> {
  const set = await loadFixtureSet(options.read ?? fixtureReader());
  const all = [
    ...decodeCases(set),
    ...opsCases(set, options.opsTolerance ?? 1),
    ...malformedCases(set),
    ...encodeCases(set),
  ];
  const exclude = options.exclude ?? {};
  return all.map((c) => {
    const reason = exclusionFor(c.id, exclude);
    return reason === undefined ? c : { ...c, excluded: reason };
  });
}

/** Runs the whole suite against a codec and reports every case (for CLIs and benchmarks; tests use `conformanceSuite`). */
export async function runConformance(
  codec: Codec,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const report: ConformanceReport = { passed: [], failed: [], excluded: [] };
  for (const c of await conformanceSuite(options)) {
    if (c.excluded !== undefined) {
      report.excluded.push({ id: c.id, reason: c.excluded });
      continue;
    }
    try {
      await c.run(codec);
      report.passed.push(c.id);
    } catch (e) {
      report.failed.push({ id: c.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}
