import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, registerBackend } from '@jpegkit/core';
import type { Codec } from '@jpegkit/core';
import { conformanceSuite } from '@jpegkit/core/testing';
import { WasmBackend } from './backend.js';

// The wasm backend against core's conformance suite: decode byte-exact with djpeg -dct int, pixel ops within
// ±1 of the reference ops, malformed inputs with their codes, encode round trips. Run in the worker pool (the
// default) — the path users get.
registerBackend(new WasmBackend());
const cases = await conformanceSuite();
let codec: Codec;

beforeAll(async () => {
  codec = await createCodec({ backends: ['wasm'], strict: true });
});
afterAll(async () => {
  await codec.dispose();
});

describe('wasm backend: conformance', () => {
  it('runs every case (nothing excluded)', () => {
    expect(cases.filter((c) => c.excluded !== undefined)).toEqual([]);
    expect(cases.length).toBeGreaterThan(170);
  });
  for (const c of cases) it(c.id, () => c.run(codec));
});
