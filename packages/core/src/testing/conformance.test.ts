import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, ResolvedDecodeOptions } from '../backend.js';
import { createCodec } from '../codec.js';
import type { Codec } from '../codec.js';
import { JpegError } from '../errors.js';
import type { HostImage } from '../image.js';
import { applyOp } from '../ops/index.js';
import { readPnm } from '../pnm.js';
import { registerBackend, registeredBackends, setBackendImporter, unregisterBackend } from '../registry.js';
import { conformanceSuite, runConformance } from './conformance.js';
import { loadFixtureSet } from './fixtures.js';
import type { FixtureSet } from './fixtures.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * A stand-in backend that "decodes" by looking the file up among the fixtures and returning its djpeg
 * reference, and runs pipelines with the reference ops. It lets the suite itself be tested before any real
 * backend exists; `skew` makes it wrong on purpose, to prove the suite notices.
 */
async function referenceBackend(set: FixtureSet, name: string, skew = 0): Promise<Backend> {
  const byHash = new Map<string, (typeof set.facts)[number]>();
  for (const f of set.facts) byHash.set(sha(await set.read(f.file)), f);
  const ref = async (path: string) => readPnm(await set.read(path));
  const skewed = (img: HostImage): HostImage => {
    if (skew) img.data[0] = (img.data[0]! + skew) % 256;
    return img;
  };
  return {
    name,
    priority: 5,
    async init() {
      return {
        device: 'reference lookup',
        formats: [],
        scales: [1, 0.5, 0.25, 0.125],
        deviceImages: false,
        encode: false,
        ops: ['resize', 'sharpen', 'crop', 'rotate', 'flip', 'flop', 'orient', 'adjust', 'convert'],
      };
    },
    canDecode: (h) => (h.lossless ? 'lossless JPEG is not supported' : true),
    async decode(bytes, header, o: ResolvedDecodeOptions) {
      const f = byHash.get(sha(bytes));
      if (header.truncated) throw new JpegError('E_TRUNCATED', 'data ends before EOI');
      if (!f) throw new JpegError('E_CORRUPT', 'not a known fixture');
      const key = { 0.5: '1/2', 0.25: '1/4', 0.125: '1/8', 1: '' }[o.scale];
      const path =
        o.scale !== 1
          ? f.scaled?.[key]
          : o.format === 'gray' && f.reference?.endsWith('.ppm')
            ? f.grayReference
            : f.reference;
      if (!path) throw new JpegError('E_UNSUPPORTED', 'no reference for this scale or format');
      let img = await ref(path);
      if (o.orient) img = applyOp(img, { op: 'orient', orientation: header.orientation });
      img = applyOp(img, { op: 'convert', format: o.format });
      img.orientation = o.orient ? 1 : header.orientation;
      if (o.into) {
        for (let y = 0; y < img.height; y++)
          o.into.data.set(img.data.subarray(y * img.stride, (y + 1) * img.stride), y * o.into.stride);
        return skewed({ ...o.into, width: img.width, height: img.height, orientation: img.orientation });
      }
      return skewed(img);
    },
    async run(plan) {
      if (plan.input.kind !== 'image' || plan.output.kind !== 'image')
        throw new JpegError('E_UNSUPPORTED', 'images only');
      const out = plan.steps.reduce(applyOp, plan.input.image as HostImage);
      return skewed(applyOp(out, { op: 'convert', format: plan.output.format }));
    },
    async dispose() {},
  };
}

const set = await loadFixtureSet();
const noEncoder = {
  'encode/*': 'the reference stand-in has no JPEG encoder',
  'decode/large-1024x640-420-q90.jpg':
    'the reference stand-in has no pixels for it: only the sha256 of its reference is committed',
};
let good: Codec;
let bad: Codec;

beforeAll(async () => {
  for (const n of registeredBackends()) unregisterBackend(n);
  setBackendImporter(async () => ({}));
  registerBackend(await referenceBackend(set, 'reference'));
  registerBackend(await referenceBackend(set, 'skewed', 2));
  good = await createCodec({ backends: ['reference'], strict: true });
  bad = await createCodec({ backends: ['skewed'], strict: true });
});
afterAll(async () => {
  await Promise.all([good.dispose(), bad.dispose()]);
  unregisterBackend('reference');
  unregisterBackend('skewed');
});

describe('conformance suite', () => {
  it('covers every fixture, the pixel ops, the malformed set and encode', async () => {
    const cases = await conformanceSuite();
    const ids = cases.map((c) => c.id);
    for (const f of set.facts) expect(ids).toContain(`decode/${f.file.replace(/^.*\//, '')}`);
    for (const m of set.malformed) expect(ids).toContain(`malformed/${m.file.replace(/^.*\//, '')}`);
    expect(ids.filter((id) => id.startsWith('ops/')).length).toBeGreaterThanOrEqual(2 * 34);
    expect(ids.filter((id) => id.startsWith('decode-scale/')).length).toBeGreaterThan(0);
    expect(ids.filter((id) => id.startsWith('decode-orient/')).length).toBe(
      set.facts.filter((f) => f.orientation !== 1 && f.reference).length,
    );
    expect(ids).toContain('encode/subsampling-420');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('passes a backend that reproduces the references, with excluded cases listed with their reasons', async () => {
    const report = await runConformance(good, { exclude: noEncoder });
    expect(report.failed).toEqual([]);
    expect(report.excluded.length).toBe(9);
    expect(report.excluded.filter((e) => e.reason === noEncoder['encode/*'])).toHaveLength(8);
    expect(report.passed.length).toBeGreaterThan(150);
  });

  it('fails every decode and op case of a backend that is off by 2 in one sample', async () => {
    const report = await runConformance(bad, { exclude: noEncoder });
    const failed = new Set(report.failed.map((f) => f.id));
    const cases = await conformanceSuite({ exclude: noEncoder });
    const pixelCases = cases.filter(
      (c) =>
        (c.group === 'ops' || c.group === 'decode') &&
        set.facts.find((f) => c.id.endsWith(f.file.replace(/^.*\//, '')))?.reference !== null,
    );
    for (const c of pixelCases) expect(failed, c.id).toContain(c.id);
    expect(report.failed.find((f) => f.id.startsWith('decode/'))?.message).toMatch(
      /max \|Δ\| 2, .* first at \(0,0\) channel 0/,
    );
    expect(report.passed.filter((id) => id.startsWith('malformed/')).length).toBe(set.malformed.length);
  });

  it('refuses an exclusion without a written reason', async () => {
    await expect(conformanceSuite({ exclude: { 'decode/*': ' ' } })).rejects.toThrow('has no written reason');
  });
});
