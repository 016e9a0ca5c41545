import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FIT_MODES, RESIZE_FILTERS, bytesPerPixel, ops, readPnm } from '@jpegkit/core';
import type { HostImage, OpStep } from '@jpegkit/core';
import { NATIVE_FORMATS, cachedOpsProgram, encodeOpsProgram } from './ops-program.js';

// The CUDA pixel-op kernels' arithmetic, proven on the CPU: build/ops-host-test runs an op program with the same
// runner (src/ops-program.h) and per-pixel functions (src/kernels/ops-math.cuh) as the kernels, in host loops, on
// real fixture pixels; every result must equal core's applyOp within ±1 per channel. The max |Δ| of each op is
// printed. nvcc builds the harness (scripts/build-host-test.sh ops): without it this fails and says so.

const pkg = fileURLToPath(new URL('..', import.meta.url));
const fixture = (p: string) =>
  readPnm(new Uint8Array(readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url))));

const build = spawnSync('bash', [join(pkg, 'scripts/build-host-test.sh'), 'ops'], { encoding: 'utf8' });
const buildError =
  build.status === 0
    ? undefined
    : build.status === 3
      ? `nvcc is missing, so the CUDA ops harness cannot be built: ${build.stderr.trim()}`
      : `scripts/build-host-test.sh ops failed (exit ${build.status}): ${build.stderr.trim()}`;
const harness = join(pkg, 'build/ops-host-test');
const work = mkdtempSync(join(tmpdir(), 'jpegkit-ops-'));

/** Runs `steps` on `img` in the harness. */
function runHarness(img: HostImage, steps: OpStep[]): HostImage {
  const { program, width, height, format } = encodeOpsProgram(steps, img.width, img.height, img.format);
  const paths = { program: join(work, 'p.bin'), input: join(work, 'in.raw'), output: join(work, 'out.raw') };
  writeFileSync(paths.program, new Uint8Array(program.buffer));
  writeFileSync(paths.input, img.data);
  const dims = execFileSync(harness, [
    paths.program,
    paths.input,
    paths.output,
    String(img.width),
    String(img.height),
    String(NATIVE_FORMATS.indexOf(img.format)),
  ])
    .toString()
    .trim();
  expect(dims).toBe(`${width} ${height} ${NATIVE_FORMATS.indexOf(format)}`);
  const data = new Uint8Array(readFileSync(paths.output));
  return {
    width,
    height,
    format,
    stride: width * bytesPerPixel(format),
    data,
    orientation: 1,
  };
}

/** Reference: applyOp step by step. */
function reference(img: HostImage, steps: OpStep[]): HostImage {
  return steps.reduce((acc, step) => ops.applyOp(acc, step), img);
}

function maxDelta(a: HostImage, b: HostImage): number {
  expect([a.width, a.height, a.format]).toEqual([b.width, b.height, b.format]);
  expect(a.data.length).toBe(b.data.length);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
  return max;
}

// The inputs: a colour photo, a grey one, an rgba one with varied and fully transparent alpha, and the photo as
// bgr-planar and bgra (other layouts through the same code).
const photo = fixture('ref/photo-420.ppm');
const gray = fixture('ref/photo-gray.pgm');
const rgba = ops.convertImage(photo, 'rgba');
for (let y = 0; y < rgba.height; y++) {
  for (let x = 0; x < rgba.width; x++) {
    const transparent = x >= 40 && x < 64 && y >= 30 && y < 50;
    rgba.data[(y * rgba.width + x) * 4 + 3] = transparent ? 0 : (x * 5 + y * 3) % 256;
  }
}
const images: Record<string, HostImage> = {
  rgb: photo,
  gray,
  rgba,
  'bgr-planar': ops.convertImage(photo, 'bgr-planar'),
  bgra: ops.convertImage(rgba, 'bgra'),
};

const resize = (
  width: number,
  height: number,
  fit: (typeof FIT_MODES)[number],
  filter: (typeof RESIZE_FILTERS)[number],
  linear: boolean,
): OpStep => ({ op: 'resize', width, height, fit, filter, linear, background: [250, 40, 90, 128] });

const cases: { name: string; op: string; steps: OpStep[] }[] = [];
for (const filter of RESIZE_FILTERS) {
  for (const linear of [false, true]) {
    const tag = `${filter}${linear ? ' linear' : ''}`;
    for (const fit of FIT_MODES)
      cases.push({
        name: `resize 70x70 ${fit} ${tag}`,
        op: `resize ${tag}`,
        steps: [resize(70, 70, fit, filter, linear)],
      });
    cases.push({
      name: `resize 1/2 ${tag}`,
      op: `resize ${tag}`,
      steps: [resize(80, 60, 'fill', filter, linear)],
    });
    cases.push({
      name: `resize enlarge ${tag}`,
      op: `resize ${tag}`,
      steps: [resize(233, 171, 'fill', filter, linear)],
    });
    cases.push({
      name: `resize width 97 ${tag}`,
      op: `resize ${tag}`,
      steps: [resize(97, 0, 'inside', filter, linear)],
    });
    cases.push({
      name: `resize contain 200x90 ${tag}`,
      op: `resize ${tag}`,
      steps: [resize(200, 90, 'contain', filter, linear)],
    });
    cases.push({
      name: `resize identity ${tag}`,
      op: `resize ${tag}`,
      steps: [resize(160, 120, 'fill', filter, linear)],
    });
  }
}
for (const [sigma, amount, threshold] of [
  [0.5, 1, 0],
  [1, 0.8, 2],
  [2.5, 3, 0],
  [10, 1, 10],
] as const) {
  cases.push({
    name: `sharpen σ${sigma} ×${amount} t${threshold}`,
    op: 'sharpen',
    steps: [{ op: 'sharpen', sigma, amount, threshold }],
  });
}
cases.push({ name: 'crop', op: 'crop', steps: [{ op: 'crop', x: 13, y: 7, width: 101, height: 77 }] });
for (const angle of [90, 180, 270] as const)
  cases.push({ name: `rotate ${angle}`, op: 'rotate', steps: [{ op: 'rotate', angle }] });
cases.push({ name: 'flip', op: 'flip', steps: [{ op: 'flip' }] });
cases.push({ name: 'flop', op: 'flop', steps: [{ op: 'flop' }] });
for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
  cases.push({ name: `orient ${orientation}`, op: 'orient', steps: [{ op: 'orient', orientation }] });
}
for (const [brightness, contrast] of [
  [0, 1],
  [0.1, 1.2],
  [-0.3, 0.5],
  [1, 4],
] as const) {
  cases.push({
    name: `adjust ${brightness} ${contrast}`,
    op: 'adjust',
    steps: [{ op: 'adjust', brightness, contrast }],
  });
}
for (const format of NATIVE_FORMATS)
  cases.push({ name: `convert → ${format}`, op: 'convert', steps: [{ op: 'convert', format }] });
cases.push({
  name: 'pipeline: orient 6 → resize 1/2 lanczos3 → sharpen → adjust → crop → convert gray',
  op: 'pipeline',
  steps: [
    { op: 'orient', orientation: 6 },
    resize(60, 0, 'inside', 'lanczos3', false),
    { op: 'sharpen', sigma: 1, amount: 1, threshold: 0 },
    { op: 'adjust', brightness: 0.05, contrast: 1.1 },
    { op: 'crop', x: 3, y: 4, width: 50, height: 60 },
    { op: 'convert', format: 'gray' },
  ],
});

const worst = new Map<string, number>();

describe('CUDA pixel-op kernels on the CPU (ops-host-test) vs core applyOp', () => {
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    if (worst.size > 0) {
      const rows = [...worst].map(([op, max]) => `  ${op.padEnd(28)} max |Δ| ${max}`);
      console.log(`cuda ops vs reference (all inputs):\n${rows.join('\n')}`);
    }
  });

  it('has the harness (nvcc)', () => {
    expect(buildError).toBeUndefined();
  });

  for (const [label, img] of Object.entries(images)) {
    it(`every op on ${label} ${img.width}x${img.height} is within ±1`, () => {
      if (buildError) throw new Error(buildError);
      const failures: string[] = [];
      for (const c of cases) {
        const got = runHarness(img, c.steps);
        const want = reference(img, c.steps);
        const max = maxDelta(got, want);
        worst.set(c.op, Math.max(worst.get(c.op) ?? 0, max));
        if (max > 1) failures.push(`${c.name}: max |Δ| ${max}`);
      }
      expect(failures).toEqual([]);
    });
  }

  // Random windows of the inputs, resized to random sizes with every fit, filter and format, then sometimes
  // sharpened: sizes off the 32-pixel tiles, windows smaller than a tile, enlargements, and reductions large
  // enough that the resize falls back to its two passes (as sharpen does past radius 8).
  const seed = process.env.FC_SEED === undefined ? 0x5eed7117 : Number(process.env.FC_SEED);
  it(`resizes and sharpens random windows as core does (tiled and two-pass kernels; seed ${seed})`, () => {
    if (buildError) throw new Error(buildError);
    let runs = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(images)),
        fc.record({
          x: fc.nat(150),
          y: fc.nat(110),
          width: fc.integer({ min: 1, max: 160 }),
          height: fc.integer({ min: 1, max: 120 }),
        }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom(...FIT_MODES),
        fc.constantFrom(...RESIZE_FILTERS),
        fc.boolean(),
        fc.option(fc.double({ min: 0.5, max: 4, noNaN: true }), { nil: undefined }),
        (label, window, width, height, fit, filter, linear, sigma) => {
          const img = images[label]!;
          const x = Math.min(window.x, img.width - 1);
          const y = Math.min(window.y, img.height - 1);
          const steps: OpStep[] = [
            {
              op: 'crop',
              x,
              y,
              width: Math.min(window.width, img.width - x),
              height: Math.min(window.height, img.height - y),
            },
            resize(width, height, fit, filter, linear),
          ];
          if (sigma !== undefined) steps.push({ op: 'sharpen', sigma, amount: 1.5, threshold: 1 });
          runs++;
          const max = maxDelta(runHarness(img, steps), reference(img, steps));
          worst.set('random resize/sharpen', Math.max(worst.get('random resize/sharpen') ?? 0, max));
          return max <= 1;
        },
      ),
      { numRuns: 80, seed },
    );
    expect(runs).toBeGreaterThanOrEqual(80);
  });

  it('refuses a program made for another image and bad steps', () => {
    if (buildError) throw new Error(buildError);
    const { program } = encodeOpsProgram([{ op: 'flip' }], 10, 10, 'rgb');
    writeFileSync(join(work, 'bad.bin'), new Uint8Array(program.buffer));
    writeFileSync(join(work, 'bad.raw'), new Uint8Array(12 * 10 * 3));
    const run = spawnSync(
      harness,
      [join(work, 'bad.bin'), join(work, 'bad.raw'), join(work, 'o.raw'), '12', '10', '0'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/another image/);
    expect(() =>
      encodeOpsProgram([{ op: 'sharpen', sigma: 0.1, amount: 1, threshold: 0 }], 10, 10, 'rgb'),
    ).toThrow(/sigma/);
    expect(() => encodeOpsProgram([{ op: 'crop', x: 5, y: 0, width: 6, height: 1 }], 10, 10, 'rgb')).toThrow(
      /crop.width/,
    );
  });
});

describe('cachedOpsProgram', () => {
  it('returns the same program for the same steps and shape, a new one otherwise', () => {
    const steps = [
      {
        op: 'resize',
        width: 40,
        height: 30,
        fit: 'fill',
        filter: 'lanczos3',
        linear: false,
        background: [0, 0, 0, 255],
      },
    ] as OpStep[];
    const a = cachedOpsProgram(steps, 200, 100, 'rgb');
    expect(a.program).toEqual(encodeOpsProgram(steps, 200, 100, 'rgb').program);
    expect(cachedOpsProgram(steps, 200, 100, 'rgb')).toBe(a);
    expect(cachedOpsProgram(steps, 201, 100, 'rgb')).not.toBe(a);
    expect(cachedOpsProgram(steps, 200, 100, 'rgba')).not.toBe(a);
    expect(cachedOpsProgram([{ ...steps[0]!, filter: 'mitchell' } as OpStep], 200, 100, 'rgb')).not.toBe(a);
  });

  it('keeps the 64 most recently used', () => {
    const flip = [{ op: 'flip' }] as OpStep[];
    const first = cachedOpsProgram(flip, 1, 1, 'rgb');
    for (let i = 2; i <= 64; i++) cachedOpsProgram(flip, i, 1, 'rgb');
    expect(cachedOpsProgram(flip, 1, 1, 'rgb')).toBe(first); // used again: now the newest
    for (let i = 100; i < 164; i++) cachedOpsProgram(flip, i, 1, 'rgb');
    expect(cachedOpsProgram(flip, 1, 1, 'rgb')).not.toBe(first);
  });
});
