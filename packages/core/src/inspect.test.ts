import { describe, expect, it } from 'vitest';
import { JpegError } from './errors.js';
import type { ErrorCode } from './errors.js';
import { inspect, readMarkers } from './inspect.js';
import {
  ENTROPY,
  EOI,
  SOI,
  app0Jfif,
  app14Adobe,
  app1Exif,
  app1Xmp,
  app2Icc,
  ascii,
  com,
  concat,
  dht,
  dqt,
  dri,
  jpeg,
  segment,
  sof,
  sos,
} from './testing/jpeg-builder.js';

/** Runs inspect and returns the JpegError code it throws (failing when it returns or throws something else). */
function errorOf(bytes: Uint8Array): { code: ErrorCode; message: string } {
  try {
    inspect(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(JpegError);
    const err = e as JpegError;
    return { code: err.code, message: err.message };
  }
  throw new Error('inspect returned instead of throwing');
}

function codeOf(bytes: Uint8Array): ErrorCode {
  return errorOf(bytes).code;
}

/** Offset of the first occurrence of `pattern` in `bytes` at or after `from`. */
function find(bytes: Uint8Array, pattern: readonly number[], from = 0): number {
  outer: for (let i = from; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

describe('inspect: a baseline JFIF file', () => {
  const file = concat(
    SOI,
    app0Jfif({ version: [1, 2], units: 2, xDensity: 28, yDensity: 30 }),
    com('hello'),
    dri(4),
    dqt(0),
    dqt(1),
    sof(0xc0, { width: 64, height: 48 }),
    dht(0, 0),
    dht(1, 0),
    sos({ components: [1, 2, 3] }),
    ENTROPY,
    EOI,
    [0x00, 0x11, 0x22], // trailing bytes are not part of the JPEG
  );
  const h = inspect(file);

  it('reports the frame facts', () => {
    expect(h.width).toBe(64);
    expect(h.height).toBe(48);
    expect(h.precision).toBe(8);
    expect(h.components).toEqual([
      { id: 1, h: 2, v: 2, tq: 0 },
      { id: 2, h: 1, v: 1, tq: 1 },
      { id: 3, h: 1, v: 1, tq: 1 },
    ]);
    expect(h.subsampling).toBe('4:2:0');
    expect(h.colorSpace).toBe('YCbCr');
    expect(h.process).toBe('baseline');
    expect(h.progressive).toBe(false);
    expect(h.lossless).toBe(false);
    expect(h.arithmetic).toBe(false);
    expect(h.sofMarker).toBe(0xc0);
    expect(h.mcuWidth).toBe(16);
    expect(h.mcuHeight).toBe(16);
  });

  it('reports metadata, restart interval and the byte length through EOI', () => {
    expect(h.jfif).toEqual({ version: '1.02', densityUnits: 'dpcm', xDensity: 28, yDensity: 30 });
    expect(h.comments).toEqual(['hello']);
    expect(h.restartInterval).toBe(4);
    expect(h.restartIntervals).toEqual([4]);
    expect(h.orientation).toBe(1);
    expect(h.icc).toBeUndefined();
    expect(h.exif).toBeUndefined();
    expect(h.xmp).toBeUndefined();
    expect(h.adobeTransform).toBeUndefined();
    expect(h.truncated).toBe(false);
    expect(h.byteLength).toBe(file.length - 3);
  });

  it('locates the scan data, skipping stuffing and counting restart markers', () => {
    const sosAt = find(file, [0xff, 0xda]);
    const dataStart = sosAt + 2 + 12; // SOS length for 3 components is 12
    expect(h.scans).toEqual([
      {
        components: [1, 2, 3],
        ss: 0,
        se: 63,
        ah: 0,
        al: 0,
        markerOffset: sosAt,
        dataStart,
        dataEnd: dataStart + ENTROPY.length,
        restartMarkers: 2,
      },
    ]);
    expect(file[dataStart + ENTROPY.length]).toBe(0xff);
    expect(file[dataStart + ENTROPY.length + 1]).toBe(0xd9);
  });
});

describe('inspect: marker walking', () => {
  it('skips fill bytes before markers, also the one that ends a scan', () => {
    const file = concat(
      SOI,
      [0xff, 0xff],
      dqt(0),
      sof(0xc0, { components: [[1, 1, 1, 0]] }),
      [0xff],
      dht(0, 0),
      sos({ components: [1] }),
      ENTROPY,
      [0xff, 0xff, 0xff],
      EOI,
    );
    const h = inspect(file);
    const scan = h.scans[0]!;
    expect(scan.dataEnd).toBe(scan.dataStart + ENTROPY.length);
    expect(h.byteLength).toBe(file.length);
    expect(h.truncated).toBe(false);
  });

  it('counts restart markers preceded by fill bytes and reads 0xFF 0xFF 0x00 as stuffing', () => {
    const data = [0x01, 0xff, 0xff, 0xd3, 0x02, 0xff, 0xff, 0x00, 0x03, 0xff, 0xd7];
    const file = concat(
      SOI,
      dqt(0),
      sof(0xc0, { components: [[1, 1, 1, 0]] }),
      dht(),
      sos({ components: [1] }),
      data,
      EOI,
    );
    const scan = inspect(file).scans[0]!;
    expect(scan.restartMarkers).toBe(2);
    expect(scan.dataEnd - scan.dataStart).toBe(data.length);
  });

  it('walks every scan of a progressive file, with tables and DRIs between scans', () => {
    const comps: [number, number, number, number][] = [
      [1, 2, 1, 0],
      [2, 1, 1, 1],
      [3, 1, 1, 1],
    ];
    const file = concat(
      SOI,
      dqt(0),
      dqt(1),
      sof(0xc2, { width: 33, height: 17, components: comps }),
      dht(0, 0),
      dht(0, 1),
      sos({ components: [1, 2, 3], ss: 0, se: 0, ah: 0, al: 1 }),
      ENTROPY,
      dht(1, 0),
      dri(2),
      sos({ components: [1], ss: 1, se: 5, ah: 0, al: 2 }),
      ENTROPY,
      dri(0),
      dri(2),
      sos({ components: [2], ss: 1, se: 63, ah: 0, al: 1 }),
      [0x00],
      sos({ components: [1], ss: 1, se: 63, ah: 2, al: 1 }),
      EOI,
    );
    const h = inspect(file);
    expect(h.process).toBe('progressive');
    expect(h.progressive).toBe(true);
    expect(h.subsampling).toBe('4:2:2');
    expect(h.mcuWidth).toBe(16);
    expect(h.mcuHeight).toBe(8);
    // No DRI before the first scan; later DRIs are listed once each, in order.
    expect(h.restartInterval).toBe(0);
    expect(h.restartIntervals).toEqual([2, 0]);
    expect(h.scans.map((s) => [s.components, s.ss, s.se, s.ah, s.al, s.restartMarkers])).toEqual([
      [[1, 2, 3], 0, 0, 0, 1, 2],
      [[1], 1, 5, 0, 2, 2],
      [[2], 1, 63, 0, 1, 0],
      [[1], 1, 63, 2, 1, 0],
    ]);
    const last = h.scans[3]!;
    expect(last.dataStart).toBe(last.dataEnd); // an empty scan ends right at EOI
    expect(last.dataEnd).toBe(file.length - 2);
    for (const s of h.scans) expect(file[s.markerOffset + 1]).toBe(0xda);
  });

  it('uses the DRI in force at the first scan', () => {
    const h = inspect(jpeg({ head: [dri(8), dri(16)] }));
    expect(h.restartInterval).toBe(16);
    expect(h.restartIntervals).toEqual([8, 16]);
  });

  it('skips stray bytes and 0xFF00 between segments as libjpeg does', () => {
    const file = jpeg({ head: [[0x00, 0x12, 0xff, 0x00, 0x34], com('x')] });
    expect(inspect(file).comments).toEqual(['x']);
  });

  it('ignores stray RST and TEM markers outside scans and unknown APPn / JPGn segments', () => {
    const file = jpeg({ head: [[0xff, 0xd0, 0xff, 0x01], segment(0xe7, [1, 2, 3]), segment(0xf3, [9])] });
    expect(inspect(file).width).toBe(64);
  });

  it('lists markers with their offsets through readMarkers', () => {
    const file = jpeg({ components: [[1, 1, 1, 0]], head: [com('ab')] });
    const markers = [...readMarkers(file)];
    expect(markers.map((m) => m.code)).toEqual([0xd8, 0xfe, 0xdb, 0xdb, 0xc0, 0xc4, 0xc4, 0xda, 0xd9]);
    expect(markers[1]).toEqual({ code: 0xfe, offset: 2, start: 6, end: 8 });
    const scan = markers[7]!.scan!;
    expect(scan).toEqual({
      dataStart: markers[7]!.end,
      dataEnd: markers[8]!.offset,
      restartMarkers: 2,
      complete: true,
    });
  });

  it('scans a multi-megabyte entropy segment quickly', () => {
    // 8 MiB of pseudo-random data with every 0xFF stuffed, so the scanner meets an 0xFF about every 256 bytes.
    const size = 8 << 20;
    const data = new Uint8Array(size + (size >> 7));
    let x = 12345;
    let n = 0;
    let restarts = 0;
    for (let i = 0; i < size; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const b = x >>> 24;
      data[n++] = b;
      if (b === 0xff) {
        data[n++] = 0;
      } else if (i % 100_000 === 99_999) {
        data[n++] = 0xff;
        data[n++] = 0xd0 + (restarts++ % 8);
      }
    }
    const file = concat(
      SOI,
      dqt(0),
      sof(0xc0, { components: [[1, 1, 1, 0]] }),
      dht(),
      sos({ components: [1] }),
      data.subarray(0, n),
      EOI,
    );
    inspect(file); // warm-up
    const t0 = performance.now();
    const h = inspect(file);
    const ms = performance.now() - t0;
    expect(h.scans[0]!.dataEnd).toBe(file.length - 2);
    expect(h.scans[0]!.restartMarkers).toBe(restarts);
    expect(ms).toBeLessThan(100);
  });
});

describe('inspect: sampling, colour space and process', () => {
  type C = [number, number, number, number];
  /** Components from "HxV HxV …" (ids 1, 2, …, table 0). */
  const layout = (factors: string): C[] =>
    factors.split(' ').map((f, i) => {
      const [h, v] = f.split('x').map(Number);
      return [i + 1, h!, v!, 0];
    });
  const sampling: [string, string][] = [
    ['2x2', 'gray'],
    ['1x1 1x1 1x1', '4:4:4'],
    ['2x2 2x2 2x2', '4:4:4'],
    ['2x1 1x1 1x1', '4:2:2'],
    ['2x2 1x1 1x1', '4:2:0'],
    ['1x2 1x1 1x1', '4:4:0'],
    ['4x1 1x1 1x1', '4:1:1'],
    ['4x2 2x1 2x1', '4:2:0'], // the same ratio as 2x2 1x1 1x1
    ['3x1 1x1 1x1', 'other'],
    ['2x2 1x1 2x1', 'other'], // chroma factors differ
    ['1x1 2x2 2x2', 'other'], // chroma larger than luma
    ['1x1 1x1 1x1 1x1', '4:4:4'],
    ['2x2 1x1 1x1 1x1', '4:2:0'],
    ['2x2 1x1 1x1 2x2', '4:2:0'], // YCCK with a full-size K, libjpeg's default layout
    ['2x1 1x1 1x1 2x1', '4:2:2'],
    ['2x2 1x1 1x1 2x1', 'other'], // K matches neither Y nor the chroma
    ['2x1 1x1', '4:2:2'],
  ];
  it.each(sampling)('labels %s as %s', (factors, label) => {
    expect(inspect(jpeg({ components: layout(factors) })).subsampling).toBe(label);
  });

  const rgbIds: C[] = [
    [82, 1, 1, 0],
    [71, 1, 1, 0],
    [66, 1, 1, 0],
  ];
  const ycc: C[] = [
    [1, 1, 1, 0],
    [2, 1, 1, 0],
    [3, 1, 1, 0],
  ];
  const cmyk: C[] = [...ycc, [4, 1, 1, 0]];
  const spaces: [string, C[], Uint8Array[], string][] = [
    ['gray', [[1, 1, 1, 0]], [], 'gray'],
    ['3 components, no markers', ycc, [], 'YCbCr'],
    ["ids 'R','G','B'", rgbIds, [], 'RGB'],
    ["ids 'R','G','B' with JFIF", rgbIds, [app0Jfif()], 'YCbCr'],
    ['Adobe transform 0', ycc, [app14Adobe(0)], 'RGB'],
    ['Adobe transform 1', rgbIds, [app14Adobe(1)], 'YCbCr'],
    ['JFIF wins over Adobe 0', ycc, [app0Jfif(), app14Adobe(0)], 'YCbCr'],
    ['4 components, no markers', cmyk, [], 'CMYK'],
    ['4 components, Adobe 0', cmyk, [app14Adobe(0)], 'CMYK'],
    ['4 components, Adobe 2', cmyk, [app14Adobe(2)], 'YCCK'],
    ['4 components, Adobe 1 (libjpeg assumes YCCK)', cmyk, [app14Adobe(1)], 'YCCK'],
    [
      '2 components',
      [
        [1, 1, 1, 0],
        [2, 1, 1, 0],
      ],
      [],
      'unknown',
    ],
  ];
  it.each(spaces)('colour space for %s', (_name, components, head, space) => {
    const h = inspect(jpeg({ components, head }));
    expect(h.colorSpace).toBe(space);
  });

  it('reports the Adobe transform', () => {
    expect(inspect(jpeg({ head: [app14Adobe(2)] })).adobeTransform).toBe(2);
  });

  const processes: [number, string, boolean][] = [
    [0xc0, 'baseline', false],
    [0xc1, 'extended', false],
    [0xc2, 'progressive', false],
    [0xc3, 'lossless', false],
    [0xc5, 'extended', false],
    [0xc6, 'progressive', false],
    [0xc7, 'lossless', false],
    [0xc9, 'extended', true],
    [0xca, 'progressive', true],
    [0xcb, 'lossless', true],
    [0xcd, 'extended', true],
    [0xce, 'progressive', true],
    [0xcf, 'lossless', true],
  ];
  it.each(processes)('SOF %i is %s (arithmetic: %s)', (code, process, arithmetic) => {
    const h = inspect(jpeg({ sofCode: code }));
    expect(h.process).toBe(process);
    expect(h.arithmetic).toBe(arithmetic);
    expect(h.sofMarker).toBe(code);
    expect(h.progressive).toBe(process === 'progressive');
    expect(h.lossless).toBe(process === 'lossless');
  });

  it('reports lossless precision and a one-sample data unit', () => {
    const h = inspect(jpeg({ sofCode: 0xc3, precision: 16, components: [[1, 1, 1, 0]] }));
    expect(h.precision).toBe(16);
    expect(h.mcuWidth).toBe(1);
    expect(h.mcuHeight).toBe(1);
    expect(inspect(jpeg({ sofCode: 0xc3, precision: 2, components: [[1, 1, 1, 0]] })).precision).toBe(2);
  });

  it('reports 12-bit precision', () => {
    expect(inspect(jpeg({ sofCode: 0xc1, precision: 12 })).precision).toBe(12);
  });

  it('reports a hierarchical file by its DHP size and first frame', () => {
    const comps: C[] = [[1, 1, 1, 0]];
    const file = concat(
      SOI,
      dqt(0),
      dht(),
      segment(0xde, [8, 0, 64, 0, 80, 1, 1, 0x11, 0]), // DHP: 80×64, one component
      sof(0xc1, { width: 40, height: 32, components: comps }),
      sos({ components: [1] }),
      ENTROPY,
      segment(0xdf, [0x11]), // EXP: expand both ways
      sof(0xc5, { width: 80, height: 64, components: comps }),
      sos({ components: [1] }),
      ENTROPY,
      EOI,
    );
    const h = inspect(file);
    expect([h.width, h.height, h.process, h.sofMarker, h.scans.length]).toEqual([
      80,
      64,
      'extended',
      0xc1,
      2,
    ]);
  });
});

describe('inspect: EXIF orientation', () => {
  const orders = ['II', 'MM'] as const;
  for (const order of orders) {
    for (let o = 1; o <= 8; o++) {
      it(`reads orientation ${o} in ${order} byte order`, () => {
        const app1 = app1Exif(order, o);
        const h = inspect(jpeg({ head: [app0Jfif(), app1] }));
        expect(h.orientation).toBe(o);
        expect(h.exif).toEqual(app1.subarray(4 + 6));
        expect(String.fromCharCode(h.exif![0]!, h.exif![1]!)).toBe(order);
      });
    }
    it(`maps invalid orientations to 1 (${order})`, () => {
      for (const bad of [0, 9, 0xffff]) {
        expect(inspect(jpeg({ head: [app1Exif(order, bad)] })).orientation).toBe(1);
      }
      expect(inspect(jpeg({ head: [app1Exif(order)] })).orientation).toBe(1);
    });
  }

  it('survives a malformed TIFF structure (IFD offset past the end, entries cut off)', () => {
    const bad1 = segment(0xe1, [...ascii('Exif\0\0'), ...ascii('II'), 42, 0, 0xff, 0xff, 0, 0]);
    const bad2 = segment(0xe1, [...ascii('Exif\0\0'), ...ascii('MM'), 0, 42, 0, 0, 0, 8, 0, 9, 1, 0x12]);
    const bad3 = segment(0xe1, [...ascii('Exif\0\0'), 1, 2, 3]);
    for (const app1 of [bad1, bad2, bad3]) {
      const h = inspect(jpeg({ head: [app1] }));
      expect(h.orientation).toBe(1);
      expect(h.exif).toBeDefined();
    }
  });

  it('uses the first EXIF segment', () => {
    expect(inspect(jpeg({ head: [app1Exif('MM', 6), app1Exif('II', 3)] })).orientation).toBe(6);
  });
});

describe('inspect: XMP, ICC and comments', () => {
  it('reads the XMP packet as UTF-8', () => {
    const packet = '<x:xmpmeta xmlns:x="adobe:ns:meta/">é</x:xmpmeta>';
    const h = inspect(jpeg({ head: [app1Exif('II', 3), app1Xmp(packet)] }));
    expect(h.xmp).toBe(packet);
    expect(h.orientation).toBe(3);
  });

  const profile = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
  const parts = [profile.subarray(0, 100), profile.subarray(100, 250), profile.subarray(250)];

  it('reassembles an ICC profile from chunks given out of order', () => {
    const head = [
      app2Icc(3, 3, parts[2]!),
      app2Icc(1, 3, parts[0]!),
      com('between'),
      app2Icc(2, 3, parts[1]!),
    ];
    const h = inspect(jpeg({ head }));
    expect(h.icc).toEqual(profile);
  });

  it('drops a malformed ICC profile (missing, duplicate, out-of-range, inconsistent chunks)', () => {
    const bad: Uint8Array[][] = [
      [app2Icc(1, 3, parts[0]!), app2Icc(3, 3, parts[2]!)],
      [app2Icc(1, 3, parts[0]!), app2Icc(2, 3, parts[1]!), app2Icc(2, 3, parts[1]!)],
      [app2Icc(1, 3, parts[0]!), app2Icc(2, 3, parts[1]!), app2Icc(4, 3, parts[2]!)],
      [app2Icc(0, 3, parts[0]!), app2Icc(2, 3, parts[1]!), app2Icc(3, 3, parts[2]!)],
      [app2Icc(1, 3, parts[0]!), app2Icc(2, 4, parts[1]!), app2Icc(3, 3, parts[2]!)],
      [app2Icc(1, 0, parts[0]!)],
    ];
    for (const head of bad) expect(inspect(jpeg({ head })).icc).toBeUndefined();
  });

  it('reads a single-chunk profile and ignores other APP2 data', () => {
    const h = inspect(jpeg({ head: [segment(0xe2, ascii('MPF\0')), app2Icc(1, 1, profile)] }));
    expect(h.icc).toEqual(profile);
  });

  it('decodes comments as latin1, every one in order', () => {
    const h = inspect(
      jpeg({ head: [segment(0xfe, [0x63, 0x61, 0x66, 0xe9, 0x80]), com('')], tail: [com('late')] }),
    );
    expect(h.comments).toEqual(['caf\u00e9\u0080', '', 'late']);
  });

  it('reads JFIF units 0 and 1 and skips a JFIF marker that is too short', () => {
    expect(inspect(jpeg({ head: [app0Jfif({ units: 0, xDensity: 1, yDensity: 1 })] })).jfif).toEqual({
      version: '1.01',
      densityUnits: 'none',
      xDensity: 1,
      yDensity: 1,
    });
    expect(
      inspect(jpeg({ head: [app0Jfif({ units: 1, xDensity: 300, yDensity: 300 })] })).jfif?.densityUnits,
    ).toBe('dpi');
    expect(inspect(jpeg({ head: [segment(0xe0, ascii('JFIF\0\x01'))] })).jfif).toBeUndefined();
  });
});

describe('inspect: DNL and truncation', () => {
  const gray: [number, number, number, number][] = [[1, 1, 1, 0]];

  it('takes the height from DNL when the frame says 0', () => {
    const file = jpeg({ components: gray, height: 0, tail: [segment(0xdc, [0x01, 0x2c])] });
    const h = inspect(file);
    expect(h.height).toBe(300);
    expect(h.scans[0]!.dataEnd).toBe(find(file, [0xff, 0xdc]));
  });

  it('rejects height 0 without DNL (E_CORRUPT) and height 0 cut before the DNL (E_TRUNCATED)', () => {
    const file = jpeg({ components: gray, height: 0 });
    expect(codeOf(file)).toBe('E_CORRUPT');
    expect(codeOf(file.subarray(0, file.length - 4))).toBe('E_TRUNCATED');
  });

  it('reports data cut inside the scan as truncated, not as an error', () => {
    const file = jpeg();
    for (const cut of [2, 5, 8]) {
      const h = inspect(file.subarray(0, file.length - cut));
      expect(h.truncated).toBe(true);
      expect(h.byteLength).toBe(file.length - cut);
      expect(h.scans[0]!.dataEnd).toBe(file.length - cut);
      expect(h.width).toBe(64);
    }
  });

  it('reports a cut inside a later segment as truncated', () => {
    const file = jpeg({
      scans: [
        { components: [1, 2, 3], se: 0 },
        { components: [1], ss: 1 },
      ],
      sofCode: 0xc2,
    });
    const second = find(file, [0xff, 0xda], find(file, [0xff, 0xda]) + 2);
    const h = inspect(file.subarray(0, second + 6));
    expect(h.truncated).toBe(true);
    expect(h.scans).toHaveLength(1);
    expect(h.scans[0]!.dataEnd).toBe(second);
  });

  it('ends the scan at a trailing lone 0xFF as truncated', () => {
    const file = concat(jpeg().subarray(0, -2), [0xff]);
    expect(inspect(file).truncated).toBe(true);
  });

  it('rejects a cut before or inside the first SOS header with E_TRUNCATED', () => {
    const file = jpeg();
    const sosAt = find(file, [0xff, 0xda]);
    for (const cut of [2, 3, 4, 20, 100, sosAt, sosAt + 1, sosAt + 2, sosAt + 3, sosAt + 13]) {
      expect([cut, codeOf(file.subarray(0, cut))]).toEqual([cut, 'E_TRUNCATED']);
    }
    expect(inspect(file.subarray(0, sosAt + 14)).truncated).toBe(true);
  });
});

describe('inspect: errors', () => {
  const gray: [number, number, number, number][] = [[1, 1, 1, 0]];
  /** A stream with `bad` in place of the SOF/tables, for checking one segment. */
  const withTables = (...segments: Uint8Array[]) =>
    concat(SOI, ...segments, sof(0xc0, { components: gray }), sos({ components: [1] }), ENTROPY, EOI);

  const cases: [string, Uint8Array, ErrorCode][] = [
    ['empty input', new Uint8Array(0), 'E_CORRUPT'],
    ['one byte', Uint8Array.of(0xff), 'E_CORRUPT'],
    ['no SOI (PNG signature)', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a), 'E_CORRUPT'],
    ['only SOI', Uint8Array.of(0xff, 0xd8), 'E_TRUNCATED'],
    ['ends inside a segment', concat(SOI, dqt(0).subarray(0, 30)), 'E_TRUNCATED'],
    ['segment length 0', concat(SOI, [0xff, 0xdb, 0, 0], jpeg().subarray(2)), 'E_CORRUPT'],
    ['segment length 1', concat(SOI, [0xff, 0xfe, 0, 1], jpeg().subarray(2)), 'E_CORRUPT'],
    ['SOS before SOF', concat(SOI, dqt(0), sos({ components: [1] }), ENTROPY, EOI), 'E_CORRUPT'],
    [
      'two SOFs',
      concat(
        SOI,
        sof(0xc0, { components: gray }),
        sof(0xc2, { components: gray }),
        sos({ components: [1] }),
        EOI,
      ),
      'E_CORRUPT',
    ],
    ['width 0', jpeg({ width: 0 }), 'E_CORRUPT'],
    [
      '0 components',
      concat(SOI, segment(0xc0, [8, 0, 8, 0, 8, 0]), sos({ components: [1] }), EOI),
      'E_CORRUPT',
    ],
    [
      '5 components',
      jpeg({ components: [1, 2, 3, 4, 5].map((id) => [id, 1, 1, 0] as [number, number, number, number]) }),
      'E_UNSUPPORTED',
    ],
    [
      '11 components',
      jpeg({
        components: Array.from(
          { length: 11 },
          (_, i) => [i + 1, 1, 1, 0] as [number, number, number, number],
        ),
      }),
      'E_CORRUPT',
    ],
    [
      'SOF length mismatch',
      concat(SOI, segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0, 0]), sos({ components: [1] }), EOI),
      'E_CORRUPT',
    ],
    ['SOF too short', concat(SOI, segment(0xc0, [8, 0, 8]), sos({ components: [1] }), EOI), 'E_CORRUPT'],
    ['sampling factor 0', jpeg({ components: [[1, 0, 1, 0]] }), 'E_CORRUPT'],
    ['sampling factor 5', jpeg({ components: [[1, 1, 5, 0]] }), 'E_CORRUPT'],
    ['tq 4', jpeg({ components: [[1, 1, 1, 4]] }), 'E_CORRUPT'],
    ['precision 10 in a DCT process', jpeg({ precision: 10 }), 'E_CORRUPT'],
    ['precision 16 in a DCT process', jpeg({ sofCode: 0xc2, precision: 16 }), 'E_CORRUPT'],
    ['precision 1 in a lossless process', jpeg({ sofCode: 0xc3, precision: 1 }), 'E_CORRUPT'],
    ['precision 17 in a lossless process', jpeg({ sofCode: 0xc7, precision: 17 }), 'E_CORRUPT'],
    ['SOS component not in frame', jpeg({ scans: [{ components: [1, 2, 9] }] }), 'E_CORRUPT'],
    ['SOS component listed twice', jpeg({ scans: [{ components: [1, 1, 2] }] }), 'E_CORRUPT'],
    ['SOS with 0 components', jpeg({ scans: [{ components: [] }] }), 'E_CORRUPT'],
    [
      'SOS with 5 components',
      jpeg({
        components: [1, 2, 3, 4].map((id) => [id, 1, 1, 0] as [number, number, number, number]),
        scans: [{ components: [1, 2, 3, 4, 1] }],
      }),
      'E_CORRUPT',
    ],
    [
      'SOS with more components than the frame',
      jpeg({ components: gray, scans: [{ components: [1, 1] }] }),
      'E_CORRUPT',
    ],
    [
      'SOS length mismatch',
      concat(SOI, sof(0xc0, { components: gray }), segment(0xda, [1, 1, 0, 0, 63, 0, 0]), EOI),
      'E_CORRUPT',
    ],
    [
      'SOS table id 4',
      concat(SOI, sof(0xc0, { components: gray }), segment(0xda, [1, 1, 0x40, 0, 63, 0]), EOI),
      'E_CORRUPT',
    ],
    ['DQT table id 4', withTables(segment(0xdb, [0x04, ...new Array<number>(64).fill(1)])), 'E_CORRUPT'],
    ['DQT precision 2', withTables(segment(0xdb, [0x20, ...new Array<number>(192).fill(1)])), 'E_CORRUPT'],
    [
      'DQT length short of a table',
      withTables(segment(0xdb, [0x00, ...new Array<number>(63).fill(1)])),
      'E_CORRUPT',
    ],
    [
      'DQT 16-bit table in 64 bytes',
      withTables(segment(0xdb, [0x10, ...new Array<number>(64).fill(1)])),
      'E_CORRUPT',
    ],
    [
      'DQT with a trailing byte',
      withTables(segment(0xdb, [0x00, ...new Array<number>(65).fill(1)])),
      'E_CORRUPT',
    ],
    ['DHT class 2', withTables(dht(2, 0)), 'E_CORRUPT'],
    ['DHT id 4', withTables(dht(0, 4)), 'E_CORRUPT'],
    [
      'DHT counts sum over 256',
      withTables(dht(1, 0, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 255])),
      'E_CORRUPT',
    ],
    [
      'DHT fewer symbols than counted',
      withTables(segment(0xc4, [0x00, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2])),
      'E_CORRUPT',
    ],
    ['DHT counts cut off', withTables(segment(0xc4, [0x00, 0, 1, 5])), 'E_CORRUPT'],
    [
      'DHT overflowing code lengths',
      withTables(dht(0, 0, [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
      'E_CORRUPT',
    ],
    [
      'DHT complete code (all-ones code word used)',
      withTables(dht(0, 0, [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
      'E_CORRUPT',
    ],
    ['DAC class 2', withTables(segment(0xcc, [0x20, 0x10])), 'E_CORRUPT'],
    ['DAC odd length', withTables(segment(0xcc, [0x00])), 'E_CORRUPT'],
    ['DAC AC Kx 0', withTables(segment(0xcc, [0x10, 0])), 'E_CORRUPT'],
    ['DAC DC L above U', withTables(segment(0xcc, [0x00, 0x12])), 'E_CORRUPT'],
    ['DRI length 3', withTables(segment(0xdd, [0])), 'E_CORRUPT'],
    ['DNL with 0 lines', jpeg({ components: gray, height: 0, tail: [segment(0xdc, [0, 0])] }), 'E_CORRUPT'],
    ['EXP length 4', withTables(segment(0xdf, [0, 0])), 'E_CORRUPT'],
    ['second SOI', concat(SOI, SOI, jpeg().subarray(2)), 'E_CORRUPT'],
    ['reserved marker ff 02', withTables(segment(0x02, [0])), 'E_CORRUPT'],
    ['JPG marker ff c8', withTables(segment(0xc8, [0])), 'E_UNSUPPORTED'],
    ['JPEG-LS SOF55', concat(SOI, segment(0xf7, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), EOI), 'E_UNSUPPORTED'],
    ['EOI before any SOF', concat(SOI, dqt(0), EOI), 'E_CORRUPT'],
    ['EOI after SOF but before SOS', concat(SOI, sof(0xc0, { components: gray }), EOI), 'E_CORRUPT'],
    ['EOI right after SOI', concat(SOI, EOI), 'E_CORRUPT'],
    [
      'DHP after SOF',
      concat(
        SOI,
        sof(0xc0, { components: gray }),
        segment(0xde, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
        sos({ components: [1] }),
        EOI,
      ),
      'E_CORRUPT',
    ],
  ];
  it.each(cases)('%s → %s', (_name, bytes, code) => {
    const { code: got, message } = errorOf(bytes);
    expect(got).toBe(code);
    expect(message).not.toMatch(/unexpectedly/);
  });

  it('says "not a JPEG" and where things went wrong', () => {
    expect(errorOf(new Uint8Array(0)).message).toMatch(/^not a JPEG: /);
    expect(errorOf(Uint8Array.of(0x47, 0x49, 0x46)).message).toMatch(/^not a JPEG: .*47 49/);
    expect(errorOf(jpeg({ width: 0 })).message).toMatch(/offset \d+/);
    expect(errorOf(concat(SOI, dqt(0).subarray(0, 30))).message).toMatch(/offset/);
  });

  it('accepts a 16-bit DQT in an 8-bit baseline file, as libjpeg does', () => {
    expect(inspect(concat(SOI, dqt(0, 1), jpeg().subarray(2))).width).toBe(64);
  });

  it('enforces maxMarkers with E_TOO_LARGE', () => {
    const file = jpeg({ head: Array.from({ length: 20 }, () => com('x')) });
    expect(inspect(file).comments).toHaveLength(20);
    expect(() => inspect(file, { maxMarkers: 10 })).toThrow(expect.objectContaining({ code: 'E_TOO_LARGE' }));
  });

  it('rejects bad arguments with E_INVALID_ARGUMENT', () => {
    const bad: unknown[][] = [
      [[0xff, 0xd8]],
      ['ff d8'],
      [null],
      [jpeg(), { maxMarkers: 0 }],
      [jpeg(), { maxMarkers: 1.5 }],
      [jpeg(), null],
    ];
    for (const args of bad) {
      expect(() => (inspect as (...a: unknown[]) => unknown)(...args)).toThrow(
        expect.objectContaining({ name: 'JpegError', code: 'E_INVALID_ARGUMENT' }),
      );
    }
  });

  it('accepts a Buffer and a subarray with a byte offset', () => {
    const file = jpeg();
    const padded = concat([1, 2, 3], file);
    expect(inspect(padded.subarray(3)).byteLength).toBe(file.length);
    expect(inspect(Buffer.from(file)).width).toBe(64);
  });
});

describe('inspect: headerOnly', () => {
  it('gives the same facts up to the first scan without walking the data', () => {
    const bytes = jpeg({ width: 33, height: 17, head: [app0Jfif(), app1Exif('MM', 6), dri(4)] });
    const full = inspect(bytes);
    const fast = inspect(bytes, { headerOnly: true });
    const { scans: fullScans, ...fullRest } = full;
    const { scans: fastScans, ...fastRest } = fast;
    expect(fastRest).toEqual(fullRest);
    expect(fastScans).toHaveLength(1);
    expect(fastScans[0]).toEqual({ ...fullScans[0], dataEnd: bytes.length, restartMarkers: 0 });
  });

  it('reports truncation from a missing EOI and lists only the first of several scans', () => {
    const scans = [{ components: [1] }, { components: [2] }, { components: [3] }];
    const bytes = jpeg({ scans });
    expect(inspect(bytes).scans).toHaveLength(3);
    expect(inspect(bytes, { headerOnly: true }).scans).toHaveLength(1);
    const cut = bytes.subarray(0, bytes.length - 2);
    expect(inspect(cut).truncated).toBe(true);
    expect(inspect(cut, { headerOnly: true }).truncated).toBe(true);
    expect(inspect(bytes, { headerOnly: true }).truncated).toBe(false);
  });
});
