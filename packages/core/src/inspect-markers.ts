import { JpegError } from './errors.js';

/** Where a scan's entropy-coded data lies, as `readMarkers` found it after an SOS header. */
export interface EntropyData {
  /** Byte range [dataStart, dataEnd) of the entropy-coded data, restart markers included. */
  dataStart: number;
  /** Offset of the first 0xFF of the marker that ends the scan, or the input length when the data runs out. */
  dataEnd: number;
  /** RST0–7 markers found inside the data. */
  restartMarkers: number;
  /** False when the input ended inside the data (no marker closed the scan). */
  complete: boolean;
}

/** One marker of a JPEG stream, in file order. */
export interface JpegMarker {
  /** The marker code, i.e. the byte after 0xFF (0xD8 SOI, 0xDB DQT, 0xDA SOS, 0xD9 EOI, …). */
  code: number;
  /** Offset of the 0xFF right before the code (fill bytes, when present, lie before it). */
  offset: number;
  /** Payload range [start, end) after the 2-byte length field; empty (start = end) for standalone markers. */
  start: number;
  end: number;
  /** For SOS only: the entropy-coded data that follows the header. */
  scan?: EntropyData;
}

export interface ReadMarkersOptions {
  /** Give up with E_TOO_LARGE after this many markers (default 65 536, far above any real file). */
  maxMarkers?: number;
  /** Stop after the first SOS header, without walking its entropy-coded data (its `scan` is then absent). */
  stopAtFirstScan?: boolean;
}

/** The default marker budget: real files have tens of markers (a few hundred with chunked ICC/XMP). */
export const DEFAULT_MAX_MARKERS = 65_536;

/**
 * Walks the marker structure of a JPEG without interpreting segment contents.
 *
 * Starts at SOI, tolerates fill bytes (0xFF…) before markers and, like libjpeg, skips stray bytes between
 * segments; after each SOS header it skips the entropy-coded data (0xFF00 stuffing and RST0–7 markers
 * included) to the next real marker. Restart markers inside scans are counted, not listed. The walk stops
 * after EOI; when the input ends before EOI the generator simply returns, so a caller can tell truncation
 * from the missing EOI. Segment lengths are only checked against the input, never trusted for reads.
 *
 * @throws JpegError E_CORRUPT when the input does not start with SOI or a segment length is below 2;
 *   E_TRUNCATED when the input ends before the first scan header is complete; E_TOO_LARGE past `maxMarkers`;
 *   E_INVALID_ARGUMENT for a non-Uint8Array input or a bad option.
 *
 * @example
 * ```ts
 * for (const m of readMarkers(bytes)) {
 *   console.log(m.code.toString(16), m.offset, m.end - m.start);
 * }
 * ```
 */
export function* readMarkers(
  bytes: Uint8Array,
  options: ReadMarkersOptions = {},
): Generator<JpegMarker, void> {
  checkArguments(bytes, options);
  const maxMarkers = options.maxMarkers ?? DEFAULT_MAX_MARKERS;
  const n = bytes.length;
  if (n === 0) throw new JpegError('E_CORRUPT', 'not a JPEG: the input is empty');
  if (n === 1) throw new JpegError('E_CORRUPT', 'not a JPEG: the input is a single byte');
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new JpegError(
      'E_CORRUPT',
      `not a JPEG: it starts with ${hexBytes(bytes, 0, 2)} instead of SOI (ff d8)`,
    );
  }
  yield { code: 0xd8, offset: 0, start: 2, end: 2 };

  let count = 1;
  let pos = 2;
  // Truncation before the first scan header leaves no image facts to report, so it is an error; after it,
  // the header is complete and the caller reports `truncated` instead.
  let sawScanHeader = false;
  const endOfInput = (what: string): void => {
    if (!sawScanHeader) {
      throw new JpegError(
        'E_TRUNCATED',
        `the input ends at offset ${n} ${what}, before the first scan header`,
      );
    }
  };

  for (;;) {
    const found = findMarker(bytes, pos);
    if (found < 0) return endOfInput('between segments');
    const code = bytes[found + 1]!;
    const offset = found;
    pos = found + 2;
    if (++count > maxMarkers) {
      throw new JpegError(
        'E_TOO_LARGE',
        `more than ${maxMarkers} markers (the next at offset ${offset}); raise maxMarkers`,
      );
    }

    if (isStandalone(code)) {
      yield { code, offset, start: pos, end: pos };
      if (code === 0xd9) return;
      continue;
    }

    if (pos + 2 > n) return endOfInput(`inside the length of marker ${markerName(code)} at offset ${offset}`);
    const length = (bytes[pos]! << 8) | bytes[pos + 1]!;
    if (length < 2) {
      throw new JpegError(
        'E_CORRUPT',
        `segment length ${length} (< 2) for marker ${markerName(code)} at offset ${offset}`,
      );
    }
    const start = pos + 2;
    const end = pos + length;
    if (end > n) {
      return endOfInput(
        `inside the ${length}-byte segment of marker ${markerName(code)} at offset ${offset}`,
      );
    }
    pos = end;

    if (code !== 0xda) {
      yield { code, offset, start, end };
      continue;
    }
    sawScanHeader = true;
    if (options.stopAtFirstScan) {
      yield { code, offset, start, end };
      return;
    }
    const scan = scanEntropyData(bytes, end);
    yield { code, offset, start, end, scan };
    if (!scan.complete) return;
    pos = scan.dataEnd;
  }
}

/**
 * Finds the next marker at or after `from`: returns the offset of the 0xFF right before its code, or -1 when
 * the input ends first. Fill bytes are skipped; like libjpeg, stray non-0xFF bytes and 0xFF00 pairs (which are
 * not markers) between segments are skipped too rather than rejected.
 */
function findMarker(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  let pos = from;
  for (;;) {
    const ff = bytes.indexOf(0xff, pos);
    if (ff < 0) return -1;
    let j = ff + 1;
    while (j < n && bytes[j] === 0xff) j++;
    if (j >= n) return -1;
    if (bytes[j] !== 0x00) return j - 1;
    pos = j + 1;
  }
}

/**
 * Skips the entropy-coded data that starts at `start`: finds the first marker that is neither a stuffed 0xFF00
 * nor RST0–7. `indexOf` does the byte search natively, so multi-megabyte scans cost one loop turn per 0xFF.
 *
 * @example
 * ```ts
 * const { dataEnd, restartMarkers, complete } = scanEntropyData(bytes, sosSegmentEnd);
 * ```
 */
export function scanEntropyData(bytes: Uint8Array, start: number): EntropyData {
  const n = bytes.length;
  let restartMarkers = 0;
  let pos = start;
  for (;;) {
    const ff = bytes.indexOf(0xff, pos);
    if (ff < 0) return { dataStart: start, dataEnd: n, restartMarkers, complete: false };
    // Fill bytes may precede a marker; libjpeg also reads 0xFF 0xFF… 0x00 as one stuffed 0xFF.
    let j = ff + 1;
    while (j < n && bytes[j] === 0xff) j++;
    if (j >= n) return { dataStart: start, dataEnd: n, restartMarkers, complete: false };
    const code = bytes[j]!;
    if (code === 0x00) {
      pos = j + 1;
    } else if (code >= 0xd0 && code <= 0xd7) {
      restartMarkers++;
      pos = j + 1;
    } else {
      return { dataStart: start, dataEnd: ff, restartMarkers, complete: true };
    }
  }
}

/** Markers without a length field (T.81 B.1.1.3 and Table B.1): TEM, RST0–7, SOI, EOI. */
function isStandalone(code: number): boolean {
  return code === 0x01 || (code >= 0xd0 && code <= 0xd9);
}

const NAMES: Record<number, string> = {
  0x01: 'TEM',
  0xc4: 'DHT',
  0xc8: 'JPG',
  0xcc: 'DAC',
  0xd8: 'SOI',
  0xd9: 'EOI',
  0xda: 'SOS',
  0xdb: 'DQT',
  0xdc: 'DNL',
  0xdd: 'DRI',
  0xde: 'DHP',
  0xdf: 'EXP',
  0xfe: 'COM',
};

/**
 * A readable marker name for messages.
 *
 * @example
 * ```ts
 * markerName(0xc2); // 'SOF2 (ff c2)'
 * ```
 */
export function markerName(code: number): string {
  const hex = `(ff ${code.toString(16).padStart(2, '0')})`;
  const known = NAMES[code];
  if (known !== undefined) return `${known} ${hex}`;
  if (code >= 0xc0 && code <= 0xcf) return `SOF${code - 0xc0} ${hex}`;
  if (code >= 0xd0 && code <= 0xd7) return `RST${code - 0xd0} ${hex}`;
  if (code >= 0xe0 && code <= 0xef) return `APP${code - 0xe0} ${hex}`;
  if (code >= 0xf0 && code <= 0xfd) return `JPG${code - 0xf0} ${hex}`;
  return hex;
}

function hexBytes(bytes: Uint8Array, start: number, count: number): string {
  const parts: string[] = [];
  for (let i = start; i < start + count && i < bytes.length; i++) {
    parts.push(bytes[i]!.toString(16).padStart(2, '0'));
  }
  return parts.join(' ');
}

/** Callers from plain JavaScript may pass anything; they get E_INVALID_ARGUMENT rather than a TypeError. */
export function checkArguments(bytes: unknown, options: unknown): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new JpegError('E_INVALID_ARGUMENT', 'the JPEG bytes must be a Uint8Array');
  }
  if (typeof options !== 'object' || options === null) {
    throw new JpegError('E_INVALID_ARGUMENT', 'options must be an object');
  }
  const max = (options as ReadMarkersOptions).maxMarkers;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) {
    throw new JpegError('E_INVALID_ARGUMENT', `maxMarkers must be a positive integer, got ${String(max)}`);
  }
}
