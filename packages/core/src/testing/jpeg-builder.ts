// A tiny builder of synthetic JPEG marker streams for tests: structurally valid segments (written from T.81,
// JFIF, EXIF/TIFF and ICC.1 Annex B) with placeholder entropy-coded data. The streams are for inspect() and
// other marker-level code; they do not decode to meaningful pixels.

/** Bytes, or anything array-like of byte values. */
export type Bytes = ArrayLike<number>;

export const SOI: readonly number[] = [0xff, 0xd8];
export const EOI: readonly number[] = [0xff, 0xd9];

/** Concatenates byte sequences. */
export function concat(...parts: Bytes[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** A marker segment: 0xFF, the code, a big-endian length that counts itself, then the payload. */
export function segment(code: number, payload: Bytes): Uint8Array {
  const length = payload.length + 2;
  return concat([0xff, code, length >> 8, length & 0xff], payload);
}

export function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

function be16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

export interface JfifOptions {
  version?: [number, number];
  units?: number;
  xDensity?: number;
  yDensity?: number;
}

export function app0Jfif(o: JfifOptions = {}): Uint8Array {
  const [major, minor] = o.version ?? [1, 1];
  return segment(0xe0, [
    ...ascii('JFIF\0'),
    major,
    minor,
    o.units ?? 1,
    ...be16(o.xDensity ?? 72),
    ...be16(o.yDensity ?? 72),
    0,
    0,
  ]);
}

/**
 * An EXIF APP1 whose TIFF structure has IFD0 with an orientation entry (SHORT) and a second dummy entry, in the
 * given byte order. `orientation` undefined leaves the tag out.
 */
export function app1Exif(order: 'II' | 'MM', orientation?: number): Uint8Array {
  const le = order === 'II';
  const u16 = (n: number) => (le ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff]);
  const u32 = (n: number) =>
    le ? [...u16(n & 0xffff), ...u16(n >>> 16)] : [...u16(n >>> 16), ...u16(n & 0xffff)];
  const entries: number[][] = [];
  // ImageWidth (0x0100, SHORT) first so the orientation is not always entry 0.
  entries.push([...u16(0x0100), ...u16(3), ...u32(1), ...u16(640), 0, 0]);
  if (orientation !== undefined)
    entries.push([...u16(0x0112), ...u16(3), ...u32(1), ...u16(orientation), 0, 0]);
  const tiff = [...ascii(order), ...u16(42), ...u32(8), ...u16(entries.length), ...entries.flat(), ...u32(0)];
  return segment(0xe1, [...ascii('Exif\0\0'), ...tiff]);
}

export function app1Xmp(packet: string): Uint8Array {
  return segment(0xe1, [...ascii('http://ns.adobe.com/xap/1.0/\0'), ...new TextEncoder().encode(packet)]);
}

export function app2Icc(seq: number, count: number, data: Bytes): Uint8Array {
  return segment(0xe2, concat(ascii('ICC_PROFILE\0'), [seq, count], data));
}

export function app14Adobe(transform: number): Uint8Array {
  return segment(0xee, [...ascii('Adobe'), 0, 100, 0, 0, 0, 0, transform]);
}

export function com(text: string): Uint8Array {
  return segment(0xfe, ascii(text));
}

/** DQT with one table (all entries 1), 8-bit (precision 0) or 16-bit (1). */
export function dqt(id = 0, precision = 0): Uint8Array {
  return segment(0xdb, [(precision << 4) | id, ...new Array<number>(64 * (precision + 1)).fill(1)]);
}

/** The typical luminance DC code-length counts (T.81 Table K.3). */
export const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];

/** DHT with one table; symbols default to 0, 1, 2, … as many as the counts add up to. */
export function dht(tc = 0, th = 0, counts: readonly number[] = DC_COUNTS, symbols?: Bytes): Uint8Array {
  const n = counts.reduce((a, b) => a + b, 0);
  const values = symbols ?? Array.from({ length: n }, (_, i) => i & 0xff);
  return segment(0xc4, concat([(tc << 4) | th], counts, values));
}

export function dri(interval: number): Uint8Array {
  return segment(0xdd, be16(interval));
}

export interface FrameSpec {
  precision?: number;
  width?: number;
  height?: number;
  /** [id, h, v, tq] per component. */
  components?: [number, number, number, number][];
}

export const YCBCR_420: [number, number, number, number][] = [
  [1, 2, 2, 0],
  [2, 1, 1, 1],
  [3, 1, 1, 1],
];

/** A frame header with marker `code` (0xC0 SOF0 by default). */
export function sof(code = 0xc0, f: FrameSpec = {}): Uint8Array {
  const comps = f.components ?? YCBCR_420;
  return segment(code, [
    f.precision ?? 8,
    ...be16(f.height ?? 48),
    ...be16(f.width ?? 64),
    comps.length,
    ...comps.flatMap(([id, h, v, tq]) => [id, (h << 4) | v, tq]),
  ]);
}

export interface ScanSpec {
  /** Component ids; each uses tables 0/0. */
  components?: number[];
  ss?: number;
  se?: number;
  ah?: number;
  al?: number;
}

export function sos(s: ScanSpec = {}): Uint8Array {
  const ids = s.components ?? [1, 2, 3];
  return segment(0xda, [
    ids.length,
    ...ids.flatMap((id) => [id, 0x00]),
    s.ss ?? 0,
    s.se ?? 63,
    ((s.ah ?? 0) << 4) | (s.al ?? 0),
  ]);
}

/** Placeholder entropy-coded data with two stuffed 0xFF00 pairs and restart markers RST0 and RST1. */
export const ENTROPY: readonly number[] = [
  0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0x00, 0xff, 0xd1, 0x78,
];

export interface JpegSpec extends FrameSpec {
  sofCode?: number;
  /** Segments placed between SOI and the tables (APPn, COM, DRI, …). */
  head?: Bytes[];
  /** Scans; each is an SOS header followed by `ENTROPY`. Defaults to one interleaved scan of all components. */
  scans?: ScanSpec[];
  /** Segments between the SOS data and EOI. */
  tail?: Bytes[];
}

/**
 * A complete stream: SOI, head segments, DQT, SOF, DHT (DC and AC 0), scans with entropy data, tail, EOI.
 *
 * @example
 * ```ts
 * const bytes = jpeg({ width: 33, height: 17, head: [app0Jfif(), app1Exif('MM', 6)] });
 * inspect(bytes).orientation; // 6
 * ```
 */
export function jpeg(spec: JpegSpec = {}): Uint8Array {
  const comps = spec.components ?? YCBCR_420;
  const scans = spec.scans ?? [{ components: comps.map(([id]) => id) }];
  return concat(
    SOI,
    ...(spec.head ?? []),
    dqt(0),
    dqt(1),
    sof(spec.sofCode ?? 0xc0, spec),
    dht(0, 0),
    dht(1, 0),
    ...scans.flatMap((s) => [sos(s), ENTROPY]),
    ...(spec.tail ?? []),
    EOI,
  );
}
