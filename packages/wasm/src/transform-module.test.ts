import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveTransformOptions } from '@jpegkit/core';
import type { TransformOptions } from '@jpegkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModule, WasmCodecError } from './module.js';
import type { JpegkitWasm } from './module.js';
import { readCoefficients, transformJpeg, writeCoefficients } from './transform-module.js';
import type { DctCoefficients, DctComponent, WriteCoefficientsOptions } from './transform-module.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const fixture = (p: string) => repo(`fixtures/${p}`);
const dataDir = `${pkgDir}test-data/transform/`;
/** JK_WASM=/path/to/jpegkit.wasm tests another build (e.g. a private one) instead of the committed module. */
const wasmPath = process.env.JK_WASM ?? `${pkgDir}wasm/jpegkit.wasm`;

interface TransformCase {
  name: string;
  input: string;
  jpegtran: string;
  options: TransformOptions;
  error?: string;
  jpegtranError?: string;
}
interface Malformed {
  file: string;
  decode: string;
}
interface MalformedJpegtran {
  file: string;
  jpegtran: string;
  jpegtranStrict: string;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const cases = readJson<TransformCase[]>(`${dataDir}cases.json`);
const malformed = readJson<Malformed[]>(fixture('malformed.json'));
const malformedJpegtran = new Map(
  readJson<MalformedJpegtran[]>(`${dataDir}malformed.json`).map((m) => [m.file, m] as const),
);

/** Compares byte arrays without vitest printing kilobytes on a mismatch. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const i = actual.findIndex((v, k) => v !== expected[k]);
  expect(i, `${what}: first differing byte`).toBe(-1);
}

function expectCode(fn: () => unknown, code: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WasmCodecError);
  expect((error as WasmCodecError).code, (error as Error).message).toBe(code);
}

/** Block (row, col) of a component plane. */
const block = (c: DctComponent, row: number, col: number) =>
  c.coefficients.subarray((row * c.blocksPerRow + col) * 64, (row * c.blocksPerRow + col + 1) * 64);

/** The blocks inside the image (the padding blocks of edge MCUs are the encoder's choice). */
function imageBlocks(c: DctComponent): Int16Array {
  const out = new Int16Array(c.widthInBlocks * c.heightInBlocks * 64);
  for (let r = 0; r < c.heightInBlocks; r++) {
    out.set(
      c.coefficients.subarray(r * c.blocksPerRow * 64, (r * c.blocksPerRow + c.widthInBlocks) * 64),
      r * c.widthInBlocks * 64,
    );
  }
  return out;
}

let codec: JpegkitWasm;
beforeAll(async () => {
  codec = await loadModule({ wasmBinary: readFileSync(wasmPath) });
});

describe('transformJpeg is byte-identical to jpegtran (libjpeg-turbo 2.1.5)', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases.map((c) => [`${c.name}: ${c.jpegtran}`, c] as const))('%s', (_name, c) => {
    const input = readFileSync(repo(c.input));
    const options = resolveTransformOptions(c.options);
    if (c.error !== undefined) {
      expectCode(() => transformJpeg(codec, input, options), c.error);
      return;
    }
    const expected = readFileSync(`${dataDir}${c.name}.jpg`);
    expectSameBytes(transformJpeg(codec, input, options), expected, c.name);
  });

  it('rejects crops outside the image', () => {
    const input = readFileSync(fixture('jpeg/photo-420.jpg'));
    const crop = { x: 150, y: 0, width: 20, height: 10 };
    expectCode(() => transformJpeg(codec, input, resolveTransformOptions({ crop })), 'E_INVALID_ARGUMENT');
  });
});

describe('readCoefficients', () => {
  it('reports the frame and the MCU-padded planes', () => {
    const f = readCoefficients(codec, readFileSync(fixture('jpeg/odd-33x21-420.jpg')));
    expect(f).toMatchObject({
      width: 33,
      height: 21,
      colorSpace: 'ycbcr',
      progressive: false,
      maxH: 2,
      maxV: 2,
    });
    expect(
      f.components.map((c) => [
        c.id,
        c.h,
        c.v,
        c.widthInBlocks,
        c.heightInBlocks,
        c.blocksPerRow,
        c.blockRows,
      ]),
    ).toEqual([
      [1, 2, 2, 5, 3, 6, 4],
      [2, 1, 1, 3, 2, 3, 2],
      [3, 1, 1, 3, 2, 3, 2],
    ]);
    for (const c of f.components) expect(c.coefficients.length).toBe(c.blocksPerRow * c.blockRows * 64);
    const p = readCoefficients(codec, readFileSync(fixture('jpeg/photo-420-progressive-restart.jpg')));
    expect(p.progressive).toBe(true);
    expect(p.restartInterval).toBeGreaterThan(0);
    expect(readCoefficients(codec, readFileSync(fixture('jpeg/photo-cmyk.jpg'))).colorSpace).toMatch(
      /cmyk|ycck/,
    );
  });

  // DC × Q[0] / 8 + 128 is the mean of a block's samples (exact for the real IDCT); libjpeg's integer IDCT rounds
  // and clamps, so the decoded mean is within a little of it. Checked on every luma block of two fixtures.
  it.each(['jpeg/photo-gray.jpg', 'jpeg/photo-420.jpg', 'jpeg/photo-444-arithmetic-progressive.jpg'])(
    'DC coefficients agree with the decoded block means: %s',
    (file) => {
      const jpeg = readFileSync(fixture(file));
      const y = readCoefficients(codec, jpeg).components[0]!;
      const gray = codec.decode(jpeg, { format: 'gray' });
      let worst = 0;
      let checked = 0;
      for (let r = 0; r < Math.floor(gray.height / 8); r++) {
        for (let c = 0; c < Math.floor(gray.width / 8); c++) {
          let sum = 0;
          for (let i = 0; i < 8; i++)
            for (let j = 0; j < 8; j++) sum += gray.data[(r * 8 + i) * gray.stride + c * 8 + j]!;
          const predicted = 128 + (block(y, r, c)[0]! * y.quantTable[0]!) / 8;
          worst = Math.max(worst, Math.abs(sum / 64 - predicted));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(200);
      expect(worst).toBeLessThan(1.5);
    },
  );

  // jpegtran's transforms, read back, are the original coefficients moved by the transform's algebra:
  // mirroring columns negates odd horizontal frequencies, transposing swaps u and v.
  it('agrees with jpegtran -flip horizontal and -transpose outputs (block algebra)', () => {
    const orig = readCoefficients(codec, readFileSync(fixture('jpeg/photo-420.jpg')));
    const flipped = readCoefficients(codec, readFileSync(`${dataDir}photo-420-fliph.jpg`));
    const transposed = readCoefficients(codec, readFileSync(`${dataDir}photo-420-transpose.jpg`));
    for (let ci = 0; ci < 3; ci++) {
      const o = orig.components[ci]!;
      const f = flipped.components[ci]!;
      const t = transposed.components[ci]!;
      expect(f.quantTable).toEqual(o.quantTable);
      // 160 px wide = 10 whole MCUs: the flip is perfect. 120 px high: transpose keeps every block.
      for (let r = 0; r < o.heightInBlocks; r++) {
        for (let c = 0; c < o.widthInBlocks; c++) {
          const a = block(o, r, c);
          const b = block(f, r, o.widthInBlocks - 1 - c);
          const tt = block(t, c, r);
          for (let v = 0; v < 8; v++) {
            for (let u = 0; u < 8; u++) {
              expect(b[v * 8 + u]).toBe(u % 2 ? -a[v * 8 + u]! || 0 : a[v * 8 + u]);
              expect(tt[u * 8 + v]).toBe(a[v * 8 + u]);
            }
          }
        }
      }
      // transposing also transposes the quant table
      for (let v = 0; v < 8; v++)
        for (let u = 0; u < 8; u++) expect(t.quantTable[u * 8 + v]).toBe(o.quantTable[v * 8 + u]);
    }
  });

  it('reads the same coefficients from jpegtran -copy none and -progressive re-encodings', () => {
    const orig = readCoefficients(codec, readFileSync(fixture('jpeg/photo-420.jpg')));
    for (const name of ['photo-420-copy-none', 'photo-420-progressive', 'photo-420-optimize']) {
      const other = readCoefficients(codec, readFileSync(`${dataDir}${name}.jpg`));
      expect(other.components.length).toBe(orig.components.length);
      orig.components.forEach((c, ci) => {
        expect(imageBlocks(other.components[ci]!)).toEqual(imageBlocks(c));
      });
    }
  });
});

describe('writeCoefficients round-trips to the same pixels', () => {
  const files = [
    'photo-420.jpg',
    'photo-420-progressive.jpg',
    'photo-422.jpg',
    'photo-422-progressive.jpg',
    'photo-444.jpg',
    'photo-440.jpg',
    'photo-411.jpg',
    'photo-gray.jpg',
    'photo-gray-progressive.jpg',
    'photo-420-restart-3mcu.jpg',
    'photo-420-arithmetic.jpg',
    'photo-420-noninterleaved.jpg',
    'photo-rgb.jpg',
    'photo-cmyk.jpg',
    'photo-ycck.jpg',
    'odd-1x1.jpg',
    'odd-33x21-420.jpg',
    'odd-35x27-422.jpg',
    'odd-37x23-411.jpg',
    'wide-2000x3-420.jpg',
    'testorig.jpg',
  ];
  const variants: WriteCoefficientsOptions[] = [
    {},
    { progressive: true },
    { optimize: false, restartInterval: 2 },
  ];

  it.each(files)('%s', (file) => {
    const jpeg = readFileSync(fixture(`jpeg/${file}`));
    const frame = readCoefficients(codec, jpeg);
    const format = frame.components.length === 1 ? 'gray' : 'rgb';
    const pixels = codec.decode(jpeg, { format }).data;
    for (const options of variants) {
      const what = `${file} ${JSON.stringify(options)}`;
      const written = writeCoefficients(codec, frame, options);
      expectSameBytes(codec.decode(written, { format }).data, pixels, what);
      const back = readCoefficients(codec, written);
      expect(back.progressive, what).toBe(options.progressive === true);
      expect(back.restartInterval, what).toBe(options.restartInterval ?? 0);
      expect(back.colorSpace, what).toBe(frame.colorSpace);
      back.components.forEach((c, ci) => {
        const o = frame.components[ci]!;
        expect([c.id, c.h, c.v, c.blocksPerRow, c.blockRows], what).toEqual([
          o.id,
          o.h,
          o.v,
          o.blocksPerRow,
          o.blockRows,
        ]);
        expect(c.quantTable, what).toEqual(o.quantTable);
        expect(imageBlocks(c), what).toEqual(imageBlocks(o));
      });
    }
  });

  it('writes edited coefficients (a DC shift brightens the image)', () => {
    const frame = readCoefficients(codec, readFileSync(fixture('jpeg/photo-gray.jpg')));
    const y = frame.components[0]!;
    const shift = Math.round(64 / y.quantTable[0]!); // + ~8 levels
    const edited: DctCoefficients = {
      ...frame,
      components: [{ ...y, coefficients: y.coefficients.map((v, i) => (i % 64 === 0 ? v + shift : v)) }],
    };
    const before = codec.decode(writeCoefficients(codec, frame), { format: 'gray' }).data;
    const after = codec.decode(writeCoefficients(codec, edited), { format: 'gray' }).data;
    const mean = (d: Uint8Array) => d.reduce((s, v) => s + v, 0) / d.length;
    expect(mean(after) - mean(before)).toBeGreaterThan(4);
  });

  it('rejects planes that do not fit the frame, and unencodable values', () => {
    const frame = readCoefficients(codec, readFileSync(fixture('jpeg/odd-33x21-420.jpg')));
    const short = { ...frame.components[1]!, coefficients: new Int16Array(64) };
    expectCode(
      () =>
        writeCoefficients(codec, {
          ...frame,
          components: [frame.components[0]!, short, frame.components[2]!],
        }),
      'E_INVALID_ARGUMENT',
    );
    const big = frame.components[0]!.coefficients.slice();
    big[0] = 32000;
    big[64] = -32000;
    expectCode(
      () =>
        writeCoefficients(codec, {
          ...frame,
          components: [{ ...frame.components[0]!, coefficients: big }, ...frame.components.slice(1)],
        }),
      'E_INVALID_ARGUMENT',
    );
    expectCode(() => writeCoefficients(codec, { ...frame, colorSpace: 'gray' }), 'E_INVALID_ARGUMENT');
  });
});

describe('malformed input', () => {
  it('has the jpegtran record for every malformed fixture', () => {
    expect(malformed.length).toBeGreaterThan(15);
    for (const m of malformed) expect(malformedJpegtran.has(m.file), m.file).toBe(true);
  });

  // transformJpeg fails like jpegtran -strict (corrupt-data warnings are errors), with the decoder's codes;
  // malformed.json in test-data/transform records what jpegtran with and without -strict does with each file.
  it.each(malformed.map((m) => [m.file, m] as const))('%s', (_name, m) => {
    const bytes = readFileSync(fixture(m.file));
    const record = malformedJpegtran.get(m.file)!;
    expect(record.jpegtranStrict, 'jpegtran -strict rejects it').toMatch(/^exit 1/);
    expectCode(() => transformJpeg(codec, bytes, resolveTransformOptions({ rotate: 90 })), m.decode);
    expectCode(() => readCoefficients(codec, bytes), m.decode);
  });
});

describe('memory', () => {
  it('does not grow the heap over 200 calls', () => {
    const jpeg = readFileSync(fixture('jpeg/photo-420-progressive.jpg'));
    const bad = readFileSync(fixture('malformed/entropy-bitflip.jpg'));
    const rot = resolveTransformOptions({ rotate: 90, optimize: true, metadata: 'all' });
    const crop = resolveTransformOptions({ crop: { x: 10, y: 10, width: 50, height: 40 }, gray: true });
    const round = () => {
      transformJpeg(codec, jpeg, rot);
      transformJpeg(codec, jpeg, crop);
      writeCoefficients(codec, readCoefficients(codec, jpeg), { progressive: true });
      expect(() => transformJpeg(codec, bad, rot)).toThrow(WasmCodecError);
      expect(() => readCoefficients(codec, bad)).toThrow(WasmCodecError);
    };
    round();
    const before = codec.heapUsed();
    for (let i = 0; i < 200; i++) round();
    expect(codec.heapUsed()).toBe(before);
  });
});
