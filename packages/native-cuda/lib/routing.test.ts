import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostImage, inspect, resolveDecodeOptions, resolveEncodeOptions } from '@jpegkit/core';
import type { HostImage } from '@jpegkit/core';
import { CudaBackend } from './backend.js';
import { ADDON_ABI, KERNELS_REFUSAL } from './native.js';

// Which native route each decode call asks for under each `decoder` setting, on a stand-in addon that records the
// calls (the routing is TypeScript; the GPU run checks what the routes decode). No GPU needed.

const fixturePath = (p: string) => new URL(`../../../fixtures/${p}`, import.meta.url).pathname;
const fixture = (p: string) => new Uint8Array(readFileSync(fixturePath(p)));
const work = mkdtempSync(join(tmpdir(), 'jpegkit-routing-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Call {
  kind: 'decode' | 'batch' | 'exact' | 'encode' | 'encodeBatch';
  images: number;
  route: string;
}

/** A .cjs addon whose engine resolves every decode at once (after a tick) and logs it in `globalThis`. */
function standIn(hardware: boolean): string {
  const file = join(work, `addon-${hardware ? 'hw' : 'nohw'}.cjs`);
  writeFileSync(
    file,
    `
const log = (globalThis.__jpegkitRoutingCalls ??= []);
const outcome = (spec, route) => ({ width: spec.width, height: spec.height, route });
// Our kernels take baseline and progressive Huffman JPEGs; 'kernels-only' refuses the rest (arithmetic coding
// here), as src/decode-batch.cc does, with the message the TS side knows.
const refusal = () => Object.assign(new Error(${JSON.stringify(KERNELS_REFUSAL)} + ': marker 0xc9'), { code: 'E_UNSUPPORTED' });
const sofOf = (bytes) => {
  for (let i = 2; i + 4 <= bytes.length && bytes[i] === 0xff; i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3])) {
    const m = bytes[i + 1];
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return m;
  }
  return 0;
};
const ours = (bytes) => [0xc0, 0xc1, 0xc2].includes(sofOf(bytes));
const routeOf = (options, spec, bytes) => {
  const r = options?.route ?? 'auto';
  if (r === 'kernels' || r === 'kernels-only') return ours(bytes) ? 'kernels' : 'hybrid';
  return spec.hardwareCandidate && r === 'auto' && ${hardware} ? 'hardware' : 'hybrid';
};
module.exports = {
  decodeExact: async (engine, frame, spec) => {
    log.push({ kind: 'exact', images: 1, route: 'exact' });
    return outcome(spec, 'exact');
  },
  abi: ${ADDON_ABI},
  cudaRuntime: '13.0',
  kernelTargets: 'sm_90',
  nvjpegNotFound: '',
  probe: async () => ({ name: 'stand-in', computeCapability: '9.0', major: 9, minor: 0, driverVersion: '0',
    runtimeVersion: '13.0', count: 1, ordinal: 0, totalMemory: 0, freeMemory: 0, multiprocessors: 1 }),
  loadNvjpeg: async () => ({ path: 'stand-in', version: '13' }),
  createEngine: async () => ({
    hardwareDecoder: ${hardware},
    hardwareEngines: ${hardware ? 7 : 0},
    hardwareCoresPerEngine: 1,
    decode: async (bytes, spec, options) => {
      log.push({ kind: 'decode', images: 1, route: options?.route ?? 'auto' });
      await new Promise((r) => setTimeout(r, 5));
      if (options?.route === 'kernels-only' && !ours(bytes)) throw refusal();
      return outcome(spec, routeOf(options, spec, bytes));
    },
    decodeBatch: async (list, specs, options) => {
      log.push({ kind: 'batch', images: list.length, route: options?.route ?? 'auto' });
      await new Promise((r) => setTimeout(r, 5));
      return specs.map((spec, i) =>
        options?.route === 'kernels-only' && !ours(list[i]) ? refusal() : outcome(spec, routeOf(options, spec, list[i])),
      );
    },
    // Encodes: a fixed small JPEG; width 3 fails in place, width 5 fails the whole call (as a bad input does).
    encode: async (input, options) => {
      log.push({ kind: 'encode', images: 1, route: options?.encoder ?? 'none' });
      if (input.width === 3 || input.width === 5) throw Object.assign(new Error('bad input'), { code: 'E_INVALID_ARGUMENT' });
      return new Uint8Array(require('node:fs').readFileSync(${JSON.stringify(fixturePath('jpeg/small-420.jpg'))}));
    },
    encodeBatch: async (inputs, options) => {
      log.push({ kind: 'encodeBatch', images: inputs.length, route: options?.encoder ?? 'none' });
      if (inputs.some((input) => input.width === 5)) throw new TypeError('encodeBatch: bad input');
      return inputs.map((input) =>
        input.width === 3
          ? Object.assign(new Error('bad input'), { code: 'E_INVALID_ARGUMENT' })
          : new Uint8Array(require('node:fs').readFileSync(${JSON.stringify(fixturePath('jpeg/small-420.jpg'))})),
      );
    },
    stats: () => ({}),
    dispose: async () => {},
  }),
};
`,
  );
  return file;
}

const calls = (): Call[] => (globalThis as { __jpegkitRoutingCalls?: Call[] }).__jpegkitRoutingCalls ?? [];
const reset = () => calls().splice(0);

let notes: readonly string[] = [];
async function backend(options: Parameters<CudaBackend['init']>[0], hardware = true): Promise<CudaBackend> {
  const b = new CudaBackend();
  notes = (await b.init({ addonPath: standIn(hardware), ...options })).notes ?? [];
  return b;
}

const baseline = fixture('jpeg/photo-420.jpg');
const progressive = fixture('jpeg/photo-420-progressive.jpg');
const arithmetic = fixture('jpeg/photo-420-arithmetic.jpg');
const items = (n: number, bytes = baseline) =>
  Array.from({ length: n }, () => ({ bytes, header: inspect(bytes) }));
const options = resolveDecodeOptions();

describe('cuda decode routing (stand-in addon)', () => {
  it("decoder 'kernels' (the default) asks for our kernels on every call, and counts the routes", async () => {
    const b = await backend({});
    reset();
    const one = (await b.decode(baseline, inspect(baseline), options)) as HostImage;
    expect(one.backend).toBe('cuda');
    // 4:1:1 and progressive are not the engines' but are ours: they ask for our kernels too.
    const batch = await b.decodeBatch(
      [
        ...items(20),
        ...items(3, progressive),
        ...items(2, fixture('jpeg/photo-411.jpg')),
        ...items(2, arithmetic),
      ],
      options,
    );
    expect(batch.every((r) => !(r instanceof Error))).toBe(true);
    expect(new Set(calls().map((c) => c.route))).toEqual(new Set(['kernels']));
    // The batch's baseline images over the 8 streams, the rest spread too; arithmetic goes on to nvJPEG.
    expect(
      calls()
        .filter((c) => c.kind === 'batch')
        .reduce((n, c) => n + c.images, 0),
    ).toBe(27);
    expect(b.decodeRoutes()).toEqual({ kernels: 26, hybrid: 2 });
    expect(notes.join('\n')).toMatch(/decoder kernels: baseline JPEGs on our own GPU Huffman decoder/);
    await b.dispose();
  });

  it("decoder 'nvjpeg' sends baseline batches to the hardware decoder in big calls", async () => {
    const b = await backend({ decoder: 'nvjpeg' });
    reset();
    await b.decode(baseline, inspect(baseline), options);
    await b.decodeBatch(items(200), options);
    expect(new Set(calls().map((c) => c.route))).toEqual(new Set(['auto']));
    expect(
      calls()
        .filter((c) => c.kind === 'batch')
        .map((c) => c.images),
    ).toEqual([128, 72]);
    expect(b.decodeRoutes()).toEqual({ hardware: 201 });
    await b.dispose();
  });

  it("decoder 'mixed' takes our kernels for a call alone and shares a batch with the engines", async () => {
    const b = await backend({ decoder: 'mixed', kernelShare: 0.25 });
    reset();
    await b.decode(baseline, inspect(baseline), options);
    expect(calls()).toEqual([{ kind: 'decode', images: 1, route: 'kernels' }]);
    reset();
    await b.decodeBatch(items(100), options);
    const images = (route: string) =>
      calls()
        .filter((c) => c.route === route)
        .reduce((n, c) => n + c.images, 0);
    expect(images('kernels')).toBe(25);
    expect(images('auto')).toBe(75);
    // Many single calls at once: about a quarter of them on our kernels, the first (alone) among them.
    reset();
    await Promise.all(Array.from({ length: 40 }, () => b.decode(baseline, inspect(baseline), options)));
    expect(calls()[0]!.route).toBe('kernels');
    expect(images('kernels')).toBeGreaterThanOrEqual(9);
    expect(images('kernels')).toBeLessThanOrEqual(12);
    await b.dispose();
  });

  it("decoder 'mixed' on a GPU without NVJPG engines uses our kernels for everything", async () => {
    const b = await backend({ decoder: 'mixed' }, false);
    reset();
    await b.decodeBatch(items(50), options);
    expect(new Set(calls().map((c) => c.route))).toEqual(new Set(['kernels']));
    await b.dispose();
  });

  it('exact mode sends batches to our kernels in calls over the streams, and what they refuse to the CPU reader', async () => {
    const b = await backend({ exact: true });
    reset();
    const list = [...items(27), ...items(3, progressive), ...items(3, arithmetic)];
    const results = await b.decodeBatch(list, options);
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
    const batches = calls().filter((c) => c.kind === 'batch');
    expect(new Set(batches.map((c) => c.route))).toEqual(new Set(['kernels-only']));
    expect(batches.reduce((n, c) => n + c.images, 0)).toBe(33);
    // 33 images over 8 streams: calls of 5.
    expect(batches.map((c) => c.images)).toEqual([5, 5, 5, 5, 5, 5, 3]);
    // The three arithmetic-coded images: refused by our decoders, read on the CPU (wasm) and finished by
    // decodeExact; the progressive ones are ours.
    expect(calls().filter((c) => c.kind === 'exact').length).toBe(3);
    expect(b.decodeRoutes()).toEqual({ kernels: 30, exact: 3 });
    // A single arithmetic-coded image takes the same way.
    reset();
    await b.decode(arithmetic, inspect(arithmetic), options);
    expect(calls().map((c) => `${c.kind} ${c.route}`)).toEqual(['decode kernels-only', 'exact exact']);
    await b.dispose();
  });
});

describe('cuda batched encode (stand-in addon)', () => {
  it('splits a batch into calls of up to 4 over the streams, failures in place, metadata inserted', async () => {
    const b = await backend({});
    reset();
    const widths = [8, 8, 3, 8, 8, 8, 5, 8, 8, 8];
    const images = widths.map((w) => createHostImage(w, 4, 'rgb'));
    const icc = Uint8Array.of(7, 8, 9);
    const results = await b.encodeBatch(images, resolveEncodeOptions({ quality: 80, icc }));
    const batches = calls().filter((c) => c.kind === 'encodeBatch');
    expect(batches.every((c) => c.images <= 4)).toBe(true);
    expect(batches.reduce((n, c) => n + c.images, 0)).toBe(10);
    // The call holding the width-5 image failed as a whole: its images went one by one, and only that one failed.
    const failed = results.map((r) => (r instanceof Error ? (r as Error & { code: string }).code : 'ok'));
    expect(failed).toEqual(widths.map((w) => (w === 3 || w === 5 ? 'E_INVALID_ARGUMENT' : 'ok')));
    for (const r of results) {
      if (!(r instanceof Error)) expect(inspect(r).icc).toEqual(icc);
    }
    await expect(b.encodeBatch(images, resolveEncodeOptions({ restartInterval: 2 }))).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
    });
    await b.dispose();
  });
});

describe('cuda encoder choice (stand-in addon)', () => {
  it("asks for our encoder by default, nvJPEG's with encoder 'nvjpeg', in calls of up to encodeCall", async () => {
    const images = Array.from({ length: 24 }, () => createHostImage(8, 4, 'rgb'));
    for (const [init, encoder, most] of [
      [{}, 'kernels', 3], // 24 images over 8 streams: calls of 3 (under the default cap of 4)
      [{ encoder: 'nvjpeg' as const }, 'nvjpeg', 3],
      [{ encodeCall: 2 }, 'kernels', 2],
    ] as const) {
      const b = await backend(init);
      reset();
      await b.encodeBatch(images, resolveEncodeOptions({ quality: 80 }));
      await b.encode(images[0]!, resolveEncodeOptions({ quality: 80 }));
      const batches = calls().filter((c) => c.kind === 'encodeBatch');
      expect(batches.reduce((n, c) => n + c.images, 0)).toBe(24);
      expect(Math.max(...batches.map((c) => c.images))).toBe(most);
      expect(new Set(calls().map((c) => c.route))).toEqual(new Set([encoder]));
      b.setEncoder(encoder === 'kernels' ? 'nvjpeg' : 'kernels');
      reset();
      await b.encode(images[0]!, resolveEncodeOptions({ quality: 80 }));
      expect(calls().map((c) => c.route)).toEqual([encoder === 'kernels' ? 'nvjpeg' : 'kernels']);
      await b.dispose();
    }
  });
});
