import type { JfifInfo } from './header.js';
import type { Orientation } from './image.js';

// Parsers for the application segments inspect() understands. Each takes a segment payload (the bytes after
// the length field) and returns undefined for anything it does not recognise: metadata is advisory, so a
// damaged APPn never fails inspect(), it is just not reported.

const JFIF_ID = [0x4a, 0x46, 0x49, 0x46, 0x00]; // "JFIF\0"
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
const ICC_ID = [0x49, 0x43, 0x43, 0x5f, 0x50, 0x52, 0x4f, 0x46, 0x49, 0x4c, 0x45, 0x00]; // "ICC_PROFILE\0"
const ADOBE_ID = [0x41, 0x64, 0x6f, 0x62, 0x65]; // "Adobe"
const XMP_ID = asciiBytes('http://ns.adobe.com/xap/1.0/\0');

function asciiBytes(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** True when `payload` begins with the bytes of `id`. */
function startsWith(payload: Uint8Array, id: readonly number[]): boolean {
  if (payload.length < id.length) return false;
  for (let i = 0; i < id.length; i++) if (payload[i] !== id[i]) return false;
  return true;
}

/**
 * JFIF APP0: "JFIF\0", version (2 bytes), units, X density, Y density, thumbnail size (2 bytes). Like libjpeg,
 * a segment shorter than those 14 bytes is not taken as JFIF. Units other than 0–2 are out of spec; they are
 * reported as 'none' (aspect ratio only) since no unit can be inferred.
 */
export function parseJfif(payload: Uint8Array): JfifInfo | undefined {
  if (payload.length < 14 || !startsWith(payload, JFIF_ID)) return undefined;
  const major = payload[5]!;
  const minor = payload[6]!;
  const units = payload[7]!;
  return {
    version: `${major}.${minor.toString().padStart(2, '0')}`,
    densityUnits: units === 1 ? 'dpi' : units === 2 ? 'dpcm' : 'none',
    xDensity: (payload[8]! << 8) | payload[9]!,
    yDensity: (payload[10]! << 8) | payload[11]!,
  };
}

/** Adobe APP14: "Adobe", version, flags0, flags1 (2 bytes each), then the transform byte at offset 11. */
export function parseAdobeTransform(payload: Uint8Array): number | undefined {
  if (payload.length < 12 || !startsWith(payload, ADOBE_ID)) return undefined;
  return payload[11];
}

/** EXIF APP1: the TIFF structure after "Exif\0\0", or undefined when the segment is not EXIF. */
export function exifPayload(payload: Uint8Array): Uint8Array | undefined {
  return startsWith(payload, EXIF_ID) ? payload.subarray(EXIF_ID.length) : undefined;
}

/** XMP APP1: the packet after the namespace header, decoded as UTF-8 (the encoding XMP in JPEG mandates). */
export function parseXmp(payload: Uint8Array): string | undefined {
  if (!startsWith(payload, XMP_ID)) return undefined;
  return new TextDecoder('utf-8').decode(payload.subarray(XMP_ID.length));
}

/**
 * The orientation tag (0x0112) of IFD0 in an EXIF TIFF structure, or 1 when there is none or it is unusable.
 * Every read is bounds-checked against `tiff`: offsets inside EXIF are attacker-controlled. The tag is SHORT
 * by the spec; a LONG is accepted too (some writers use it and readers like exiftool honour it).
 *
 * @example
 * ```ts
 * const { exif } = inspect(bytes);
 * const orientation = exif ? exifOrientation(exif) : 1; // what inspect() reports as `orientation`
 * ```
 */
export function exifOrientation(tiff: Uint8Array): Orientation {
  const n = tiff.length;
  if (n < 8) return 1;
  let little: boolean;
  if (tiff[0] === 0x49 && tiff[1] === 0x49) little = true;
  else if (tiff[0] === 0x4d && tiff[1] === 0x4d) little = false;
  else return 1;
  const u16 = (o: number): number =>
    little ? tiff[o]! | (tiff[o + 1]! << 8) : (tiff[o]! << 8) | tiff[o + 1]!;
  const u32 = (o: number): number => (little ? u16(o) + u16(o + 2) * 0x10000 : u16(o) * 0x10000 + u16(o + 2));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > n) return 1;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > n) break;
    if (u16(e) !== 0x0112) continue;
    const type = u16(e + 2);
    if (u32(e + 4) < 1) return 1;
    // A single SHORT sits left-justified in the 4-byte value field, so its offset is e + 8 in both orders.
    const value = type === 3 ? u16(e + 8) : type === 4 ? u32(e + 8) : 0;
    return isOrientation(value) ? value : 1;
  }
  return 1;
}

function isOrientation(value: number): value is Orientation {
  return Number.isInteger(value) && value >= 1 && value <= 8;
}

/** One APP2 ICC_PROFILE chunk: sequence number (1-based), total chunk count, and its slice of the profile. */
export interface IccChunk {
  seq: number;
  count: number;
  data: Uint8Array;
}

/** An APP2 ICC_PROFILE chunk, or undefined when the segment is something else. */
export function parseIccChunk(payload: Uint8Array): IccChunk | undefined {
  if (payload.length < ICC_ID.length + 2 || !startsWith(payload, ICC_ID)) return undefined;
  return {
    seq: payload[ICC_ID.length]!,
    count: payload[ICC_ID.length + 1]!,
    data: payload.subarray(ICC_ID.length + 2),
  };
}

/**
 * Reassembles an ICC profile from its APP2 chunks in sequence-number order (writers may emit them in any
 * order). Policy for malformed sets: if any chunk has sequence 0 or a number above the count, the counts
 * disagree, a sequence number repeats, or one is missing, the whole profile is dropped (undefined) rather than
 * failing inspect() or guessing at a partial profile: a wrong profile would silently shift colours, a missing
 * one only loses colour management. This is also what libjpeg's read_icc_profile does.
 *
 * @example
 * ```ts
 * const chunks = [...readMarkers(bytes)]
 *   .filter((m) => m.code === 0xe2)
 *   .flatMap((m) => parseIccChunk(bytes.subarray(m.start, m.end)) ?? []);
 * const icc = assembleIcc(chunks); // undefined when absent or malformed
 * ```
 */
export function assembleIcc(chunks: readonly IccChunk[]): Uint8Array | undefined {
  const first = chunks[0];
  if (first === undefined) return undefined;
  const count = first.count;
  if (count === 0 || chunks.length !== count) return undefined;
  const bySeq: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(count + 1);
  let total = 0;
  for (const c of chunks) {
    if (c.count !== count || c.seq < 1 || c.seq > count || bySeq[c.seq] !== undefined) return undefined;
    bySeq[c.seq] = c.data;
    total += c.data.length;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (let seq = 1; seq <= count; seq++) {
    const data = bySeq[seq]!; // every slot is filled: `count` distinct in-range sequence numbers were seen
    out.set(data, pos);
    pos += data.length;
  }
  return out;
}

/** Decodes bytes as ISO 8859-1 (each byte is one code point). TextDecoder('latin1') would give windows-1252. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  // Chunked so that String.fromCharCode's argument list stays well below engine limits.
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
