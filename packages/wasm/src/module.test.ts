import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModule, WasmCodecError } from './module.js';
import type { EncodeOptions, JpegkitWasm, WasmPixelFormat } from './module.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const fixture = (p: string) => repo(`fixtures/${p}`);

interface Fact {
  file: string;
  width: number;
  height: number;
  precision: number;
  reference: string | null;
  referenceSha256?: string | null;
  grayReference?: string;
  scaled?: Record<string, string>;
  encodedFrom?: { source: string; command: string };
}
interface Malformed {
  file: string;
  decode: string;
  djpeg: string;
}
interface EncodeCase {
  name: string;
  input: string;
  cjpeg: string;
  options: Partial<EncodeOptions> & { icc?: string };
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const facts: Fact[] = existsSync(fixture('facts.json')) ? readJson<Fact[]>(fixture('facts.json')) : [];
const malformed: Malformed[] = existsSync(fixture('malformed.json'))
  ? readJson<Malformed[]>(fixture('malformed.json'))
  : [];
const encodeCases = readJson<EncodeCase[]>(`${pkgDir}test-data/encode-cases.json`);

/** A binary PNM (P5/P6, maxval 255) as djpeg writes it. */
function readPnm(bytes: Uint8Array): { gray: boolean; width: number; height: number; data: Uint8Array } {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const m = /^(P[56])\s+(\d+)\s+(\d+)\s+255\s/.exec(head);
  if (m === null) throw new Error('not a binary PNM');
  return {
    gray: m[1] === 'P5',
    width: Number(m[2]),
    height: Number(m[3]),
    data: bytes.subarray(m[0].length),
  };
}

const pnmHeader = (gray: boolean, width: number, height: number) =>
  new TextEncoder().encode(`${gray ? 'P5' : 'P6'}\n${width} ${height}\n255\n`);

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** Compares byte arrays without vitest printing megabytes on a mismatch. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const i = actual.findIndex((v, k) => v !== expected[k]);
  expect(i, `${what}: first differing byte`).toBe(-1);
}

function jpegMarkers(jpeg: Uint8Array): { marker: number; payload: Uint8Array }[] {
  const out: { marker: number; payload: Uint8Array }[] = [];
  let p = 2;
  while (p + 4 <= jpeg.length && jpeg[p] === 0xff && jpeg[p + 1] !== 0xda) {
    const len = (jpeg[p + 2]! << 8) | jpeg[p + 3]!;
    out.push({ marker: jpeg[p + 1]!, payload: jpeg.subarray(p + 4, p + 2 + len) });
    p += 2 + len;
  }
  return out;
}

let codec: JpegkitWasm;
beforeAll(async () => {
  codec = await loadModule();
});

describe('build', () => {
  it('the committed wasm matches its build inputs (codec/check-artifact.sh)', () => {
    const out = execFileSync('bash', [`${pkgDir}codec/check-artifact.sh`], { encoding: 'utf8' });
    expect(out).toMatch(/matches its inputs/);
  });

  it('loads from bytes and from a precompiled module', async () => {
    const bytes = readFileSync(`${pkgDir}wasm/jpegkit.wasm`);
    const a = await loadModule({ wasmBinary: bytes });
    const b = await loadModule({ module: await WebAssembly.compile(bytes) });
    expect(a.version).toBe('jpegkit-wasm 1 libjpeg-turbo 2.1.5');
    expect(b.version).toBe(a.version);
    a.dispose();
    b.dispose();
  });
});

describe('decode is byte-identical to djpeg -dct int', () => {
  const withReference = facts.filter((f) => f.reference !== null || typeof f.referenceSha256 === 'string');

  it('has fixtures to check', () => {
    expect(withReference.length).toBeGreaterThan(20);
  });

  it.each(withReference.map((f) => [f.file, f] as const))('%s', (_name, fact) => {
    const jpeg = readFileSync(fixture(fact.file));
    if (fact.reference !== null) {
      const ref = readPnm(readFileSync(fixture(fact.reference)));
      const out = codec.decode(jpeg, { format: ref.gray ? 'gray' : 'rgb' });
      expect([out.width, out.height]).toEqual([ref.width, ref.height]);
      expect(out.partial).toBeUndefined();
      expectSameBytes(out.data, ref.data, fact.file);
    } else {
      const info = codec.decodeInfo(jpeg);
      const gray = info.components === 1;
      const out = codec.decode(jpeg, { format: gray ? 'gray' : 'rgb' });
      expect(sha256(pnmHeader(gray, out.width, out.height), out.data)).toBe(fact.referenceSha256);
    }
    for (const [scale, path] of Object.entries(fact.scaled ?? {})) {
      const ref = readPnm(readFileSync(fixture(path)));
      const [num, den] = scale.split('/').map(Number) as [number, number];
      const out = codec.decode(jpeg, { format: ref.gray ? 'gray' : 'rgb', scale: num / den });
      expect([out.width, out.height], scale).toEqual([ref.width, ref.height]);
      expectSameBytes(out.data, ref.data, `${fact.file} @${scale}`);
    }
    if (fact.grayReference !== undefined) {
      const ref = readPnm(readFileSync(fixture(fact.grayReference)));
      expectSameBytes(codec.decode(jpeg, { format: 'gray' }).data, ref.data, `${fact.file} gray`);
    }
  });

  it('rejects 12-bit data as unsupported (8-bit build, like djpeg)', () => {
    const jpeg = readFileSync(fixture('jpeg/testorig12.jpg'));
    expect(() => codec.decode(jpeg, { format: 'rgb' })).toThrow(
      expect.objectContaining({ code: 'E_UNSUPPORTED', message: 'Unsupported JPEG data precision 12' }),
    );
  });
});

describe('pixel formats, scaling and crops', () => {
  const photo = () => readFileSync(fixture('jpeg/photo-420.jpg'));

  it('every format holds the same pixels as rgb', () => {
    for (const file of [
      'jpeg/photo-420.jpg',
      'jpeg/photo-cmyk.jpg',
      'jpeg/photo-ycck.jpg',
      'jpeg/photo-gray.jpg',
    ]) {
      const jpeg = readFileSync(fixture(file));
      const rgb = codec.decode(jpeg, { format: 'rgb' });
      const n = rgb.width * rgb.height;
      const px = (i: number) => [rgb.data[i * 3]!, rgb.data[i * 3 + 1]!, rgb.data[i * 3 + 2]!] as const;
      const expected: Record<Exclude<WasmPixelFormat, 'rgb' | 'gray'>, (i: number) => number[]> = {
        rgba: (i) => [...px(i), 255],
        bgr: (i) => [...px(i)].reverse(),
        bgra: (i) => [...[...px(i)].reverse(), 255],
        'rgb-planar': (i) => [...px(i)],
        'bgr-planar': (i) => [...px(i)].reverse(),
      };
      for (const [format, want] of Object.entries(expected) as [WasmPixelFormat, (i: number) => number[]][]) {
        const out = codec.decode(jpeg, { format });
        const planar = format.endsWith('-planar');
        let bad = -1;
        for (let i = 0; i < n && bad < 0; i++) {
          const w = want(i);
          const got = planar
            ? w.map((_, c) => out.data[c * n + i]!)
            : [...out.data.subarray(i * w.length, i * w.length + w.length)];
          if (got.some((v, c) => v !== w[c])) bad = i;
        }
        expect(bad, `${file} ${format}: first wrong pixel`).toBe(-1);
      }
    }
  });

  it('honours a padded stride and decodes into a caller buffer', () => {
    const tight = codec.decode(photo(), { format: 'rgb-planar' });
    const stride = tight.width + 13;
    const into = new Uint8Array(stride * tight.height * 3).fill(7);
    const out = codec.decode(photo(), { format: 'rgb-planar', stride, into });
    expect(out.data).toBe(into);
    for (let p = 0; p < 3; p++) {
      for (let y = 0; y < tight.height; y++) {
        const a = out.data.subarray(
          (p * tight.height + y) * stride,
          (p * tight.height + y) * stride + tight.width,
        );
        const b = tight.data.subarray(
          (p * tight.height + y) * tight.width,
          (p * tight.height + y + 1) * tight.width,
        );
        expect(a).toEqual(b);
      }
    }
  });

  it('crops give exactly the pixels of a full decode', () => {
    const files = [
      'photo-420.jpg',
      'photo-422-progressive.jpg',
      'photo-411.jpg',
      'photo-444-arithmetic-progressive.jpg',
    ];
    let seed = 1;
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % k);
    for (const file of files) {
      const jpeg = readFileSync(fixture(`jpeg/${file}`));
      for (const scale of [1, 0.5, 0.375]) {
        const full = codec.decode(jpeg, { format: 'rgb', scale });
        for (let t = 0; t < 12; t++) {
          const x = t % 3 === 0 ? 8 * rnd(Math.floor(full.width / 8)) : rnd(full.width);
          const y = rnd(full.height);
          const width = 1 + rnd(t % 2 ? Math.min(5, full.width - x) : full.width - x);
          const height = 1 + rnd(full.height - y);
          const crop = { x, y, width, height };
          expect(codec.decodeInfo(jpeg, { scale, crop })).toMatchObject({ width, height });
          const out = codec.decode(jpeg, { format: 'rgb', scale, crop });
          for (let row = 0; row < height; row++) {
            const a = out.data.subarray(row * width * 3, (row + 1) * width * 3);
            const start = ((y + row) * full.width + x) * 3;
            expectSameBytes(
              a,
              full.data.subarray(start, start + width * 3),
              `${file} ${scale} ${JSON.stringify(crop)}`,
            );
          }
        }
      }
    }
  });

  it('reports header facts', () => {
    expect(codec.decodeInfo(photo(), { scale: 0.5 })).toEqual({
      width: 80,
      height: 60,
      scaledWidth: 80,
      scaledHeight: 60,
      imageWidth: 160,
      imageHeight: 120,
      components: 3,
      colorSpace: 'ycbcr',
      progressive: false,
      arithmetic: false,
      precision: 8,
      warnings: 0,
    });
    expect(codec.decodeInfo(readFileSync(fixture('jpeg/photo-ycck.jpg'))).colorSpace).toBe('ycck');
  });

  it('rejects bad arguments', () => {
    const bad = (f: () => unknown) =>
      expect(f).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }));
    bad(() => codec.decode(photo(), { format: 'rgb', scale: 0.3 }));
    bad(() => codec.decode(photo(), { format: 'rgb', crop: { x: 150, y: 0, width: 20, height: 10 } }));
    bad(() => codec.decode(photo(), { format: 'rgb', stride: 10 }));
    bad(() => codec.decode(photo(), { format: 'cmyk' as WasmPixelFormat }));
    expect(() => codec.decode(readFileSync(fixture('jpeg/photo-cmyk.jpg')), { format: 'gray' })).toThrow(
      expect.objectContaining({ code: 'E_UNSUPPORTED' }),
    );
  });
});

describe('malformed input', () => {
  it.each(malformed.map((m) => [m.file, m] as const))('%s', (_name, m) => {
    const jpeg = readFileSync(fixture(m.file));
    let code = 'ok';
    try {
      codec.decode(jpeg, { format: 'rgb' });
    } catch (e) {
      expect(e).toBeInstanceOf(WasmCodecError);
      code = (e as WasmCodecError).code;
    }
    expect(code).toBe(m.decode);
    // Where djpeg only warns, partial mode returns the image (what djpeg writes) and the same code.
    if (m.djpeg.startsWith('exit 2') && m.decode !== 'E_TOO_LARGE') {
      const out = codec.decode(jpeg, { format: 'rgb', partial: true });
      expect(out.partial?.code).toBe(m.decode);
      expect(out.partial?.rows).toBe(out.height);
    }
  });

  it('partial output of a truncated file equals its complete prefix', () => {
    const whole = readFileSync(fixture('jpeg/photo-420.jpg'));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    expect(() => codec.decode(cut, { format: 'rgb' })).toThrow(
      expect.objectContaining({ code: 'E_TRUNCATED' }),
    );
    const full = codec.decode(whole, { format: 'rgb' });
    const part = codec.decode(cut, { format: 'rgb', partial: true });
    expect(part.partial).toEqual({ code: 'E_TRUNCATED', message: 'Premature end of JPEG file', rows: 120 });
    expectSameBytes(
      part.data.subarray(0, 160 * 3 * 32),
      full.data.subarray(0, 160 * 3 * 32),
      'first 32 rows',
    );
  });
});

describe('encode is byte-identical to cjpeg', () => {
  const synthetic = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 255);

  it.each(encodeCases.map((c) => [c.cjpeg, c] as const))('%s', (_name, c) => {
    const img = readPnm(readFileSync(repo(c.input)));
    const { icc, ...rest } = c.options;
    const out = codec.encode(img.data, {
      width: img.width,
      height: img.height,
      format: img.gray ? 'gray' : 'rgb',
      ...rest,
      ...(icc !== undefined ? { icc: synthetic(Number(icc.split('-')[1])) } : {}),
    });
    expectSameBytes(out, readFileSync(`${pkgDir}test-data/${c.name}.jpg`), c.name);
  });

  it.each(facts.filter((f) => f.encodedFrom !== undefined).map((f) => [f.file, f] as const))(
    'fixture %s from its encodedFrom command',
    (_name, f) => {
      const img = readPnm(readFileSync(fixture(f.encodedFrom!.source)));
      const arithmetic = f.encodedFrom!.command.includes('-arithmetic');
      const out = codec.encode(img.data, { width: img.width, height: img.height, format: 'rgb', arithmetic });
      expectSameBytes(out, readFileSync(fixture(f.file)), f.file);
    },
  );

  it('every input format encodes like rgb', () => {
    const { width, height, data } = codec.decode(readFileSync(fixture('jpeg/photo-444.jpg')), {
      format: 'rgb',
    });
    const opts = { width, height, quality: 88, subsampling: '4:2:2' } as const;
    const want = codec.encode(data, { ...opts, format: 'rgb' });
    for (const format of ['rgba', 'bgr', 'bgra', 'rgb-planar', 'bgr-planar'] as const) {
      const pixels = codec.decode(readFileSync(fixture('jpeg/photo-444.jpg')), { format }).data;
      expectSameBytes(codec.encode(pixels, { ...opts, format }), want, format);
    }
  });

  it('writes EXIF as APP1 after JFIF and before the ICC profile', () => {
    const { width, height, data } = codec.decode(readFileSync(fixture('jpeg/small-420.jpg')), {
      format: 'rgb',
    });
    const tiff = Uint8Array.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 0]);
    const icc = synthetic(100);
    const jpeg = codec.encode(data, { width, height, format: 'rgb', exif: tiff, icc });
    const markers = jpegMarkers(jpeg).filter((m) => m.marker >= 0xe0 && m.marker <= 0xef);
    expect(markers.map((m) => m.marker)).toEqual([0xe0, 0xe1, 0xe2]);
    expect([...markers[1]!.payload]).toEqual([0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]);
    // An "Exif\0\0" prefix is not doubled.
    const again = codec.encode(data, { width, height, format: 'rgb', exif: markers[1]!.payload });
    expect([...jpegMarkers(again)[1]!.payload]).toEqual([...markers[1]!.payload]);
    expect(codec.decode(jpeg, { format: 'rgb' }).width).toBe(width);
  });

  it('rejects bad arguments', () => {
    const px = new Uint8Array(12);
    const bad = (o: Partial<EncodeOptions>) =>
      expect(() => codec.encode(px, { width: 2, height: 2, format: 'rgb', ...o })).toThrow(
        expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
      );
    bad({ quality: 0 });
    bad({ width: 3 });
    bad({ restartInterval: -1 });
    bad({ subsampling: '3:1:0' as never });
  });
});

describe('memory', () => {
  it('reuses its buffers: repeated calls do not grow the heap', () => {
    const jpeg = readFileSync(fixture('jpeg/photo-420.jpg'));
    const run = () => {
      const img = codec.decode(jpeg, { format: 'rgba', crop: { x: 3, y: 5, width: 100, height: 50 } });
      codec.decode(jpeg, { format: 'rgb' });
      codec.encode(img.data, {
        width: img.width,
        height: img.height,
        format: 'rgba',
        icc: new Uint8Array(500),
      });
      try {
        codec.decode(jpeg.subarray(0, 900), { format: 'rgb' });
      } catch {
        // truncated: the error path must free everything too
      }
    };
    run();
    const before = codec.heapUsed();
    for (let i = 0; i < 20; i++) run();
    expect(codec.heapUsed()).toBe(before);
    codec.releaseScratch();
    expect(codec.heapUsed()).toBeLessThan(before);
  });
});
