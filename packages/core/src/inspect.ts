import { JpegError } from './errors.js';
import type {
  CodingProcess,
  ColorSpace,
  ComponentInfo,
  JfifInfo,
  JpegHeader,
  ScanInfo,
  Subsampling,
} from './header.js';
import {
  assembleIcc,
  exifOrientation,
  exifPayload,
  latin1,
  parseAdobeTransform,
  parseIccChunk,
  parseJfif,
  parseXmp,
} from './inspect-metadata.js';
import type { IccChunk } from './inspect-metadata.js';
import { checkArguments, markerName, readMarkers } from './inspect-markers.js';
import type { JpegMarker } from './inspect-markers.js';
import { checkDac, checkDht, checkDqt } from './inspect-tables.js';

export { readMarkers, DEFAULT_MAX_MARKERS } from './inspect-markers.js';
export type { EntropyData, JpegMarker, ReadMarkersOptions } from './inspect-markers.js';

export interface InspectOptions {
  /** Give up with E_TOO_LARGE after this many markers (default 65 536, far above any real file). */
  maxMarkers?: number;
  /**
   * Read only up to the first scan header (what decoders need to route an image) instead of walking every
   * scan: `scans` then lists the first scan alone, its data running to the end of the input; `truncated` says
   * whether the input fails to end with EOI; `byteLength` is the input's length. Much faster on large files.
   */
  headerOnly?: boolean;
}

/** A frame header (SOFn, or DHP in hierarchical files: it has the same layout). */
interface Frame {
  marker: number;
  offset: number;
  precision: number;
  height: number;
  width: number;
  components: ComponentInfo[];
}

/**
 * Reads the header facts of a JPEG without decoding it: dimensions, components and sampling, colour space,
 * coding process, restart intervals, EXIF orientation, ICC/EXIF/XMP/JFIF/Adobe metadata, comments and where
 * every scan's entropy-coded data lies.
 *
 * It walks every marker from SOI to EOI (through all scans of a progressive file) and checks the structure of
 * each segment it passes, so a `JpegHeader` comes back only for a stream whose marker structure is sound. Data
 * cut off after the first scan header is not an error: the facts are complete and `truncated` is set.
 *
 * Hierarchical files (DHP, then several frames) are reported with the size and components of the DHP segment
 * and the process of their first frame; a lone differential SOF (5–7, 13–15) maps to its base process.
 *
 * Metadata never fails the call: an unreadable EXIF gives orientation 1, and an ICC profile whose APP2 chunks
 * are missing, repeated or inconsistently numbered is left out (`icc` undefined) rather than half-assembled.
 * JFIF, Adobe, EXIF and XMP come from the first segment of their kind; `restartInterval` is the DRI value in
 * force when the first scan starts.
 *
 * @throws JpegError — always a JpegError, never another exception type:
 *   E_CORRUPT for a stream that is not a JPEG or whose markers are malformed (the message gives the offset),
 *   E_TRUNCATED when it ends before the first scan header is complete,
 *   E_UNSUPPORTED for 5–10 components, JPEG-LS or the JPG extension marker,
 *   E_TOO_LARGE past `maxMarkers`, E_INVALID_ARGUMENT for bad arguments.
 *
 * @example
 * ```ts
 * const h = inspect(await readFile('photo.jpg'));
 * console.log(`${h.width}×${h.height} ${h.colorSpace} ${h.subsampling}, ${h.scans.length} scan(s)`);
 * if (h.orientation !== 1) console.log('needs rotation', h.orientation);
 * ```
 */
export function inspect(bytes: Uint8Array, options: InspectOptions = {}): JpegHeader {
  try {
    return inspectMarkers(bytes, options);
  } catch (e) {
    if (e instanceof JpegError) throw e;
    // Every malformed input is meant to be reported above; this only keeps a bug in inspect from leaking a
    // TypeError/RangeError through an API that promises JpegError. The message says so, so tests can tell.
    throw new JpegError('E_CORRUPT', `inspect failed unexpectedly: ${String(e)}`, { cause: e });
  }
}

function inspectMarkers(bytes: Uint8Array, options: InspectOptions): JpegHeader {
  checkArguments(bytes, options);
  let frame: Frame | undefined;
  let hierarchy: Frame | undefined; // the DHP segment of a hierarchical file
  let firstSof: number | undefined;
  let arithmetic = false;
  let restartInterval = 0;
  let firstScanRestartInterval: number | undefined;
  const restartIntervals: number[] = [];
  const seenIntervals = new Set<number>();
  let dnlHeight: number | undefined;
  const scans: ScanInfo[] = [];
  const comments: string[] = [];
  const iccChunks: IccChunk[] = [];
  let exif: Uint8Array | undefined;
  let xmp: string | undefined;
  let jfif: JfifInfo | undefined;
  let adobeTransform: number | undefined;
  let eoiEnd: number | undefined;

  const headerOnly = options.headerOnly === true;
  for (const m of readMarkers(bytes, { ...options, stopAtFirstScan: headerOnly })) {
    const { code, offset, start, end } = m;
    if (code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc) {
      if (frame !== undefined && hierarchy === undefined) {
        throw new JpegError(
          'E_CORRUPT',
          `second frame header ${markerName(code)} at offset ${offset}; a non-hierarchical JPEG has one SOF`,
        );
      }
      frame = parseFrame(bytes, m);
      firstSof ??= code;
      if (code >= 0xc9) arithmetic = true;
      continue;
    }
    switch (code) {
      case 0xd8:
        if (offset !== 0) throw new JpegError('E_CORRUPT', `second SOI marker at offset ${offset}`);
        break;
      case 0xd9:
        eoiEnd = end;
        break;
      case 0xda: {
        if (frame === undefined)
          throw new JpegError('E_CORRUPT', `SOS at offset ${offset} before any SOF marker`);
        scans.push(parseScan(bytes, m, frame));
        firstScanRestartInterval ??= restartInterval;
        break;
      }
      case 0xc4:
        checkDht(bytes, start, end, offset);
        break;
      case 0xcc:
        checkDac(bytes, start, end, offset);
        break;
      case 0xdb:
        checkDqt(bytes, start, end, offset);
        break;
      case 0xdd: {
        if (end - start !== 2) throw badLength(m, 4);
        restartInterval = u16(bytes, start);
        // A Set keeps a hostile file with tens of thousands of DRIs linear.
        if (!seenIntervals.has(restartInterval)) {
          seenIntervals.add(restartInterval);
          restartIntervals.push(restartInterval);
        }
        break;
      }
      case 0xdc: {
        if (end - start !== 2) throw badLength(m, 4);
        const lines = u16(bytes, start);
        if (lines === 0) throw new JpegError('E_CORRUPT', `DNL at offset ${offset} declares 0 lines`);
        dnlHeight ??= lines;
        break;
      }
      case 0xde:
        if (hierarchy !== undefined || frame !== undefined) {
          throw new JpegError('E_CORRUPT', `DHP at offset ${offset} after a frame header or another DHP`);
        }
        hierarchy = parseFrame(bytes, m);
        break;
      case 0xdf:
        // EXP (expand reference components) only carries two 4-bit flags; check its size and move on.
        if (end - start !== 1) throw badLength(m, 3);
        break;
      case 0xfe:
        comments.push(latin1(bytes.subarray(start, end)));
        break;
      case 0xe0:
        jfif ??= parseJfif(bytes.subarray(start, end));
        break;
      case 0xe1: {
        const payload = bytes.subarray(start, end);
        const tiff = exifPayload(payload);
        if (tiff !== undefined) exif ??= tiff.slice();
        else xmp ??= parseXmp(payload);
        break;
      }
      case 0xe2: {
        const chunk = parseIccChunk(bytes.subarray(start, end));
        if (chunk !== undefined) iccChunks.push(chunk);
        break;
      }
      case 0xee:
        adobeTransform ??= parseAdobeTransform(bytes.subarray(start, end));
        break;
      case 0xc8:
        throw new JpegError('E_UNSUPPORTED', `JPG extension marker (ff c8) at offset ${offset}`);
      case 0xf7:
        throw new JpegError('E_UNSUPPORTED', `JPEG-LS frame header SOF55 (ff f7) at offset ${offset}`);
      default:
        // Other APPn and JPGn segments are skipped by length; RSTn and TEM outside a scan carry nothing, and
        // libjpeg ignores them too. Only the reserved codes 02–BF are unknown to T.81.
        if (code >= 0x02 && code <= 0xbf) {
          throw new JpegError('E_CORRUPT', `unknown marker ${markerName(code)} at offset ${offset}`);
        }
    }
  }

  const endsWithEoi =
    bytes.length >= 4 && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
  const truncated = headerOnly ? !endsWithEoi : eoiEnd === undefined;
  // readMarkers throws E_TRUNCATED before the first scan header, so an unterminated walk always saw an SOS.
  if (frame === undefined || firstSof === undefined || scans.length === 0) {
    const what = frame === undefined ? 'SOF' : 'SOS';
    throw new JpegError('E_CORRUPT', `no ${what} marker before the EOI at offset ${(eoiEnd ?? 2) - 2}`);
  }
  const facts = hierarchy ?? frame;
  let height = facts.height;
  if (height === 0) {
    if (dnlHeight !== undefined) height = dnlHeight;
    else if (truncated) {
      throw new JpegError(
        'E_TRUNCATED',
        `the frame header at offset ${facts.offset} gives height 0 and the input ends before a DNL marker`,
      );
    } else {
      throw new JpegError(
        'E_CORRUPT',
        `the frame header at offset ${facts.offset} gives height 0 and no DNL follows`,
      );
    }
  }

  const process = codingProcess(firstSof);
  const dataUnit = process === 'lossless' ? 1 : 8; // lossless codes single samples, not 8×8 blocks
  const header: JpegHeader = {
    width: facts.width,
    height,
    precision: facts.precision,
    components: facts.components,
    subsampling: subsamplingOf(facts.components),
    colorSpace: colorSpaceOf(facts.components, jfif !== undefined, adobeTransform),
    process,
    progressive: process === 'progressive',
    lossless: process === 'lossless',
    arithmetic,
    sofMarker: firstSof,
    restartInterval: firstScanRestartInterval ?? 0,
    restartIntervals,
    orientation: exif === undefined ? 1 : exifOrientation(exif),
    comments,
    scans,
    mcuWidth: dataUnit * Math.max(...facts.components.map((c) => c.h)),
    mcuHeight: dataUnit * Math.max(...facts.components.map((c) => c.v)),
    truncated,
    byteLength: eoiEnd ?? bytes.length,
  };
  const icc = assembleIcc(iccChunks);
  if (icc !== undefined) header.icc = icc;
  if (exif !== undefined) header.exif = exif;
  if (xmp !== undefined) header.xmp = xmp;
  if (jfif !== undefined) header.jfif = jfif;
  if (adobeTransform !== undefined) header.adobeTransform = adobeTransform;
  return header;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function badLength(m: JpegMarker, expected: number): JpegError {
  return new JpegError(
    'E_CORRUPT',
    `${markerName(m.code)} segment at offset ${m.offset} has length ${m.end - m.start + 2}, expected ${expected}`,
  );
}

/** True for the SOF codes of lossless processes (SOF3, 7, 11, 15); their precision may be 2–16 bits. */
function isLosslessSof(code: number): boolean {
  return (code & 3) === 3;
}

/** SOFn (and DHP): P, Y, X, Nf, then Nf × (Ci, Hi/Vi, Tqi) — T.81 B.2.2. */
function parseFrame(bytes: Uint8Array, m: JpegMarker): Frame {
  const { code, offset, start, end } = m;
  const where = `${markerName(code)} at offset ${offset}`;
  const fail = (detail: string) => new JpegError('E_CORRUPT', `bad frame header ${where}: ${detail}`);
  if (end - start < 6) throw fail(`length ${end - start + 2} is below the minimum of 8`);
  const precision = bytes[start]!;
  const height = u16(bytes, start + 1);
  const width = u16(bytes, start + 3);
  const count = bytes[start + 5]!;
  if (count === 0) throw fail('0 components');
  if (count > 10) throw fail(`${count} components (decoders handle at most 10, jpegkit 4)`);
  if (count > 4)
    throw new JpegError('E_UNSUPPORTED', `frame header ${where} has ${count} components (at most 4)`);
  if (end - start !== 6 + 3 * count) {
    throw fail(`length ${end - start + 2} does not match ${count} components (${8 + 3 * count})`);
  }
  // DHP's code does not say which process its frames use, so it gets the widest (lossless) range.
  const lossless = code === 0xde || isLosslessSof(code);
  if (lossless ? precision < 2 || precision > 16 : precision !== 8 && precision !== 12) {
    throw fail(`sample precision ${precision} (${lossless ? '2–16 for lossless' : '8 or 12 for DCT'})`);
  }
  if (width === 0) throw fail('width 0');
  const components: ComponentInfo[] = [];
  for (let i = 0; i < count; i++) {
    const p = start + 6 + 3 * i;
    const id = bytes[p]!;
    const h = bytes[p + 1]! >> 4;
    const v = bytes[p + 1]! & 15;
    const tq = bytes[p + 2]!;
    if (h < 1 || h > 4 || v < 1 || v > 4)
      throw fail(`component ${id} has sampling factors ${h}×${v} (1–4 each)`);
    if (tq > 3) throw fail(`component ${id} uses quantisation table ${tq} (0–3)`);
    components.push({ id, h, v, tq });
  }
  return { marker: code, offset, precision, height, width, components };
}

/** SOS: Ns, Ns × (Cs, Td/Ta), Ss, Se, Ah/Al — T.81 B.2.3. */
function parseScan(bytes: Uint8Array, m: JpegMarker, frame: Frame): ScanInfo {
  const { offset, start, end } = m;
  const fail = (detail: string) =>
    new JpegError('E_CORRUPT', `bad scan header SOS at offset ${offset}: ${detail}`);
  if (end - start < 1) throw fail('empty segment');
  const count = bytes[start]!;
  if (count === 0 || count > 4) throw fail(`${count} components (1–4)`);
  if (count > frame.components.length)
    throw fail(`${count} components but the frame has ${frame.components.length}`);
  if (end - start !== 4 + 2 * count) {
    throw fail(`length ${end - start + 2} does not match ${count} components (${6 + 2 * count})`);
  }
  const used = new Array<boolean>(frame.components.length).fill(false);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = bytes[start + 1 + 2 * i]!;
    const tables = bytes[start + 2 + 2 * i]!;
    // Match the first frame component with this id that the scan has not used yet: with unique frame ids
    // that rejects duplicates, and (as in libjpeg-turbo) it still maps the rare files whose ids repeat.
    const index = frame.components.findIndex((c, ci) => c.id === id && !used[ci]);
    if (index < 0) {
      const inFrame = frame.components.some((c) => c.id === id);
      throw fail(inFrame ? `component ${id} is listed twice` : `component ${id} is not in the frame`);
    }
    used[index] = true;
    if (tables >> 4 > 3 || (tables & 15) > 3) {
      throw fail(`component ${id} uses Huffman/arithmetic tables ${tables >> 4}/${tables & 15} (0–3)`);
    }
    ids.push(id);
  }
  const p = start + 1 + 2 * count;
  // readMarkers attaches the entropy-coded data to an SOS, except in header-only mode: then the data is taken
  // to run to the end of the input, its restart markers uncounted.
  const scan = m.scan ?? { dataStart: end, dataEnd: bytes.length, restartMarkers: 0 };
  return {
    components: ids,
    ss: bytes[p]!,
    se: bytes[p + 1]!,
    ah: bytes[p + 2]! >> 4,
    al: bytes[p + 2]! & 15,
    markerOffset: offset,
    dataStart: scan.dataStart,
    dataEnd: scan.dataEnd,
    restartMarkers: scan.restartMarkers,
  };
}

/** The base process of a SOF code; differential (hierarchical) frames map to the process they refine. */
function codingProcess(code: number): CodingProcess {
  if (code === 0xc0) return 'baseline';
  switch (code & 3) {
    case 2:
      return 'progressive';
    case 3:
      return 'lossless';
    default:
      return 'extended'; // SOF1, 5, 9, 13: sequential DCT beyond baseline
  }
}

/**
 * Names the sampling layout. Component 1 is the reference (luma, or C of CMYK); the others must share one
 * factor pair, and the label comes from the integer ratio between the two. Equal factors everywhere (1×1 or,
 * say, all 2×2) are 4:4:4 whatever the component count. In a 4-component file the fourth component may
 * instead match the first: YCCK's K is stored at full size like Y (libjpeg's default YCCK layout is
 * 2×2, 1×1, 1×1, 2×2), and that layout is 4:2:0.
 */
function subsamplingOf(components: readonly ComponentInfo[]): Subsampling {
  const [first, ...others] = components;
  if (first === undefined) return 'other';
  if (others.length === 0) return 'gray';
  const fourth = others[2];
  const rest =
    fourth !== undefined && fourth.h === first.h && fourth.v === first.v ? others.slice(0, 2) : others;
  const second = rest[0]!;
  if (rest.some((c) => c.h !== second.h || c.v !== second.v)) return 'other';
  if (first.h % second.h !== 0 || first.v % second.v !== 0) return 'other';
  const key = `${first.h / second.h}x${first.v / second.v}`;
  const labels: Record<string, Subsampling> = {
    '1x1': '4:4:4',
    '2x1': '4:2:2',
    '2x2': '4:2:0',
    '1x2': '4:4:0',
    '4x1': '4:1:1',
  };
  return labels[key] ?? 'other';
}

/** The colour space by the rules of libjpeg's default_decompress_parms (JFIF, then Adobe, then component ids). */
function colorSpaceOf(
  components: readonly ComponentInfo[],
  sawJfif: boolean,
  adobe: number | undefined,
): ColorSpace {
  switch (components.length) {
    case 1:
      return 'gray';
    case 3: {
      if (sawJfif) return 'YCbCr';
      if (adobe !== undefined) return adobe === 0 ? 'RGB' : 'YCbCr';
      const ids = components.map((c) => c.id).join(',');
      return ids === '82,71,66' ? 'RGB' : 'YCbCr';
    }
    case 4:
      // libjpeg reads any Adobe transform other than 0 (2 is the defined one) as YCCK.
      return adobe === undefined || adobe === 0 ? 'CMYK' : 'YCCK';
    default:
      return 'unknown';
  }
}
