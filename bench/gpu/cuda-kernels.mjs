// GPU host: jpegkit's own GPU Huffman decoder (decoder 'kernels') beside nvJPEG (decoder 'nvjpeg') on single
// images: first-call and median latency, results kept on the device, and whether the kernels' pixels equal
// libjpeg-turbo's (@jpegkit/wasm, the djpeg -dct int arithmetic).
//   node bench/gpu/cuda-kernels.mjs OUT.json FILE...
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { inspect, resolveDecodeOptions } from '@jpegkit/core';
import { CudaBackend } from '@jpegkit/native-cuda';
import { WasmBackend } from '@jpegkit/wasm';
import { lapTimes, percentile } from './laps.mjs';

const [out, ...files] = process.argv.slice(2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const wasm = new WasmBackend();
await wasm.init({});
const backends = {};
for (const decoder of ['kernels', 'nvjpeg']) {
  backends[decoder] = new CudaBackend();
  await backends[decoder].init({ decoder });
}
const rows = [];
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  const header = inspect(bytes);
  const row = { file: basename(file), bytes: bytes.length, width: header.width, height: header.height };
  for (const [decoder, backend] of Object.entries(backends)) {
    const device = resolveDecodeOptions({ location: 'device' });
    const before = { ...backend.decodeRoutes() };
    const t = performance.now();
    (await backend.decode(bytes, header, device)).release();
    const first = performance.now() - t;
    const route = Object.entries(backend.decodeRoutes()).find(([k, v]) => v !== (before[k] ?? 0))?.[0];
    const { laps } = await lapTimes(async () => (await backend.decode(bytes, header, device)).release(), {
      warmup: 2,
      rounds: 10,
      seconds: SECONDS,
    });
    row[decoder] = { route, firstMs: first, p50ms: percentile(laps, 0.5), p99ms: percentile(laps, 0.99) };
  }
  const got = await backends.kernels.decode(bytes, header, resolveDecodeOptions());
  const ref = await wasm.decode(bytes, header, resolveDecodeOptions());
  let maxAbs = 0;
  for (let i = 0; i < ref.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got.data[i] - ref.data[i]));
  row.kernelsMaxAbsVsLibjpeg = maxAbs;
  rows.push(row);
  console.log(JSON.stringify(row));
}
for (const backend of Object.values(backends)) await backend.dispose();
await wasm.dispose();
writeFileSync(out, JSON.stringify({ rows }, null, 2));
