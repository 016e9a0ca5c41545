import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JpegError } from './errors.js';
import { inspect, readMarkers } from './inspect.js';
import type { JpegMarker } from './inspect.js';
import {
  app0Jfif,
  app14Adobe,
  app1Exif,
  app2Icc,
  com,
  dht,
  dri,
  jpeg,
  segment,
} from './testing/jpeg-builder.js';

// Property: whatever damage a JPEG suffers, inspect() returns or throws a JpegError — never another exception
// type, never a hang — and each call stays under 50 ms. The corpus is every fixture plus a few synthetic
// streams (so the property runs even where fixtures are missing); fast-check mutates them 10 000 times.

const RUNS = 10_000;
const MAX_MS_PER_CALL = 50;
const seed = process.env.FC_SEED === undefined ? 0x1badb002 : Number(process.env.FC_SEED);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`);

interface Sample {
  name: string;
  bytes: Uint8Array;
  /** Segments of the intact file, to aim mutations at marker structure rather than only at entropy data. */
  markers: JpegMarker[];
}

function loadCorpus(): Sample[] {
  const named: [string, Uint8Array][] = [];
  const root = new URL('../../../fixtures/', import.meta.url);
  for (const dir of ['jpeg', 'malformed']) {
    const url = new URL(`${dir}/`, root);
    if (!existsSync(url)) continue;
    for (const f of readdirSync(url).sort()) {
      named.push([`${dir}/${f}`, new Uint8Array(readFileSync(new URL(f, url)))]);
    }
  }
  const profile = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
  named.push(
    ['synthetic/baseline', jpeg({ head: [app0Jfif(), app1Exif('MM', 6), com('c'), dri(2)] })],
    [
      'synthetic/progressive',
      jpeg({
        sofCode: 0xc2,
        head: [app14Adobe(1), app2Icc(2, 2, profile.subarray(300)), app2Icc(1, 2, profile.subarray(0, 300))],
        scans: [
          { components: [1, 2, 3], se: 0, al: 1 },
          { components: [1], ss: 1, se: 63 },
          { components: [2], ss: 1 },
        ],
        tail: [dht(1, 1)],
      }),
    ],
    ['synthetic/dnl', jpeg({ components: [[1, 1, 1, 0]], height: 0, tail: [segment(0xdc, [0, 16])] })],
  );
  return named.map(([name, bytes]) => ({ name, bytes, markers: intactMarkers(bytes) }));
}

/** The markers of a (possibly malformed) file, as far as they can be read. */
function intactMarkers(bytes: Uint8Array): JpegMarker[] {
  const out: JpegMarker[] = [];
  try {
    for (const m of readMarkers(bytes)) out.push(m);
  } catch {
    // a malformed fixture: keep the markers read before the damage
  }
  return out;
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'segmentByte'; segment: number; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; segment: number };

const position = fc.nat({ max: 0x7fffffff });
const byteRun = fc.uint8Array({ minLength: 1, maxLength: 16 });
// Runs rich in 0xFF make fill bytes, fake markers and stuffing, which random bytes would rarely produce.
const markerish = fc.array(
  fc.constantFrom(0xff, 0x00, 0xd8, 0xd9, 0xda, 0xc0, 0xc2, 0xc4, 0xdb, 0xdd, 0xd0),
  {
    minLength: 1,
    maxLength: 8,
  },
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: position,
    bytes: fc.oneof(
      byteRun,
      markerish.map((a) => Uint8Array.from(a)),
    ),
  }),
  fc.record({
    kind: fc.constant('segmentByte' as const),
    segment: position,
    at: fc.integer({ min: 0, max: 24 }),
    value: fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0, 1, 2, 3, 4, 5, 0x10, 0x11, 0x22, 0x44, 0xff),
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.oneof(
      byteRun,
      markerish.map((a) => Uint8Array.from(a)),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), segment: position }),
);

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/**
 * Applies mutations; positions are taken modulo the current length, and half of them are folded into the
 * first 4 KiB, where the marker segments of most files lie.
 */
function mutate(sample: Sample, mutations: readonly Mutation[]): Uint8Array {
  let bytes = sample.bytes;
  let copied = false;
  const own = () => {
    if (!copied) {
      bytes = bytes.slice();
      copied = true;
    }
  };
  const pos = (p: number, len: number) => {
    if (len === 0) return 0;
    return p & 1 ? (p >>> 1) % Math.min(len, 4096) : (p >>> 1) % len;
  };
  const { markers } = sample;
  for (const m of mutations) {
    const n = bytes.length;
    switch (m.kind) {
      case 'flip':
        if (n === 0) break;
        own();
        bytes[pos(m.at, n)]! ^= 1 << m.bit;
        break;
      case 'overwrite': {
        if (n === 0) break;
        own();
        const at = pos(m.at, n);
        bytes.set(m.bytes.subarray(0, n - at), at);
        break;
      }
      case 'segmentByte': {
        const seg = markers[m.segment % Math.max(markers.length, 1)];
        if (seg === undefined) break;
        const at = seg.offset + m.at;
        if (at >= n) break;
        own();
        bytes[at] = m.value;
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, pos(m.at, n + 1));
        copied = false;
        break;
      case 'insert':
        bytes = splice(bytes, pos(m.at, n + 1), 0, m.bytes);
        copied = true;
        break;
      case 'delete': {
        const at = pos(m.at, n + 1);
        bytes = splice(bytes, at, Math.min(m.length, n - at), new Uint8Array(0));
        copied = true;
        break;
      }
      case 'duplicate': {
        const seg = markers[m.segment % Math.max(markers.length, 1)];
        if (seg === undefined || seg.end > n) break;
        bytes = splice(bytes, seg.end, 0, bytes.slice(seg.offset, seg.end));
        copied = true;
        break;
      }
    }
  }
  return bytes;
}

describe('inspect: fuzzing', () => {
  const corpus = loadCorpus();

  it(`returns or throws a JpegError on ${RUNS} mutated files, each call under ${MAX_MS_PER_CALL} ms`, () => {
    // Warm the JIT on every sample first, so that the timing below measures inspect and not compilation.
    for (const s of corpus) {
      for (let i = 0; i < 3; i++) {
        try {
          inspect(s.bytes);
        } catch {
          // malformed fixtures throw; only the warm-up matters here
        }
      }
    }
    let maxMs = 0; // per input: the first timing, or the best of three when the first went over the limit
    let rawMaxMs = 0; // the slowest single timing, pauses included
    let slowest = '';
    let threw = 0;
    /** One timed call: whether it threw, and what. */
    const timed = (bytes: Uint8Array): { ms: number; error: unknown } => {
      const t0 = performance.now();
      try {
        inspect(bytes);
        return { ms: performance.now() - t0, error: undefined };
      } catch (e) {
        return { ms: performance.now() - t0, error: e ?? new Error('threw nullish') };
      }
    };
    const started = performance.now();
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (index, mutations) => {
          const sample = corpus[index]!;
          const bytes = mutate(sample, mutations);
          const { ms: first, error } = timed(bytes);
          rawMaxMs = Math.max(rawMaxMs, first);
          // A call over the limit is timed again: a GC pause or a busy machine can stall any single call, and
          // the criterion is about what inspect costs on that input. A real slow path is slow every time.
          let ms = first;
          for (let retry = 0; retry < 2 && ms >= MAX_MS_PER_CALL; retry++) ms = Math.min(ms, timed(bytes).ms);
          if (ms > maxMs) [maxMs, slowest] = [ms, sample.name];
          if (error === undefined) return;
          threw++;
          if (!(error instanceof JpegError))
            throw new Error(`${sample.name}: not a JpegError: ${String(error)}`);
          // inspect wraps its own bugs in a JpegError with this wording: those must not happen either.
          if (/unexpectedly/.test(error.message)) throw new Error(`${sample.name}: ${error.message}`);
        },
      ),
      { numRuns: RUNS, seed },
    );
    const totalS = (performance.now() - started) / 1000;
    console.log(
      `inspect fuzz: ${RUNS} runs over ${corpus.length} files (seed ${seed}), ${threw} threw; ` +
        `max ${maxMs.toFixed(2)} ms per call (${slowest}; slowest single timing ${rawMaxMs.toFixed(2)} ms), ` +
        `${totalS.toFixed(1)} s in all`,
    );
    expect(maxMs).toBeLessThan(MAX_MS_PER_CALL);
    expect(totalS).toBeLessThan(30);
  });
});
