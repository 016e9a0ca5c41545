/**
 * Reads what the GPU Huffman decoders need from a single-scan sequential Huffman-coded JPEG: the frame, the
 * quantisation and Huffman tables, and the scan's entropy-coded data with byte stuffing removed, split at its
 * restart markers if it has any (each restart interval can then be decoded by its own invocation).
 *
 * Only files libjpeg-turbo would read without a single warning are taken (its strict reading turns warnings into
 * errors): anything unusual — another marker where one is not expected, a restart marker out of sequence,
 * several scans, a JFIF major version other than 1, an unknown Adobe transform — returns the reason, and the
 * image goes to the wasm coefficient reader, which reports the problem exactly as libjpeg does.
 */
import { TABLE_WORDS, writeDerivedTable } from './huffman-table.js';
import type { HuffmanSpec } from './huffman-table.js';

/** libjpeg's jpeg_natural_order: the natural index of each zigzag position. */
const NATURAL_ORDER = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
];

export interface ScanComponent {
  h: number;
  v: number;
  blocksPerRow: number;
  blockRows: number;
  widthInBlocks: number;
  heightInBlocks: number;
  /** Natural order, as libjpeg keeps it. */
  quantTable: Uint16Array;
}

export interface BaselineScan {
  width: number;
  height: number;
  colorSpace: 'gray' | 'ycbcr' | 'rgb' | 'cmyk' | 'ycck';
  maxH: number;
  maxV: number;
  components: ScanComponent[];
  /** MCUs per restart interval; 0 when the scan has no restart markers (one interval). */
  restartInterval: number;
  /** MCUs of the scan: interleaved (several components) or one block each (a single component). */
  mcusPerRow: number;
  totalMcus: number;
  /** Blocks in one MCU (1 for a single-component scan). */
  blocksInMcu: number;
  /** Per component in frame order: its DC and AC Huffman table slots. */
  tableSlots: { dc: number; ac: number }[];
  /** Entropy-coded bytes with stuffing and markers removed, padded to whole words. */
  data: Uint8Array;
  /** Byte offset in `data` where each restart interval starts, then the end. */
  intervalStarts: Uint32Array;
  /** Derived tables of the 4 DC then 4 AC slots (TABLE_WORDS each; unused slots zero). */
  tables: Int32Array;
}

class Reader {
  constructor(readonly bytes: Uint8Array) {}
  u16(at: number): number {
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }
}

function colorSpaceOf(
  count: number,
  ids: number[],
  jfif: boolean,
  adobe: number | undefined,
): BaselineScan['colorSpace'] | string {
  if (count === 1) return 'gray';
  if (count === 3) {
    if (jfif) return 'ycbcr';
    if (adobe !== undefined) {
      if (adobe === 0) return 'rgb';
      if (adobe === 1) return 'ycbcr';
      return `Adobe transform ${adobe}`;
    }
    return ids[0] === 82 && ids[1] === 71 && ids[2] === 66 ? 'rgb' : 'ycbcr';
  }
  if (count === 4) {
    if (adobe === undefined || adobe === 0) return 'cmyk';
    if (adobe === 2) return 'ycck';
    return `Adobe transform ${adobe}`;
  }
  return `${count} components`;
}

/** The scan's facts and data, or why the GPU Huffman decoder does not take this file. */
export function parseBaselineScan(bytes: Uint8Array): BaselineScan | string {
  const r = new Reader(bytes);
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 'no SOI marker';
  const quant: (Uint16Array | undefined)[] = [];
  const dcSpecs: (HuffmanSpec | undefined)[] = [];
  const acSpecs: (HuffmanSpec | undefined)[] = [];
  let restartInterval = 0;
  let jfif = false;
  let adobe: number | undefined;
  let frame:
    { width: number; height: number; ids: number[]; h: number[]; v: number[]; tq: number[] } | undefined;
  let pos = 2;
  for (;;) {
    if (pos + 4 > n || bytes[pos] !== 0xff) return 'data between markers';
    while (pos < n && bytes[pos] === 0xff) pos++;
    const marker = bytes[pos++]!;
    if (pos + 2 > n) return 'truncated headers';
    const length = r.u16(pos);
    const end = pos + length;
    if (length < 2 || end > n) return 'a segment running past the end';
    const body = pos + 2;
    if (marker === 0xc0 || marker === 0xc1) {
      if (frame) return 'two frame headers';
      if (bytes[body] !== 8) return 'not 8-bit';
      const count = bytes[body + 5]!;
      if (length !== 8 + 3 * count || count < 1) return 'a malformed SOF';
      frame = { height: r.u16(body + 1), width: r.u16(body + 3), ids: [], h: [], v: [], tq: [] };
      for (let c = 0; c < count; c++) {
        const at = body + 6 + 3 * c;
        frame.ids.push(bytes[at]!);
        frame.h.push(bytes[at + 1]! >> 4);
        frame.v.push(bytes[at + 1]! & 15);
        frame.tq.push(bytes[at + 2]!);
      }
    } else if (marker === 0xc4) {
      let at = body;
      while (at < end) {
        const tc = bytes[at]! >> 4;
        const th = bytes[at]! & 15;
        if (tc > 1 || th > 3 || at + 17 > end) return 'a malformed DHT';
        const counts = bytes.slice(at + 1, at + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        if (total > 256 || at + 17 + total > end) return 'a malformed DHT';
        const spec = { counts, symbols: bytes.slice(at + 17, at + 17 + total) };
        (tc === 0 ? dcSpecs : acSpecs)[th] = spec;
        at += 17 + total;
      }
    } else if (marker === 0xdb) {
      let at = body;
      while (at < end) {
        const pq = bytes[at]! >> 4;
        const tq = bytes[at]! & 15;
        const size = pq === 0 ? 64 : 128;
        if (pq > 1 || tq > 3 || at + 1 + size > end) return 'a malformed DQT';
        const table = new Uint16Array(64);
        for (let k = 0; k < 64; k++)
          table[NATURAL_ORDER[k]!] = pq === 0 ? bytes[at + 1 + k]! : r.u16(at + 1 + 2 * k);
        quant[tq] = table;
        at += 1 + size;
      }
    } else if (marker === 0xdd) {
      if (length !== 4) return 'a malformed DRI';
      restartInterval = r.u16(body);
    } else if (marker === 0xe0) {
      const id = String.fromCharCode(...bytes.subarray(body, body + 5));
      if (length >= 16 && id === 'JFIF\0') {
        jfif = true;
        if (bytes[body + 5] !== 1) return 'a JFIF major version other than 1';
      }
    } else if (marker === 0xee) {
      const id = String.fromCharCode(...bytes.subarray(body, body + 5));
      if (length >= 14 && id === 'Adobe') adobe = bytes[body + 11]!;
    } else if ((marker & 0xf0) === 0xe0 || marker === 0xfe) {
      // Other application segments and comments: nothing the decoder uses.
    } else if (marker === 0xda) {
      if (!frame) return 'a scan before the frame header';
      return readScan(bytes, body, end, frame, { quant, dcSpecs, acSpecs, restartInterval, jfif, adobe });
    } else {
      return `marker 0x${marker.toString(16)} (not a sequential Huffman JPEG)`;
    }
    pos = end;
  }
}

interface Tables {
  quant: (Uint16Array | undefined)[];
  dcSpecs: (HuffmanSpec | undefined)[];
  acSpecs: (HuffmanSpec | undefined)[];
  restartInterval: number;
  jfif: boolean;
  adobe: number | undefined;
}

function readScan(
  bytes: Uint8Array,
  body: number,
  end: number,
  frame: { width: number; height: number; ids: number[]; h: number[]; v: number[]; tq: number[] },
  t: Tables,
): BaselineScan | string {
  const count = frame.ids.length;
  if (count > 4) return `${count} components`;
  if (frame.width === 0 || frame.height === 0) return 'an empty image';
  if (frame.h.some((h) => h < 1 || h > 4) || frame.v.some((v) => v < 1 || v > 4))
    return 'bad sampling factors';
  const colorSpace = colorSpaceOf(count, frame.ids, t.jfif, t.adobe);
  if (colorSpace.includes(' ')) return colorSpace;
  const scanCount = bytes[body]!;
  if (scanCount !== count || end - body !== 4 + 2 * count) return 'a scan that does not hold every component';
  const tableSlots: { dc: number; ac: number }[] = [];
  for (let s = 0; s < count; s++) {
    const id = bytes[body + 1 + 2 * s]!;
    if (id !== frame.ids[s]) return 'scan components out of frame order';
    tableSlots.push({ dc: bytes[body + 2 + 2 * s]! >> 4, ac: bytes[body + 2 + 2 * s]! & 15 });
  }
  if (new Set(frame.ids).size !== count) return 'repeated component ids';
  const ss = bytes[end - 3]!;
  const se = bytes[end - 2]!;
  const ahal = bytes[end - 1]!;
  if (ss !== 0 || se !== 63 || ahal !== 0) return 'not a sequential scan';

  const tables = new Int32Array(8 * TABLE_WORDS);
  for (const [s, slots] of tableSlots.entries()) {
    const dc = t.dcSpecs[slots.dc];
    const ac = t.acSpecs[slots.ac];
    if (slots.dc > 3 || slots.ac > 3 || !dc || !ac) return `component ${s}: a Huffman table is missing`;
    const dcOk = writeDerivedTable(dc, true, tables, slots.dc * TABLE_WORDS);
    if (dcOk !== true) return dcOk;
    const acOk = writeDerivedTable(ac, false, tables, (4 + slots.ac) * TABLE_WORDS);
    if (acOk !== true) return acOk;
  }

  const maxH = Math.max(...frame.h);
  const maxV = Math.max(...frame.v);
  const components: ScanComponent[] = [];
  for (let c = 0; c < count; c++) {
    const quantTable = t.quant[frame.tq[c]!];
    if (!quantTable) return `component ${c}: its quantisation table is missing`;
    const widthInBlocks = Math.ceil((frame.width * frame.h[c]!) / (maxH * 8));
    const heightInBlocks = Math.ceil((frame.height * frame.v[c]!) / (maxV * 8));
    components.push({
      h: frame.h[c]!,
      v: frame.v[c]!,
      widthInBlocks,
      heightInBlocks,
      blocksPerRow: Math.ceil(widthInBlocks / frame.h[c]!) * frame.h[c]!,
      blockRows: Math.ceil(heightInBlocks / frame.v[c]!) * frame.v[c]!,
      quantTable,
    });
  }
  let mcusPerRow: number;
  let totalMcus: number;
  let blocksInMcu = 1;
  if (count === 1) {
    mcusPerRow = components[0]!.widthInBlocks;
    totalMcus = mcusPerRow * components[0]!.heightInBlocks;
  } else {
    blocksInMcu = components.reduce((sum, c) => sum + c.h * c.v, 0);
    if (blocksInMcu > 10) return 'more than 10 blocks in an MCU';
    mcusPerRow = Math.ceil(frame.width / (maxH * 8));
    totalMcus = mcusPerRow * Math.ceil(frame.height / (maxV * 8));
  }

  // The entropy-coded data: unstuff, split at RST0..7 in sequence, and end at EOI.
  const n = bytes.length;
  const data = new Uint8Array(n - end + 8);
  const starts = [0];
  let o = 0;
  let i = end;
  let ended = false;
  while (i < n) {
    const b = bytes[i]!;
    if (b !== 0xff) {
      data[o++] = b;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && bytes[j] === 0xff) j++;
    if (j >= n) break;
    const m = bytes[j]!;
    if (m === 0x00) {
      data[o++] = 0xff;
    } else if (m >= 0xd0 && m <= 0xd7) {
      if (m !== 0xd0 + ((starts.length - 1) & 7)) return 'restart markers out of sequence';
      starts.push(o);
    } else if (m === 0xd9) {
      ended = true;
      break;
    } else {
      return `marker 0x${m.toString(16)} after the scan`;
    }
    i = j + 1;
  }
  if (!ended) return 'no EOI marker after the scan';
  const intervals = t.restartInterval === 0 ? 1 : Math.ceil(totalMcus / t.restartInterval);
  if (starts.length !== intervals) return 'restart markers missing or extra';
  starts.push(o);
  return {
    width: frame.width,
    height: frame.height,
    colorSpace: colorSpace as BaselineScan['colorSpace'],
    maxH,
    maxV,
    components,
    restartInterval: t.restartInterval,
    mcusPerRow,
    totalMcus,
    blocksInMcu,
    tableSlots,
    data: data.subarray(0, Math.ceil(o / 4) * 4 + 4),
    intervalStarts: Uint32Array.from(starts),
    tables,
  };
}
