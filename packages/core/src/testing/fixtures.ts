import type { ColorSpace, CodingProcess, Subsampling } from '../header.js';
import type { ErrorCode } from '../errors.js';

/** Facts recorded about a fixture by djpeg, identify and exiftool when it was made (fixtures/facts.json). */
export interface FixtureFacts {
  file: string;
  source: string;
  width: number;
  height: number;
  precision: number;
  components: { id: number; h: number; v: number; tq: number }[];
  subsampling: Subsampling;
  colorSpace: ColorSpace;
  process: CodingProcess;
  arithmetic: boolean;
  restartInterval: number;
  orientation: number;
  icc: { length: number; sha256: string } | null;
  exifByteOrder: 'II' | 'MM' | null;
  jfif: { version: string; densityUnits: 'none' | 'dpi' | 'dpcm'; xDensity: number; yDensity: number } | null;
  adobeTransform: number | null;
  comments: string[];
  scanCount: number;
  /** `djpeg -dct int` output (P6, or P5 for gray), or null with `referenceNote` saying why. */
  reference: string | null;
  referenceSha256: string | null;
  referenceNote?: string;
  /** DCT-scaled references by scale ("1/2", "1/4", "1/8"). */
  scaled?: Record<string, string>;
  /** `djpeg -dct int -grayscale` output. */
  grayReference?: string;
}

/** A malformed input and the error codes it must produce (fixtures/malformed.json). */
export interface MalformedFacts {
  file: string;
  description: string;
  inspect: 'ok' | ErrorCode;
  decode: ErrorCode;
  djpeg?: string;
}

/** Reads a file of the fixture set by its path relative to the fixtures folder. */
export type FixtureReader = (relativePath: string) => Promise<Uint8Array>;

/** The fixture folder of this repository, found relative to this module (src/testing or dist/testing). */
export const DEFAULT_FIXTURES_URL = new URL('../../../../fixtures/', import.meta.url);

/** Reads fixtures from a folder URL with node:fs (Node), or with fetch (browsers: pass an http URL). */
export function fixtureReader(base: URL = DEFAULT_FIXTURES_URL): FixtureReader {
  return async (relativePath) => {
    const url = new URL(relativePath, base);
    if (url.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      return new Uint8Array(await readFile(url));
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`fixture ${relativePath}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

export interface FixtureSet {
  facts: FixtureFacts[];
  malformed: MalformedFacts[];
  read: FixtureReader;
}

/** Loads the recorded facts of every fixture. */
export async function loadFixtureSet(read: FixtureReader = fixtureReader()): Promise<FixtureSet> {
  const decoder = new TextDecoder();
  const facts = JSON.parse(decoder.decode(await read('facts.json'))) as FixtureFacts[];
  const malformed = JSON.parse(decoder.decode(await read('malformed.json'))) as MalformedFacts[];
  return { facts, malformed, read };
}
