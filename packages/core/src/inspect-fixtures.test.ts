import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JpegError } from './errors.js';
import type { JpegHeader } from './header.js';
import { inspect } from './inspect.js';

// Checks inspect() against the recorded facts of the real fixtures (made by real encoders and checked with
// independent tools), and the malformed fixtures against their recorded outcome.

const root = new URL('../../../fixtures/', import.meta.url);
const factsUrl = new URL('facts.json', root);
const malformedUrl = new URL('malformed.json', root);

type Facts = Record<string, unknown> & { file: string };
/** `file` is relative to fixtures/; `inspect` is "ok" or the error code inspect() must throw. */
interface MalformedEntry {
  file: string;
  description?: string;
  inspect: string;
}

function readJson<T>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Keys of an entry that describe the fixture rather than state a fact about it. */
const NOT_FACTS = new Set([
  'file',
  'description',
  'source',
  'reference',
  'referenceSha256',
  'referenceNote',
  'referenceConversion',
  'grayReference',
  'scaled',
  'encodedFrom',
]);

/**
 * How each recorded fact is read off a JpegHeader. Facts whose name is a JpegHeader field and whose value
 * has the same shape need no entry: they are compared directly.
 */
const DERIVED: Record<string, (h: JpegHeader) => unknown> = {
  icc: (h) => (h.icc === undefined ? null : { length: h.icc.length, sha256: sha256(h.icc) }),
  jfif: (h) => h.jfif ?? null,
  adobeTransform: (h) => h.adobeTransform ?? null,
  exifByteOrder: (h) => {
    if (h.exif === undefined || h.exif.length < 2) return null;
    return String.fromCharCode(h.exif[0]!, h.exif[1]!);
  },
  scanCount: (h) => h.scans.length,
  exif: (h) => (h.exif === undefined ? null : { length: h.exif.length, sha256: sha256(h.exif) }),
  xmp: (h) => h.xmp ?? null,
};

/** Normalises a recorded EXIF byte order ('II'/'MM', or 'little'/'big', 'LE'/'BE') to the TIFF letters. */
function byteOrderLetters(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.toLowerCase();
  if (v === 'ii' || v === 'le' || v === 'little' || v === 'intel') return 'II';
  if (v === 'mm' || v === 'be' || v === 'big' || v === 'motorola') return 'MM';
  return value;
}

describe('inspect: fixtures/facts.json', () => {
  const entries = readJson<Facts[]>(factsUrl);
  it('lists fixtures', () => {
    expect(entries.length).toBeGreaterThan(0);
  });
  it.each(entries.map((e) => [e.file, e] as const))('%s', (file, facts) => {
    const bytes = new Uint8Array(readFileSync(new URL(file, root)));
    const h = inspect(bytes);
    // Not recorded, but true of every valid fixture: complete, no trailing data, scans in order and in bounds.
    expect(h.truncated).toBe(false);
    expect(h.byteLength).toBe(bytes.length);
    let previousEnd = 0;
    for (const s of h.scans) {
      expect([bytes[s.markerOffset], bytes[s.markerOffset + 1]]).toEqual([0xff, 0xda]);
      expect(s.markerOffset).toBeGreaterThanOrEqual(previousEnd);
      expect(s.dataStart).toBeGreaterThan(s.markerOffset);
      expect(s.dataEnd).toBeGreaterThanOrEqual(s.dataStart);
      expect(bytes[s.dataEnd]).toBe(0xff);
      previousEnd = s.dataEnd;
    }
    const headerRecord = h as unknown as Record<string, unknown>;
    for (const [key, recorded] of Object.entries(facts)) {
      if (NOT_FACTS.has(key)) continue;
      const derive = DERIVED[key];
      let actual: unknown;
      if (derive !== undefined) actual = derive(h);
      else if (key in headerRecord) actual = headerRecord[key];
      else {
        // A tripwire: a new kind of fact must be checked (DERIVED) or declared descriptive (NOT_FACTS).
        throw new Error(
          `${file}: recorded fact "${key}" has no counterpart in JpegHeader (add it to DERIVED or NOT_FACTS)`,
        );
      }
      const expected = key === 'exifByteOrder' ? byteOrderLetters(recorded) : recorded;
      expect({ [key]: actual }, `${file}: ${key}`).toEqual({ [key]: expected });
    }
  });
});

describe('inspect: fixtures/malformed.json', () => {
  const entries = readJson<MalformedEntry[]>(malformedUrl);
  it('lists malformed files', () => {
    expect(entries.length).toBeGreaterThan(0);
  });
  it.each(entries.map((e) => [e.file, e] as const))('%s', (file, entry) => {
    const bytes = new Uint8Array(readFileSync(new URL(file, root)));
    let outcome: string;
    try {
      inspect(bytes);
      outcome = 'ok';
    } catch (e) {
      expect(e, `${file}: ${entry.description ?? ''}`).toBeInstanceOf(JpegError);
      outcome = (e as JpegError).code;
    }
    expect(outcome, `${file}: ${entry.description ?? ''}`).toBe(entry.inspect);
  });
});
