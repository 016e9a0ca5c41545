import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, readPnm, resolveEncodeOptions } from '@jpegkit/core';
import { WasmBackend } from '@jpegkit/wasm';

// Our GPU encoder's arithmetic, proven on the CPU: build/encode-host-test runs the kernels' __host__ __device__
// steps (src/kernels/encode-math.cuh: colour, downsampling, islow FDCT, quantisation, dummy blocks, Huffman codes,
// stuffing) block after block, with the markers of src/encode-plan.cc. Its files must be the very bytes of
// libjpeg-turbo 2.1.5's `cjpeg -dct int` (fixtures/encode-refs.json: sha256 of cjpeg's output, made by
// scripts/make-encode-refs.sh). nvcc builds the harness; without it this fails and says so.

const pkg = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

interface EncodeRef {
  source: string;
  quality: number;
  sampling: '4:2:0' | '4:2:2' | '4:4:4' | 'gray';
  bytes: number;
  sha256: string;
}

const refs = JSON.parse(readFileSync(join(fixtures, 'encode-refs.json'), 'utf8')) as EncodeRef[];

describe('our baseline JPEG encoder on the CPU (host harness of the GPU arithmetic)', () => {
  let harness: string;
  let work: string;
  beforeAll(() => {
    harness = execFileSync('bash', [join(pkg, 'scripts/build-host-test.sh'), 'encode'], {
      encoding: 'utf8',
    }).trim();
    work = mkdtempSync(join(tmpdir(), 'jpegkit-encode-'));
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const encode = (ref: EncodeRef, extra: string[] = []): Buffer => {
    const out = join(work, 'out.jpg');
    rmSync(out, { force: true });
    execFileSync(harness, [
      join(fixtures, ref.source),
      out,
      '--quality',
      String(ref.quality),
      '--sampling',
      ref.sampling,
      ...extra,
    ]);
    return readFileSync(out);
  };
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('writes cjpeg -dct int byte for byte: every fixture image, qualities 1–100, 4:2:0 / 4:2:2 / 4:4:4 / gray', () => {
    expect(refs.length).toBeGreaterThan(400);
    const differing: string[] = [];
    for (const ref of refs) {
      const bytes = encode(ref);
      if (bytes.length !== ref.bytes || sha256(bytes) !== ref.sha256) {
        differing.push(
          `${ref.source} q${ref.quality} ${ref.sampling}: ${bytes.length} bytes, cjpeg ${ref.bytes}`,
        );
      }
    }
    console.log(
      `encode host harness: ${refs.length - differing.length} of ${refs.length} files equal cjpeg's`,
    );
    expect(differing).toEqual([]);
  }, 300_000);

  it('reads 4-byte BGRA pixels to the same bytes', () => {
    const some = refs.filter((r) => r.source.endsWith('.ppm') && r.quality === 90).slice(0, 40);
    expect(some.length).toBe(40);
    for (const ref of some) expect(sha256(encode(ref, ['--bgra']))).toBe(ref.sha256);
  }, 120_000);

  it('writes JFIF files whose header core reads back: baseline, or extended with 16-bit tables below quality 25', () => {
    const pick = (quality: number) =>
      refs.find(
        (r) => r.source === 'ref/odd-37x23-411.ppm' && r.sampling === '4:2:2' && r.quality === quality,
      )!;
    for (const [quality, process] of [
      [90, 'baseline'],
      [1, 'extended'],
    ] as const) {
      const header = inspect(new Uint8Array(encode(pick(quality))));
      expect([header.width, header.height, header.process, header.subsampling]).toEqual([
        37,
        23,
        process,
        '4:2:2',
      ]);
    }
    expect(existsSync(join(fixtures, 'ref/odd-37x23-411.ppm'))).toBe(true);
  });

  it('writes the files our wasm backend (libjpeg-turbo) writes with the same options', async () => {
    const wasm = new WasmBackend();
    await wasm.init();
    try {
      const some = refs.filter((r) => r.source.startsWith('ref/odd-') || r.source === 'pnm/testorig.ppm');
      expect(some.length).toBeGreaterThan(100);
      const differing: string[] = [];
      for (const ref of some) {
        const image = readPnm(new Uint8Array(readFileSync(join(fixtures, ref.source))));
        const theirs = await wasm.encode(
          image,
          resolveEncodeOptions({ quality: ref.quality, subsampling: ref.sampling }),
        );
        if (Buffer.compare(Buffer.from(theirs), encode(ref)) !== 0)
          differing.push(`${ref.source} q${ref.quality} ${ref.sampling}`);
      }
      console.log(
        `encode host harness: ${some.length - differing.length} of ${some.length} files equal the wasm backend's`,
      );
      expect(differing).toEqual([]);
    } finally {
      await wasm.dispose();
    }
  }, 120_000);
});
