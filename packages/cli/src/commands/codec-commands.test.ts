import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspect, readPnm } from '@jpegkit/core';
import { main } from '../main.js';
import type { Io } from '../io.js';

// decode / encode / resize through the installed wasm backend, checked against djpeg and cjpeg outputs.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (p: string) => join(root, 'fixtures', p);
const dir = await mkdtemp(join(tmpdir(), 'jpegkit-cli-'));

function capture(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

describe('jpegkit decode', () => {
  it('writes the same PPM as djpeg -dct int', async () => {
    const io = capture();
    const out = join(dir, 'photo-420.ppm');
    expect(await main(['decode', fixture('jpeg/photo-420.jpg'), '-o', out, '--backend', 'wasm'], io)).toBe(0);
    expect(Buffer.compare(await readFile(out), await readFile(fixture('ref/photo-420.ppm')))).toBe(0);
    expect(io.err[0]).toMatch(/160×120 rgb \(wasm\)$/);
  });

  it('writes P5 for --format gray and scales with --scale', async () => {
    const gray = join(dir, 'gray.pgm');
    expect(
      await main(['decode', fixture('jpeg/photo-420.jpg'), '-o', gray, '--format', 'gray'], capture()),
    ).toBe(0);
    expect(Buffer.compare(await readFile(gray), await readFile(fixture('ref/photo-420@gray.pgm')))).toBe(0);
    const half = join(dir, 'half.ppm');
    expect(
      await main(['decode', fixture('jpeg/photo-420.jpg'), '-o', half, '--scale', '1/2'], capture()),
    ).toBe(0);
    expect(Buffer.compare(await readFile(half), await readFile(fixture('ref/photo-420@1-2.ppm')))).toBe(0);
  });

  it('orients with --orient and keeps the stored orientation without it', async () => {
    const raw = join(dir, 'raw.ppm');
    const upright = join(dir, 'upright.ppm');
    expect(await main(['decode', fixture('jpeg/orient-6-ii.jpg'), '-o', raw], capture())).toBe(0);
    expect(
      await main(['decode', fixture('jpeg/orient-6-ii.jpg'), '-o', upright, '--orient'], capture()),
    ).toBe(0);
    const a = readPnm(new Uint8Array(await readFile(raw)));
    const b = readPnm(new Uint8Array(await readFile(upright)));
    expect([a.width, a.height, b.width, b.height]).toEqual([a.width, a.height, a.height, a.width]);
  });

  it('exits 2 with one coded line for a truncated file and a bad option', async () => {
    const io = capture();
    expect(
      await main(['decode', fixture('malformed/truncated-mid-scan.jpg'), '-o', join(dir, 'x.ppm')], io),
    ).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(/^E_TRUNCATED: decode: /);
    const io2 = capture();
    expect(
      await main(['decode', fixture('jpeg/photo-420.jpg'), '-o', join(dir, 'x.ppm'), '--scale', '1/3'], io2),
    ).toBe(2);
    expect(io2.err[0]).toBe(
      'E_INVALID_ARGUMENT: decode: Expected one of 1, 1/1, 1/2, 1/4, 1/8 for --scale but received "1/3"',
    );
  });
});

describe('jpegkit encode', () => {
  it('writes the same bytes as cjpeg with the same settings', async () => {
    const out = join(dir, 'q75.jpg');
    const args = [
      'encode',
      fixture('ref/photo-420.ppm'),
      '-o',
      out,
      '--quality',
      '75',
      '--subsampling',
      '420',
    ];
    expect(await main(args, capture())).toBe(0);
    const expected = join(root, 'packages/wasm/test-data/photo-420-q75-420.jpg');
    expect(Buffer.compare(await readFile(out), await readFile(expected))).toBe(0);
    const prog = join(dir, 'prog.jpg');
    const progArgs = [
      'encode',
      fixture('ref/photo-420.ppm'),
      '-o',
      prog,
      '--quality',
      '90',
      '--subsampling',
      '444',
      '--progressive',
      '--optimize',
    ];
    expect(await main(progArgs, capture())).toBe(0);
    const expectedProg = join(root, 'packages/wasm/test-data/photo-420-q90-444-progressive-optimize.jpg');
    expect(Buffer.compare(await readFile(prog), await readFile(expectedProg))).toBe(0);
    const arith = join(dir, 'arith.jpg');
    const arithArgs = [
      'encode',
      fixture('ref/photo-420.ppm'),
      '-o',
      arith,
      '--quality',
      '50',
      '--subsampling',
      '422',
      '--restart',
      '2',
      '--arithmetic',
    ];
    expect(await main(arithArgs, capture())).toBe(0);
    const expectedArith = join(root, 'packages/wasm/test-data/photo-420-q50-422-restart2-arithmetic.jpg');
    expect(Buffer.compare(await readFile(arith), await readFile(expectedArith))).toBe(0);
  });

  it('rejects a quality out of range in the house style', async () => {
    const io = capture();
    expect(
      await main(['encode', fixture('ref/photo-420.ppm'), '-o', join(dir, 'y.jpg'), '--quality', '101'], io),
    ).toBe(2);
    expect(io.err).toEqual([
      'E_INVALID_ARGUMENT: encode: Expected integer between 1 and 100 for --quality but received "101"',
    ]);
  });
});

describe('jpegkit resize', () => {
  it('resizes a folder of JPEGs and prints a summary with images/s', async () => {
    const input = join(dir, 'in');
    const output = join(dir, 'out');
    await main(['decode', fixture('jpeg/photo-420.jpg'), '-o', join(dir, 'unused.ppm')], capture());
    const { mkdir } = await import('node:fs/promises');
    await mkdir(input);
    for (const name of ['photo-420.jpg', 'photo-444.jpg', 'orient-6-ii.jpg']) {
      await writeFile(join(input, name), await readFile(fixture(`jpeg/${name}`)));
    }
    const io = capture();
    expect(
      await main(
        [
          'resize',
          input,
          '-o',
          output,
          '--width',
          '40',
          '--height',
          '30',
          '--fit',
          'cover',
          '--sharpen',
          '0.95',
        ],
        io,
      ),
    ).toBe(0);
    expect(io.out[0]).toMatch(/^resized 3 of 3 images in \d+\.\d+ s \(\d+\.\d images\/s\) on wasm$/);
    expect((await readdir(output)).sort()).toEqual(['orient-6-ii.jpg', 'photo-420.jpg', 'photo-444.jpg']);
    for (const name of await readdir(output)) {
      const h = inspect(new Uint8Array(await readFile(join(output, name))));
      expect([h.width, h.height], name).toEqual([40, 30]);
    }
  });

  it('counts failures, says why on stderr, and exits 2', async () => {
    const io = capture();
    const args = [
      'resize',
      fixture('jpeg/photo-420.jpg'),
      fixture('malformed/empty.jpg'),
      '-o',
      join(dir, 'mixed'),
      '--width',
      '20',
    ];
    expect(await main(args, io)).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(/^E_CORRUPT: .*empty\.jpg: /);
    expect(io.out[0]).toMatch(/^resized 1 of 2 images .*, 1 failed$/);
  });
});

describe('jpegkit transform', () => {
  const expected = (name: string) => readFile(join(root, `packages/wasm/test-data/transform/${name}.jpg`));
  const cases: [string, string[]][] = [
    ['photo-420-rot90', ['--rotate', '90']],
    ['photo-420-flipv', ['--flip']],
    ['photo-420-fliph', ['--flop']],
    ['photo-420-crop', ['--crop', '64x48+20+10']],
    ['photo-420-progressive', ['--progressive']],
    ['photo-420-restart2', ['--restart', '2']],
    ['photo-420-rot90-all-options', ['--rotate', '90', '--gray', '--optimize', '--restart', '3', '--strip']],
  ];
  for (const [name, flags] of cases) {
    it(`${flags.join(' ')} writes the same bytes as jpegtran (${name})`, async () => {
      const out = join(dir, `${name}.jpg`);
      expect(await main(['transform', fixture('jpeg/photo-420.jpg'), '-o', out, ...flags], capture())).toBe(
        0,
      );
      expect(Buffer.compare(await readFile(out), await expected(name))).toBe(0);
    });
  }

  it('rejects two geometric transforms and a malformed crop', async () => {
    const io = capture();
    expect(
      await main(
        ['transform', fixture('jpeg/photo-420.jpg'), '-o', join(dir, 'z.jpg'), '--rotate', '90', '--flip'],
        io,
      ),
    ).toBe(2);
    expect(io.err[0]).toMatch(
      /^E_INVALID_ARGUMENT: transform: Expected at most one of rotate, flip, transpose, transverse/,
    );
    const io2 = capture();
    expect(
      await main(
        ['transform', fixture('jpeg/photo-420.jpg'), '-o', join(dir, 'z.jpg'), '--crop', '10x10'],
        io2,
      ),
    ).toBe(2);
    expect(io2.err).toEqual([
      'E_INVALID_ARGUMENT: transform: Expected WxH+X+Y for --crop but received "10x10"',
    ]);
  });
});
