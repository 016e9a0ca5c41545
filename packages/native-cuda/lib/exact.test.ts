import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inspect,
  readPnm,
  resolveDecodeOptions,
  resolveEncodeOptions,
  resolveTransformOptions,
} from '@jpegkit/core';
import { mutateBytes } from '@jpegkit/core/testing';
import type { ByteMutation } from '@jpegkit/core/testing';
import fc from 'fast-check';
import { WasmBackend, loadModule, readCoefficients } from '@jpegkit/wasm';
import type { DctCoefficients, JpegkitWasm } from '@jpegkit/wasm';
import { exactCanDecode } from './backend.js';

// The exact decode mode's proof of exactness on the CPU: scripts/build-host-test.sh exact compiles
// src/kernels/exact-host-test.cu with nvcc into a host-only program that runs the very __host__ __device__
// functions of the GPU kernels (src/kernels/exact-math.cuh: islow IDCT, fancy upsampling, YCbCr → RGB) on
// coefficients from @jpegkit/wasm's readCoefficients; its output must equal djpeg -dct int's byte for byte on
// every fixture the exact mode accepts. Needs nvcc (this machine and CI have it); no GPU.

const pkg = fileURLToPath(new URL('..', import.meta.url));
const fixturePath = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));

interface Facts {
  file: string;
  reference: string | null;
  grayReference?: string;
  subsampling: string;
  process: string;
}

/** The harness's input: "JKCOEF1\0", the frame, then per component its factors, grid, table, coefficients. */
function dump(frame: DctCoefficients): Buffer {
  const parts: Buffer[] = [Buffer.from('JKCOEF1\0', 'latin1')];
  const head = Int32Array.of(frame.width, frame.height, frame.components.length, frame.maxH, frame.maxV);
  parts.push(Buffer.from(head.buffer));
  for (const c of frame.components) {
    parts.push(Buffer.from(Int32Array.of(c.h, c.v, c.blocksPerRow, c.blockRows).buffer));
    parts.push(Buffer.from(Uint16Array.from(c.quantTable).buffer));
    parts.push(Buffer.from(c.coefficients.buffer, c.coefficients.byteOffset, c.coefficients.byteLength));
  }
  return Buffer.concat(parts);
}

function buildHarness(variant: 'exact' | 'exact-asan' = 'exact'): string {
  try {
    execFileSync('sh', ['-c', 'command -v nvcc || test -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"'], {
      stdio: 'ignore',
    });
  } catch {
    throw new Error(
      'nvcc not found: the exact-mode host test needs the CUDA toolkit (nvcc on PATH, or CUDA_HOME) to build src/kernels/exact-host-test.cu',
    );
  }
  return execFileSync('bash', [join(pkg, 'scripts/build-host-test.sh'), variant], {
    encoding: 'utf8',
  }).trim();
}

describe('exact decode mode on the CPU (host harness of the GPU arithmetic)', () => {
  let harness: string;
  let codec: JpegkitWasm;
  let work: string;

  beforeAll(async () => {
    harness = buildHarness();
    codec = await loadModule();
    work = mkdtempSync(join(tmpdir(), 'jpegkit-exact-'));
  }, 120_000);
  afterAll(() => {
    codec?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('equals djpeg -dct int byte for byte on every fixture the exact mode accepts', () => {
    const facts = JSON.parse(readFileSync(fixturePath('facts.json'), 'utf8')) as Facts[];
    const checked: string[] = [];
    const differing: string[] = [];
    const kinds = new Set<string>();
    for (const f of facts) {
      if (!f.reference) continue;
      const bytes = new Uint8Array(readFileSync(fixturePath(f.file)));
      if (exactCanDecode(inspect(bytes), resolveDecodeOptions()) !== true) continue;
      const input = join(work, 'frame.bin');
      writeFileSync(input, dump(readCoefficients(codec, bytes)));
      const cases: [string, string[]][] = [[f.reference, []]];
      if (f.grayReference) cases.push([f.grayReference, ['--gray']]);
      for (const [reference, args] of cases) {
        const output = join(work, 'out.pnm');
        execFileSync(harness, [input, output, ...args]);
        const got = readFileSync(output);
        const expected = readFileSync(fixturePath(reference));
        checked.push(reference);
        kinds.add(`${f.subsampling} ${f.process}`);
        if (!got.equals(expected)) {
          let bytesOff = 0;
          for (let i = 0; i < Math.min(got.length, expected.length); i++)
            if (got[i] !== expected[i]) bytesOff++;
          differing.push(
            `${f.file} → ${reference}: ${bytesOff} bytes differ (${got.length} vs ${expected.length})`,
          );
        }
      }
    }
    console.log(`exact host harness: ${checked.length} references checked (${[...kinds].sort().join(', ')})`);
    expect(differing).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(44);
    for (const kind of ['4:4:4', '4:2:2', '4:2:0', '4:4:0', '4:1:1', 'gray']) {
      expect([...kinds].some((k) => k.startsWith(kind))).toBe(true);
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'ref/photo-420-progressive-restart.ppm',
        'ref/photo-420-restart-3mcu.ppm',
        'ref/odd-1x1.ppm',
        'ref/odd-37x23-411.ppm',
        'ref/photo-420-arithmetic.ppm',
        'ref/photo-444@gray.pgm',
      ]),
    );
  });

  it('refuses what it cannot make exact', () => {
    const verdict = (file: string) =>
      exactCanDecode(inspect(new Uint8Array(readFileSync(fixturePath(file)))));
    expect(verdict('jpeg/photo-cmyk.jpg')).toMatch(/CMYK/);
    expect(verdict('jpeg/photo-rgb.jpg')).toMatch(/RGB/);
    expect(verdict('jpeg/testorig12.jpg')).toMatch(/12-bit/);
    expect(verdict('jpeg/photo-420-progressive-restart.jpg')).toBe(true);
    expect(verdict('jpeg/photo-411.jpg')).toBe(true);
  });
});

// Our GPU Huffman decoder (decoder 'kernels') on the CPU: the harness's --jpeg mode reads the scan with
// src/baseline-scan.cc and runs src/kernels/huffman-math.cuh's sync, starts and decode steps chunk by chunk as the
// kernels do, then the exact IDCT and colour; the GPU run (gpu.test.ts) checks the kernels themselves.
describe("our GPU Huffman decoder's arithmetic on the CPU (host harness)", () => {
  let harness: string;
  let asan: string;
  let work: string;
  const wasm = new WasmBackend();

  beforeAll(async () => {
    harness = buildHarness();
    asan = buildHarness('exact-asan');
    work = mkdtempSync(join(tmpdir(), 'jpegkit-huffman-'));
    await wasm.init({ threads: 0 });
  }, 180_000);
  afterAll(async () => {
    await wasm.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const run = (file: string, args: string[] = []): { status: number; stderr: string } => {
    try {
      execFileSync(harness, ['--jpeg', file, join(work, 'out.pnm'), ...args], { stdio: 'pipe' });
      return { status: 0, stderr: '' };
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      return { status: e.status, stderr: e.stderr.toString() };
    }
  };

  it('equals djpeg -dct int on every fixture it takes, in chunks of 1,024 bits, of 2,048 with a short lead-in, and of 512 with pass 0 candidates', () => {
    const facts = JSON.parse(readFileSync(fixturePath('facts.json'), 'utf8')) as Facts[];
    const differing: string[] = [];
    const taken = new Set<string>();
    const refused: string[] = [];
    let checked = 0;
    for (const f of facts) {
      if (!f.reference) continue;
      for (const [reference, gray] of [
        [f.reference, []],
        [f.grayReference, ['--gray']],
      ] as [string | undefined, string[]][]) {
        if (!reference) continue;
        for (const chunks of [
          [],
          ['--chunk-bits', '2048', '--lead-bits', '256'],
          ['--chunk-bits', '512', '--lead-bits', '1024', '--candidates', '8'],
        ]) {
          const { status, stderr } = run(fixturePath(f.file), [...gray, ...chunks]);
          if (status === 4) {
            refused.push(`${f.file}: ${stderr.trim()}`);
            break;
          }
          checked++;
          taken.add(f.file);
          const got = status === 0 ? readFileSync(join(work, 'out.pnm')) : Buffer.alloc(0);
          if (!got.equals(readFileSync(fixturePath(reference))))
            differing.push(`${f.file} → ${reference} ${chunks.join(' ')}: status ${status} ${stderr.trim()}`);
        }
      }
    }
    console.log(`huffman host harness: ${checked} decodes of ${taken.size} fixtures equal djpeg`);
    expect(differing).toEqual([]);
    expect(taken.size).toBeGreaterThanOrEqual(30);
    // What it leaves to nvJPEG or the CPU reader, each with libjpeg's reason to.
    const reasons = [...new Set(refused)].join('\n');
    for (const kind of [/0xc9/, /0xca/, /4 components/, /RGB-coded/, /does not hold every component/])
      expect(reasons).toMatch(kind);
    // Progressive Huffman fixtures are taken (src/progressive-scan.cc: the kernels route's CPU entropy decoder).
    for (const file of ['photo-420-progressive', 'photo-422-progressive', 'photo-gray-progressive'])
      expect(taken).toContain(`jpeg/${file}.jpg`);
    expect(taken).toContain('jpeg/photo-420-progressive-restart.jpg');
  });

  // The kernels route unstuffs scans without restart markers on the GPU (src/kernels/unstuff.h); the harness
  // decodes from what the count and move kernels' pieces make of the raw copy, after checking it equals
  // UnstuffEntropy's bytes.
  it("unstuffs the GPU's way to the host's bytes where a scan has no restart markers", () => {
    const way = (name: string) => {
      const result = spawnSync(harness, ['--jpeg', fixturePath(`jpeg/${name}.jpg`), join(work, 'out.pnm')], {
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      return /unstuffed the GPU's way/.test(result.stderr) ? 'gpu' : 'host';
    };
    for (const name of ['photo-420', 'photo-422', 'photo-444', 'photo-gray', 'odd-37x23-411', 'small-420'])
      expect([name, way(name)]).toEqual([name, 'gpu']);
    for (const name of ['photo-420-restart-3mcu', 'photo-420-restart-rows'])
      expect([name, way(name)]).toEqual([name, 'host']);
  });

  it("unstuffs 20,000 random scans the GPU's way as UnstuffEntropy does, and finds every 0xFF that is not stuffing (ASan + UBSan)", () => {
    const result = spawnSync(asan, ['--unstuff-fuzz', '0x6a6b', '20000'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const match = /(\d+) cases, (\d+) taken, (\d+) of them all stuffing, all equal/.exec(result.stdout);
    expect(match).not.toBeNull();
    const [, cases, taken, clean] = match!.map(Number) as [number, number, number, number];
    console.log(`unstuff fuzz: ${cases} scans, ${taken} ending with EOI, ${clean} of them all stuffing`);
    expect(cases).toBe(20_000);
    expect(clean).toBeGreaterThan(10_000);
    expect(taken - clean).toBeGreaterThan(200);
  });

  it('never crashes on 400 mutated fixtures (ASan + UBSan), and what it decodes equals strict libjpeg', async () => {
    const fixtures = [
      'photo-420.jpg',
      'photo-422.jpg',
      'photo-444.jpg',
      'photo-gray.jpg',
      'odd-37x23-411.jpg',
      'photo-420-restart-3mcu.jpg',
      'photo-420-restart-rows.jpg',
      'small-420.jpg',
      'photo-420-progressive.jpg',
      'photo-422-progressive.jpg',
      'photo-gray-progressive.jpg',
      'photo-420-progressive-restart.jpg',
    ].map((n) => new Uint8Array(readFileSync(fixturePath(`jpeg/${n}`))));
    const mutation: fc.Arbitrary<ByteMutation> = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), length: fc.nat(64) }),
    );
    const seed = Number(process.env.FC_SEED ?? 0x4a5e);
    const inputs = fc.sample(
      fc.tuple(fc.nat(fixtures.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 })),
      { numRuns: 400, seed },
    );
    const files = inputs.map(([index, ms], i) => {
      const file = join(work, `m${i}.jpg`);
      writeFileSync(file, mutateBytes(fixtures[index]!, ms));
      return file;
    });
    // One process for all of them: a sanitizer report or a crash fails the run.
    const lines = execFileSync(asan, ['--jpeg-many', work, ...files], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 24,
    })
      .trim()
      .split('\n');
    expect(lines.length).toBe(files.length);
    const counts = { decoded: 0, refused: 0, flagged: 0 };
    const disagreements: string[] = [];
    for (const line of lines) {
      const [index, status] = line.split(' ').map(Number) as [number, number];
      expect([0, 4, 5]).toContain(status);
      if (status === 4) counts.refused++;
      if (status === 5) counts.flagged++;
      if (status !== 0) continue;
      counts.decoded++;
      const bytes = new Uint8Array(readFileSync(files[index]!));
      const ours = readPnm(new Uint8Array(readFileSync(join(work, `${index}.pnm`))));
      // What our decoder takes without a flag, libjpeg reads without a warning, to the same pixels.
      let theirs;
      try {
        theirs = await wasm.decode(bytes, inspect(bytes), resolveDecodeOptions({ format: ours.format }));
      } catch (error) {
        disagreements.push(`input ${index}: ours decodes, libjpeg says ${(error as Error).message}`);
        continue;
      }
      if (
        !Buffer.from(theirs.data.buffer, theirs.data.byteOffset, theirs.data.byteLength).equals(
          Buffer.from(ours.data),
        )
      )
        disagreements.push(`input ${index}: pixels differ`);
    }
    console.log(`huffman host harness fuzz: ${JSON.stringify(counts)}`);
    expect(disagreements).toEqual([]);
    expect(counts.decoded).toBeGreaterThan(20);
    expect(counts.refused + counts.flagged).toBeGreaterThan(50);
  }, 180_000);

  // Progressive JPEGs through the kernels route's CPU entropy decoder (src/progressive-scan.cc, in the harness as in
  // the addon): its coefficients must equal libjpeg-turbo's (@jpegkit/wasm's readCoefficients) value for value, and
  // the pixels the exact arithmetic makes of them libjpeg's, on files libjpeg-turbo itself writes — jpegtran
  // -progressive of every baseline fixture (with and without restart markers) and cjpeg -progressive of the
  // references in every subsampling and several qualities.
  describe("progressive JPEGs on the kernels route's CPU decoder", () => {
    /** The harness on bytes (written to a file first). */
    const runBytes = (bytes: Uint8Array, args: string[]) => {
      const file = join(work, 'in.jpg');
      writeFileSync(file, bytes);
      return run(file, args);
    };

    /** Files libjpeg-turbo (wasm) writes progressive, named by how. */
    async function progressiveFiles(): Promise<[string, Uint8Array][]> {
      const facts = JSON.parse(readFileSync(fixturePath('facts.json'), 'utf8')) as (Facts & {
        arithmetic: boolean;
        colorSpace: string;
        precision: number;
      })[];
      const files: [string, Uint8Array][] = [];
      for (const f of facts) {
        if (f.process !== 'baseline' || f.arithmetic || f.precision !== 8) continue;
        if (f.colorSpace !== 'YCbCr' && f.colorSpace !== 'gray') continue;
        const bytes = new Uint8Array(readFileSync(fixturePath(f.file)));
        for (const restartInterval of [0, 3]) {
          const out = await wasm.transform(
            bytes,
            inspect(bytes),
            resolveTransformOptions({ progressive: true, restartInterval }),
          );
          files.push([`jpegtran -progressive -restart ${restartInterval} ${f.file}`, out]);
        }
      }
      const sources = [
        'ref/photo-420.ppm',
        'ref/odd-35x27-422.ppm',
        'ref/odd-17x9-444.ppm',
        'ref/testorig.ppm',
      ];
      const subsamplings = ['4:2:0', '4:2:2', '4:4:4', '4:4:0', '4:1:1', 'gray'] as const;
      for (const [i, source] of sources.entries()) {
        const image = readPnm(new Uint8Array(readFileSync(fixturePath(source))));
        for (const [j, subsampling] of subsamplings.entries()) {
          const quality = [50, 90, 100][(i + j) % 3]!;
          const restartInterval = (i + j) % 4 === 1 ? 2 : 0;
          const out = await wasm.encode(
            image,
            resolveEncodeOptions({ quality, subsampling, progressive: true, restartInterval }),
          );
          files.push([
            `cjpeg -progressive -quality ${quality} ${subsampling} -restart ${restartInterval} ${source}`,
            out,
          ]);
        }
      }
      return files;
    }

    it("equals libjpeg-turbo's coefficients and pixels on files it writes, on one, four and ten threads", async () => {
      const files = await progressiveFiles();
      const differing: string[] = [];
      let checked = 0;
      for (const [k, [name, bytes]] of files.entries()) {
        const threads = String([1, 4, 10][k % 3]);
        const dumpFile = join(work, 'coefficients.bin');
        const { status, stderr } = runBytes(bytes, ['--threads', threads, '--coefficients', dumpFile]);
        if (status !== 0) {
          differing.push(`${name}: status ${status} ${stderr.trim()}`);
          continue;
        }
        checked++;
        const ours = readDump(readFileSync(dumpFile));
        const theirs = await wasm.readCoefficients(bytes);
        expect(inspect(bytes).progressive, name).toBe(true);
        if (ours.components.length !== theirs.components.length) differing.push(`${name}: component count`);
        for (const [c, mine] of ours.components.entries()) {
          const their = theirs.components[c]!;
          const same =
            mine.blocksPerRow === their.blocksPerRow &&
            mine.blockRows === their.blockRows &&
            Buffer.from(Uint16Array.from(their.quantTable).buffer).equals(
              Buffer.from(mine.quantTable.buffer),
            ) &&
            Buffer.from(
              their.coefficients.buffer,
              their.coefficients.byteOffset,
              their.coefficients.byteLength,
            ).equals(Buffer.from(mine.coefficients.buffer));
          if (!same) differing.push(`${name}: component ${c} coefficients differ`);
        }
        const pixels = readPnm(new Uint8Array(readFileSync(join(work, 'out.pnm'))));
        const decoded = await wasm.decode(
          bytes,
          inspect(bytes),
          resolveDecodeOptions({ format: pixels.format }),
        );
        if (
          !Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength).equals(
            Buffer.from(pixels.data),
          )
        )
          differing.push(`${name}: pixels differ`);
      }
      console.log(
        `progressive host harness: ${checked} of ${files.length} files equal libjpeg-turbo's coefficients and pixels`,
      );
      expect(differing).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(80);
    }, 300_000);

    it('refuses a progression that leaves coefficients unrefined (libjpeg would smooth it) and data cut short', () => {
      const bytes = new Uint8Array(readFileSync(fixturePath('jpeg/photo-420-progressive.jpg')));
      // The file without its last scan: valid for libjpeg, which then smooths the blocks' low frequencies.
      let lastScan = -1;
      for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xda) lastScan = i;
      const early = new Uint8Array([...bytes.subarray(0, lastScan), 0xff, 0xd9]);
      const unrefined = runBytes(early, []);
      expect(unrefined.status).toBe(4);
      expect(unrefined.stderr).toMatch(/unrefined/);
      // Cut inside the last scan's data (EOI after it): libjpeg warns of the premature end, ours flags it.
      const cut = new Uint8Array([...bytes.subarray(0, lastScan + 40), 0xff, 0xd9]);
      const flagged = runBytes(cut, []);
      expect(flagged.status).toBe(5);
      expect(flagged.stderr).toMatch(/ending early/);
    });
  });
});

/** A JKCOEF1 dump read back (the harness's --coefficients). */
function readDump(bytes: Buffer): DctCoefficients {
  const ints = (at: number, n: number) => Array.from({ length: n }, (_, i) => bytes.readInt32LE(at + 4 * i));
  const [width, height, count, maxH, maxV] = ints(8, 5) as [number, number, number, number, number];
  let at = 28;
  const components = Array.from({ length: count }, () => {
    const [h, v, blocksPerRow, blockRows] = ints(at, 4) as [number, number, number, number];
    at += 16;
    const quantTable = new Uint16Array(
      bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + 128),
    );
    at += 128;
    const n = blocksPerRow * blockRows * 64;
    const coefficients = new Int16Array(
      bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + 2 * n),
    );
    at += 2 * n;
    return { h, v, blocksPerRow, blockRows, quantTable, coefficients };
  });
  return { width, height, maxH, maxV, components } as unknown as DctCoefficients;
}
