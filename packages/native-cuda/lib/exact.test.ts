import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, resolveDecodeOptions } from '@jpegkit/core';
import { loadModule, readCoefficients } from '@jpegkit/wasm';
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

function buildHarness(): string {
  try {
    execFileSync('sh', ['-c', 'command -v nvcc || test -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"'], {
      stdio: 'ignore',
    });
  } catch {
    throw new Error(
      'nvcc not found: the exact-mode host test needs the CUDA toolkit (nvcc on PATH, or CUDA_HOME) to build src/kernels/exact-host-test.cu',
    );
  }
  return execFileSync('bash', [join(pkg, 'scripts/build-host-test.sh'), 'exact'], {
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
